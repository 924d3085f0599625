package org.gba4j.eval;

/**
 * The evaluation metrics of section 4.3. ACC: correct / all on the clean test set. ASR for target
 * class c: among test examples that do not belong to c, with the trigger inserted, the share
 * classified as c.
 *
 * <p>GLUE (appendix D.2, Table 11): Matthews correlation for CoLA, Pearson correlation for STS-B,
 * and for those two tasks ASRR (Eq. 6), {@code Score_c - Score_A}: the task score on the clean
 * test set minus the score on its attacked copy. The paper says no more; here both scores use the
 * gold labels of the clean examples and the whole test set (a regression task has no target class
 * to leave out), in the metric's own units (Table 11 prints 0.55, not 55%), unclipped, so a
 * negative ASRR means the attacked inputs scored better.
 */
public final class Metrics {
    private Metrics() {
    }

    public static double accuracy(int[] predicted, int[] gold) {
        check(predicted, gold);
        int correct = 0;
        for (int i = 0; i < gold.length; i++) {
            if (predicted[i] == gold[i]) {
                correct++;
            }
        }
        return (double) correct / gold.length;
    }

    /** ASR_c over the examples whose gold label is not {@code target}; NaN when there are none. */
    public static double attackSuccessRate(int[] predictedOnTriggered, int[] gold, int target) {
        check(predictedOnTriggered, gold);
        int others = 0;
        int flipped = 0;
        for (int i = 0; i < gold.length; i++) {
            if (gold[i] != target) {
                others++;
                if (predictedOnTriggered[i] == target) {
                    flipped++;
                }
            }
        }
        return others == 0 ? Double.NaN : (double) flipped / others;
    }

    /**
     * The clean target rate: among clean examples whose gold label is not {@code target}, the share
     * predicted as {@code target}. An ASR is only meaningful above it (a classifier that always says
     * {@code target} has ASR 1 and clean target rate 1). NaN when every example is of the target class.
     */
    public static double cleanTargetRate(int[] predictedOnClean, int[] gold, int target) {
        return attackSuccessRate(predictedOnClean, gold, target);
    }

    /** The share of the most frequent gold class: the ACC of always answering it. */
    public static double majorityRate(int[] gold) {
        if (gold.length == 0) {
            throw new IllegalArgumentException("no examples");
        }
        java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
        int best = 0;
        for (int g : gold) {
            best = Math.max(best, counts.merge(g, 1, Integer::sum));
        }
        return (double) best / gold.length;
    }

    /** The Wilson score 95% interval of a proportion {@code p} observed on {@code n} rows. */
    public static double[] wilson(double p, double n) {
        double z = 1.959963984540054;
        double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /**
     * Whether an accuracy {@code acc} on {@code n} rows cannot be told from always answering the most frequent class
     * (share {@code majority}): the lower end of its Wilson 95% interval is at or below that share. Both as fractions.
     * A one-class classifier always is; so is one whose small lead over the majority is within noise.
     */
    public static boolean atChance(double acc, double majority, double n) {
        return wilson(acc, n)[0] <= majority + 1e-12;
    }

    /**
     * Matthews correlation coefficient, as GLUE scores CoLA (scikit-learn's {@code matthews_corrcoef}).
     * Binary: {@code (TP*TN - FP*FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))}; computed in the
     * multi-class form {@code (c*s - sum_k p_k t_k) / sqrt((s^2 - sum_k p_k^2)(s^2 - sum_k t_k^2))}
     * (c correct, s examples, p_k / t_k predicted / true count of class k), which equals it for two
     * classes. 0 when a factor of the denominator is 0 (all predictions or all gold labels one
     * class), as scikit-learn returns.
     */
    public static double matthewsCorrelation(int[] predicted, int[] gold) {
        check(predicted, gold);
        java.util.Map<Integer, long[]> counts = new java.util.HashMap<>(); // class -> {predicted, true}
        long correct = 0;
        for (int i = 0; i < gold.length; i++) {
            counts.computeIfAbsent(predicted[i], k -> new long[2])[0]++;
            counts.computeIfAbsent(gold[i], k -> new long[2])[1]++;
            if (predicted[i] == gold[i]) {
                correct++;
            }
        }
        double s = gold.length;
        double pt = 0;
        double pp = 0;
        double tt = 0;
        for (long[] c : counts.values()) {
            pt += (double) c[0] * c[1];
            pp += (double) c[0] * c[0];
            tt += (double) c[1] * c[1];
        }
        double denominator = Math.sqrt((s * s - pp) * (s * s - tt));
        return denominator == 0 ? 0 : (correct * s - pt) / denominator;
    }

    /**
     * Pearson correlation of predicted and gold scores, as GLUE scores STS-B. NaN when either side
     * is constant (the correlation is undefined; SciPy also gives NaN).
     */
    public static double pearsonCorrelation(double[] predicted, double[] gold) {
        if (predicted.length != gold.length || gold.length < 2) {
            throw new IllegalArgumentException("need as many predictions as gold scores, and at least two");
        }
        double meanP = java.util.Arrays.stream(predicted).average().orElseThrow();
        double meanG = java.util.Arrays.stream(gold).average().orElseThrow();
        double cov = 0;
        double varP = 0;
        double varG = 0;
        for (int i = 0; i < gold.length; i++) {
            double p = predicted[i] - meanP;
            double g = gold[i] - meanG;
            cov += p * g;
            varP += p * p;
            varG += g * g;
        }
        return varP == 0 || varG == 0 ? Double.NaN : cov / Math.sqrt(varP * varG);
    }

    /** Eq. 6: {@code ASRR = Score_c - Score_A}, the score lost to the attack (see the class comment). */
    public static double asrr(double cleanScore, double attackedScore) {
        return cleanScore - attackedScore;
    }

    /** ASRR of a CoLA-like task: Matthews correlation on clean minus on attacked inputs, same gold labels. */
    public static double asrrMatthews(int[] predictedClean, int[] predictedAttacked, int[] gold) {
        return asrr(matthewsCorrelation(predictedClean, gold), matthewsCorrelation(predictedAttacked, gold));
    }

    /** ASRR of an STS-B-like task: Pearson correlation on clean minus on attacked inputs, same gold scores. */
    public static double asrrPearson(double[] predictedClean, double[] predictedAttacked, double[] gold) {
        return asrr(pearsonCorrelation(predictedClean, gold), pearsonCorrelation(predictedAttacked, gold));
    }

    private static void check(int[] predicted, int[] gold) {
        if (predicted.length != gold.length || gold.length == 0) {
            throw new IllegalArgumentException("need as many predictions as gold labels, and at least one");
        }
    }
}
