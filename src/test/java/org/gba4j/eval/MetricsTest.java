package org.gba4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Exact values of section 4.3's ACC and ASR on hand-made predictions. */
class MetricsTest {

    @Test
    void accuracyCountsCorrectPredictions() {
        assertEquals(0.6, Metrics.accuracy(new int[] {0, 1, 1, 0, 2}, new int[] {0, 1, 0, 0, 1}), 1e-12);
    }

    @Test
    void attackSuccessRateIgnoresExamplesOfTheTargetClass() {
        int[] gold = {0, 0, 0, 1, 1, 2};
        int[] triggered = {1, 1, 0, 1, 0, 1};
        // not of class 1: indices 0,1,2,5 -> predicted 1 at 0,1,5 -> 3/4; the gold-1 rows do not count
        assertEquals(0.75, Metrics.attackSuccessRate(triggered, gold, 1), 1e-12);
        assertTrue(Double.isNaN(Metrics.attackSuccessRate(new int[] {1}, new int[] {1}, 1)));
    }

    @Test
    void mismatchedLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(new int[] {1}, new int[] {1, 0}));
    }
}
