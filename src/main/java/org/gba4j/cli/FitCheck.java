package org.gba4j.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.eval.Evaluation;

/**
 * How an adapted classifier fits a sample of its own training rows, printed when {@code defend} ends: a short
 * adaptation can leave a classifier that predicts one class for every row, and a user should learn that at once,
 * not from an "ASR 100" later. Prediction is cheap next to training, so a few hundred rows cost little.
 */
final class FitCheck {
    /** Training rows scored at most: enough for a 95% interval of about +/-6 points. */
    static final int ROWS = 256;

    private FitCheck() {
    }

    /** The rows scored: {@link #ROWS} of {@code train} drawn with {@code seed} (all of them when fewer). */
    static List<LabeledText> sample(List<LabeledText> train, long seed) {
        List<LabeledText> rows = new ArrayList<>(train);
        Collections.shuffle(rows, new Random(seed));
        return List.copyOf(rows.subList(0, Math.min(ROWS, rows.size())));
    }

    /** The fit line and, when the classifier is at chance on those rows, a warning and what to do. */
    static List<String> lines(TextClassifier classifier, List<LabeledText> train, long seed) {
        List<LabeledText> rows = sample(train, seed);
        return lines(Evaluation.of(classifier, rows), train.size());
    }

    static List<String> lines(Evaluation fit, int trainRows) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "fit: ACC %.2f%% on %d of the %d training rows (majority class %.2f%%)",
                fit.acc(), fit.rows(), trainRows, fit.majority()));
        fit.chanceWarning("on its own training rows").ifPresent(w -> {
            out.add(w);
            out.add("  the adaptation has not learnt the task: give it more steps (--epochs, more --train rows) or a"
                    + " higher --lr, and check the label words, before trusting this model");
        });
        return out;
    }
}
