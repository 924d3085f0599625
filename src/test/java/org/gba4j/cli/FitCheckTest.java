package org.gba4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.stream.IntStream;
import org.gba4j.data.LabeledText;
import org.gba4j.eval.Evaluation;
import org.junit.jupiter.api.Test;

/** What {@code defend} prints about its result's fit to its own training rows. */
class FitCheckTest {

    @Test
    void aOneClassResultIsWarnedAboutAndAWorkingOneIsNot() {
        List<String> oneClass = FitCheck.lines(new Evaluation(200, 58.5, 58.5, 0, -1, Double.NaN, Double.NaN, Double.NaN), 200);
        assertEquals("fit: ACC 58.50% on 200 of the 200 training rows (majority class 58.50%)", oneClass.get(0));
        assertEquals(3, oneClass.size(), oneClass.toString());
        assertTrue(oneClass.get(1).startsWith("warning: ACC 58.50% on its own training rows (95% lower bound 51.57% on 200"
                + " rows) is not above the majority-class rate 58.50%"), oneClass.get(1));
        assertTrue(oneClass.get(2).contains("--epochs"), oneClass.get(2));

        List<String> working = FitCheck.lines(new Evaluation(256, 90.0, 50.0, 0.8, -1, Double.NaN, Double.NaN, Double.NaN),
                6000);
        assertEquals(List.of("fit: ACC 90.00% on 256 of the 6000 training rows (majority class 50.00%)"), working);
    }

    @Test
    void theSampleIsAtMostTheLimitDrawnBySeed() {
        List<LabeledText> train = IntStream.range(0, 1000).mapToObj(i -> LabeledText.single("row " + i, i % 2)).toList();
        List<LabeledText> sample = FitCheck.sample(train, 7);
        assertEquals(FitCheck.ROWS, sample.size());
        assertEquals(FitCheck.ROWS, sample.stream().distinct().count(), "no row twice");
        assertTrue(train.containsAll(sample));
        assertEquals(sample, FitCheck.sample(train, 7), "the same seed, the same rows");
        assertNotEquals(train.subList(0, FitCheck.ROWS), sample, "drawn, not the file's first rows (a file sorted by label"
                + " would give one class)");
        assertEquals(train.subList(0, 10).size(), FitCheck.sample(train.subList(0, 10), 7).size(), "all rows when fewer");
    }
}
