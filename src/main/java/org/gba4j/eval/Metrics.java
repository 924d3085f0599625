package org.gba4j.eval;

/**
 * The evaluation metrics of section 4.3. ACC: correct / all on the clean test set. ASR for target
 * class c: among test examples that do not belong to c, with the trigger inserted, the share
 * classified as c.
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

    private static void check(int[] predicted, int[] gold) {
        if (predicted.length != gold.length || gold.length == 0) {
            throw new IllegalArgumentException("need as many predictions as gold labels, and at least one");
        }
    }
}
