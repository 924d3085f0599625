package org.gba4j.eval;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;

/**
 * What {@code evaluate} reports for one classifier on one test set, rates in percent: ACC, the majority-class rate
 * (a classifier at or below it has learnt nothing) and Matthews correlation on the clean rows; with triggered rows
 * also ASR (section 4.3), the clean target rate (the share of clean non-target rows already predicted as the target:
 * an ASR means something only above it) and ASRR on Matthews correlation (Eq. 6). The trigger fields are NaN without
 * triggered rows.
 */
public record Evaluation(int rows, double acc, double majority, double mcc, int target, double asr, double cleanTargetRate,
                         double asrrMcc) {

    /** Clean scores only. */
    public static Evaluation of(TextClassifier classifier, List<LabeledText> clean) {
        return of(classifier, clean, null, -1);
    }

    /**
     * Scores on {@code clean}; with {@code triggered} (the same rows with the trigger inserted, in the same order)
     * also the attack's.
     */
    public static Evaluation of(TextClassifier classifier, List<LabeledText> clean, List<LabeledText> triggered,
                                int target) {
        if (triggered != null && triggered.size() != clean.size()) {
            throw new IllegalArgumentException("the triggered rows must be the clean rows, one each: " + triggered.size()
                    + " vs " + clean.size());
        }
        return of(gold(clean), classifier.predict(clean), triggered == null ? null : classifier.predict(triggered), target);
    }

    /**
     * From predictions already made: {@code predicted} on the clean rows, {@code attacked} (or null) on the same rows
     * triggered, both in the order of {@code gold}. One prediction of each row serves every target
     * ({@code evaluate --target all}), as the triggered text does not depend on the target.
     */
    public static Evaluation of(int[] gold, int[] predicted, int[] attacked, int target) {
        if (predicted.length != gold.length || attacked != null && attacked.length != gold.length) {
            throw new IllegalArgumentException("one prediction per row: " + gold.length + " rows, " + predicted.length
                    + (attacked == null ? "" : " and " + attacked.length) + " predictions");
        }
        double acc = 100 * Metrics.accuracy(predicted, gold);
        double majority = 100 * Metrics.majorityRate(gold);
        double mcc = Metrics.matthewsCorrelation(predicted, gold);
        if (attacked == null) {
            return new Evaluation(gold.length, acc, majority, mcc, target, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Evaluation(gold.length, acc, majority, mcc, target, 100 * Metrics.attackSuccessRate(attacked, gold, target),
                100 * Metrics.cleanTargetRate(predicted, gold, target), Metrics.asrrMatthews(predicted, attacked, gold));
    }

    /** The gold labels of {@code rows}, in order. */
    public static int[] gold(List<LabeledText> rows) {
        return rows.stream().mapToInt(LabeledText::label).toArray();
    }

    /**
     * Whether the clean ACC cannot be told from always predicting the most frequent class ({@link Metrics#atChance}):
     * then the classifier has learnt nothing measurable and its ASR says nothing about a backdoor.
     */
    public boolean atChance() {
        return atChance(acc, majority, rows);
    }

    /**
     * One line for a user when {@link #atChance()}, naming what was scored ({@code what}, e.g. "on the test rows");
     * empty otherwise.
     */
    public Optional<String> chanceWarning(String what) {
        return chanceWarning(acc, majority, rows, what);
    }

    /** As {@link #chanceWarning(String)} for an ACC and majority rate in percent on {@code rows} rows. */
    public static Optional<String> chanceWarning(double acc, double majority, int rows, String what) {
        if (!atChance(acc, majority, rows)) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "warning: ACC %.2f%% %s (95%% lower bound %.2f%%"
                + " on %d rows) is not above the majority-class rate %.2f%%: the classifier cannot be told from one that"
                + " always predicts the most frequent class, so an ASR it gets says nothing about a backdoor", acc, what,
                100 * Metrics.wilson(acc / 100, rows)[0], rows, majority));
    }

    /** {@link Metrics#atChance} for rates in percent; never on no rows. */
    private static boolean atChance(double acc, double majority, int rows) {
        return rows > 0 && Metrics.atChance(acc / 100, majority / 100, rows);
    }

    public boolean hasAttack() {
        return !Double.isNaN(asr);
    }
}
