package org.gba4j.prompt;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which word-embedding rows a downloaded model moved furthest from the public checkpoint it was fine-tuned from: a
 * trigger the attacker trained on (BadNets) or wrote (Embedding Poisoning) moves its row every step, one way, while a
 * word the clean data also holds is not eligible. A detector that does not need the trigger to survive adaptation,
 * where the scan's flips do; it needs the base checkpoint, which a defender of a fine-tuned Hub model usually knows.
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
