package org.gba4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Exact values of section 4.3's ACC and ASR and of the GLUE metrics on hand-made predictions. */
class MetricsTest {

    @Test
    void cleanTargetRateCountsNonTargetRowsPredictedAsTheTarget() {
        // gold 0,0,0,1,1,2; target 1: the non-target rows are 0,0,0,2; predicted as 1: rows 1 and 5 -> 2 of 4
        assertEquals(0.5, Metrics.cleanTargetRate(new int[] {0, 1, 0, 1, 0, 1}, new int[] {0, 0, 0, 1, 1, 2}, 1), 1e-12);
        // a classifier that always answers the target: rate 1 (and any ASR it scores means nothing)
        assertEquals(1.0, Metrics.cleanTargetRate(new int[] {1, 1, 1}, new int[] {0, 1, 0}, 1), 1e-12);
        assertTrue(Double.isNaN(Metrics.cleanTargetRate(new int[] {0}, new int[] {1}, 1)));
    }

    @Test
    void majorityRateIsTheLargestClassShare() {
        assertEquals(0.6, Metrics.majorityRate(new int[] {1, 0, 1, 2, 1}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Metrics.majorityRate(new int[0]));
    }

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

    // gold = 1 1 1 1 0 0 0 0 0 0, predicted = 1 1 1 0 1 0 0 0 0 1:
    // TP = 3 (rows 0-2), FN = 1 (row 3), FP = 2 (rows 4, 9), TN = 4 (rows 5-8)
    // MCC = (3*4 - 2*1) / sqrt((3+2)(3+1)(4+2)(4+1)) = 10 / sqrt(600) = 1 / sqrt(6) = 0.4082483
    // multi-class form: c = 7, s = 10, p = (5, 5), t = (6, 4): (70 - 50) / sqrt((100 - 50)(100 - 52)) = 20 / sqrt(2400), the same
    private static final int[] COLA_GOLD = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    private static final int[] COLA_PREDICTED = {1, 1, 1, 0, 1, 0, 0, 0, 0, 1};

    @Test
    void matthewsCorrelationOfABinaryTask() {
        assertEquals(1 / Math.sqrt(6), Metrics.matthewsCorrelation(COLA_PREDICTED, COLA_GOLD), 1e-12);
        assertEquals(1.0, Metrics.matthewsCorrelation(COLA_GOLD, COLA_GOLD), 1e-12);
        int[] inverted = java.util.Arrays.stream(COLA_GOLD).map(y -> 1 - y).toArray();
        assertEquals(-1.0, Metrics.matthewsCorrelation(inverted, COLA_GOLD), 1e-12);
        // every prediction "acceptable": TN = FN = 0, a zero factor in the denominator -> 0 (scikit-learn's value)
        assertEquals(0.0, Metrics.matthewsCorrelation(new int[10], COLA_GOLD), 0);
    }

    // predicted = 1 2 3 4 (mean 2.5), gold = 2 4 5 9 (mean 5)
    // deviations -1.5 -0.5 0.5 1.5 and -3 -1 0 4: covariance sum 4.5 + 0.5 + 0 + 6 = 11,
    // sums of squares 5 and 9 + 1 + 0 + 16 = 26: r = 11 / sqrt(130) = 0.9647638
    private static final double[] STSB_GOLD = {2, 4, 5, 9};
    private static final double[] STSB_PREDICTED = {1, 2, 3, 4};

    @Test
    void pearsonCorrelationOfScores() {
        assertEquals(11 / Math.sqrt(130), Metrics.pearsonCorrelation(STSB_PREDICTED, STSB_GOLD), 1e-12);
        assertEquals(0.9647638, Metrics.pearsonCorrelation(STSB_PREDICTED, STSB_GOLD), 1e-7);
        assertTrue(Double.isNaN(Metrics.pearsonCorrelation(new double[] {3, 3, 3, 3}, STSB_GOLD)), "constant: undefined");
        assertThrows(IllegalArgumentException.class, () -> Metrics.pearsonCorrelation(new double[] {1}, new double[] {1}));
    }

    @Test
    void asrrIsTheScoreLostToTheAttack() {
        // Eq. 6: Score_c - Score_A
        assertEquals(0.89 - 0.34, Metrics.asrr(0.89, 0.34), 1e-12);
        // CoLA: clean MCC 1/sqrt(6) (above); attacked: all predicted 1 -> MCC 0; ASRR = 1/sqrt(6) - 0
        assertEquals(1 / Math.sqrt(6), Metrics.asrrMatthews(COLA_PREDICTED, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
                COLA_GOLD), 1e-12);
        // STS-B: clean r = 11/sqrt(130); attacked predictions 4 3 2 1 reverse the deviations -> r = -11/sqrt(130);
        // ASRR = 22/sqrt(130) = 1.9295276
        assertEquals(22 / Math.sqrt(130), Metrics.asrrPearson(STSB_PREDICTED, new double[] {4, 3, 2, 1}, STSB_GOLD), 1e-12);
        // an attack that changes nothing costs nothing
        assertEquals(0.0, Metrics.asrrPearson(STSB_PREDICTED, STSB_PREDICTED, STSB_GOLD), 0);
    }

    @Test
    void wilsonIntervalOfAProportion() {
        double[] half = Metrics.wilson(0.5, 100);
        assertEquals(0.40383153, half[0], 1e-8);
        assertEquals(0.59616847, half[1], 1e-8);
        assertEquals(0.67559244, Metrics.wilson(1.0, 8)[0], 1e-8);
        assertEquals(1.0, Metrics.wilson(1.0, 8)[1], 1e-12, "clipped to 1");
        assertEquals(0.0, Metrics.wilson(0.0, 10)[0], 1e-12, "clipped to 0");
    }

    @Test
    void atChanceWhenTheAccuracysLowerBoundDoesNotClearTheMajority() {
        assertTrue(Metrics.atChance(0.585, 0.585, 200), "a one-class classifier scores the majority rate");
        assertTrue(Metrics.atChance(0.62, 0.552, 200), "lower bound 0.5511 does not clear 0.552");
        assertFalse(Metrics.atChance(0.62, 0.55, 200), "lower bound 0.5511 clears 0.55");
        assertTrue(Metrics.atChance(1.0, 0.7, 8), "8 rows cannot clear a majority of 0.7 (lower bound 0.6756)");
    }
}
