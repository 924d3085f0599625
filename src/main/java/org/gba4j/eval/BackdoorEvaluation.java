package org.gba4j.eval;

import java.util.List;
import org.gba4j.attack.Poisoner;
import org.gba4j.attack.TriggerPosition;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;

/** ACC on the clean test set and ASR on its triggered copy (section 4.3, appendix B.2). */
public final class BackdoorEvaluation {

    /** Both metrics, as fractions. */
    public record Scores(double asr, double acc) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "ASR %.2f%%, ACC %.2f%%", 100 * asr, 100 * acc);
        }
    }

    private BackdoorEvaluation() {
    }

    public static Scores evaluate(TextClassifier classifier, List<LabeledText> test, Poisoner poisoner,
                                  int triggersPerExample, TriggerPosition position) {
        return new Scores(attackSuccessRate(classifier, test, poisoner, triggersPerExample, position),
                accuracy(classifier, test));
    }

    /** ACC: the share of {@code test} classified as labelled. */
    public static double accuracy(TextClassifier classifier, List<LabeledText> test) {
        return Metrics.accuracy(classifier.predict(test), Evaluation.gold(test));
    }

    /** ASR of the poisoner's triggers inserted into {@code test}; examples of the target class are not counted. */
    public static double attackSuccessRate(TextClassifier classifier, List<LabeledText> test, Poisoner poisoner,
                                           int triggersPerExample, TriggerPosition position) {
        List<LabeledText> triggered = poisoner.triggerTest(test, triggersPerExample, position);
        return Metrics.attackSuccessRate(classifier.predict(triggered), Evaluation.gold(test), poisoner.target());
    }
}
