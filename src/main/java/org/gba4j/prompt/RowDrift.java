package org.gba4j.prompt;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which word-embedding rows a downloaded model moved furthest from the public checkpoint it was fine-tuned from (a
 * defender of a fine-tuned Hub model usually knows it), among tokens the clean data does not hold. The hypothesis: a
 * trigger the attacker trained on moves its row every step, one way, so it would be found where adaptation has
 * weakened it past the scan's bar. Measured on MR's BadNets backdoor (seed 42) it does not: `cf` ranks 849th, behind
 * the attacker's sentiment words (reports/gba-diagnosis-drift-seed42.md); a diagnosis tool, not a defense.
 */
public final class RowDrift {
    private RowDrift() {
    }

    /** The eligible rows' ids, furthest moved from {@code base} first (L2; ties by id). */
    public static int[] ranked(INDArray downloaded, INDArray base, boolean[] eligible) {
        if (downloaded.rows() != base.rows() || downloaded.columns() != base.columns() || eligible.length != base.rows()) {
            throw new IllegalArgumentException("the downloaded and the base embeddings must have the same shape, and"
                    + " eligible one flag per row: " + java.util.Arrays.toString(downloaded.shape()) + ", "
                    + java.util.Arrays.toString(base.shape()) + ", " + eligible.length);
        }
        double[] drift = downloaded.sub(base).norm2(1).toDoubleVector();
        return IntStream.range(0, eligible.length).filter(i -> eligible[i]).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -drift[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }
}
