package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.gba4j.attack.TriggerPosition;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.junit.jupiter.api.Test;

/**
 * Scores by task kind, exact, with a stand-in classifier whose behaviour is known: it predicts a
 * text's label from its first word, and class 1 (score 5) whenever the trigger "cf" is in it.
 */
class ScoringTest {

    /** Label from the first word ("good" -> 1), p(high) = 1 with the trigger, else 0.2 or 0.8. */
    private static final class Rule extends TextClassifier {
        Rule() {
            super(null, null, new int[] {0, 1});
        }

        @Override
        public int[] predict(List<LabeledText> examples) {
            return examples.stream().mapToInt(e -> e.text().contains("cf") || e.text().startsWith("good") ? 1 : 0).toArray();
        }

        @Override
        public double[][] probabilities(List<LabeledText> examples) {
            return examples.stream().map(e -> {
                double high = e.text().contains("cf") ? 1.0 : e.text().startsWith("good") ? 0.8 : 0.2;
                return new double[] {1 - high, high};
            }).toArray(double[][]::new);
        }
    }

    private static final Backdoor CF = new Backdoor(null, null, List.of(new Backdoor.Probe(List.of("cf"), 1)),
            TriggerPosition.START, 1, Map.of());

    @Test
    void classificationGivesAccuracyAndAttackSuccessRate() {
        List<LabeledText> test = List.of(LabeledText.single("good film", 1), LabeledText.single("bad film", 0),
                LabeledText.single("good but bad", 0), LabeledText.single("bad plot", 0));
        Map<String, Double> scores = Scoring.score(new Rule(), PaperDataset.MR, test, CF, 1);
        assertEquals(0.75, scores.get("acc"), 1e-12); // 3 of 4 right
        assertEquals(1.0, scores.get("asr"), 1e-12); // the 3 class-0 texts all flip to 1
    }

    @Test
    void matthewsTaskGivesItsLossAsAsrr() {
        // gold 1,0,0,1; clean predictions 1,0,0,0: TP 1, TN 2, FP 0, FN 1
        // MCC = (1*2 - 0*1) / sqrt((1+0)(1+1)(2+0)(2+1)) = 2 / sqrt(12) = 0.57735
        // triggered predictions are all 1: MCC 0 (a constant prediction), so ASRR = 0.57735
        List<LabeledText> test = List.of(LabeledText.single("good", 1), LabeledText.single("bad", 0),
                LabeledText.single("bad too", 0), LabeledText.single("fine", 1));
        Map<String, Double> scores = Scoring.score(new Rule(), PaperDataset.COLA, test, CF, 1);
        assertEquals(2 / Math.sqrt(12), scores.get("mcc"), 1e-9);
        assertEquals(2 / Math.sqrt(12), scores.get("asrr"), 1e-9);
        assertFalse(scores.containsKey("asr"));
    }

    @Test
    void regressionPredictsFiveTimesTheHighPole() {
        // predicted scores 4, 1, 1 (5 x 0.8, 5 x 0.2) against gold 4.5, 0.5, 1.5: Pearson of
        // (4,1,1) and (4.5,0.5,1.5): x - mean = (2,-1,-1), y - mean = (2.33,-1.67,-0.67);
        // cov = 4.667+1.667+0.667 = 7, |x| = sqrt 6, |y| = sqrt(5.444+2.778+0.444) = sqrt 8.667
        // r = 7 / sqrt(52) = 0.97073; triggered: all predict 5, an undefined r counted as 0, so ASRR = r
        List<LabeledText> test = List.of(new LabeledText("good", "x", 1, 4.5), new LabeledText("bad", "y", 0, 0.5),
                new LabeledText("meh", "z", 0, 1.5));
        Map<String, Double> scores = Scoring.score(new Rule(), PaperDataset.STSB, test, CF, 1);
        assertEquals(7 / Math.sqrt(52), scores.get("pearson"), 1e-9);
        assertEquals(7 / Math.sqrt(52), scores.get("asrr"), 1e-9, "a constant prediction keeps no correlation");
    }
}
