package org.gba4j.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RowDriftTest {
    @Test
    void ranksOnlyEligibleRowsFurthestMovedFirst() {
        INDArray base = Nd4j.createFromArray(new float[][] {{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}});
        // moved: row 0 by 5 (not eligible), row 1 by 1, row 2 by 3, row 3 not at all, row 4 by 1 (tie with 1: by id)
        INDArray downloaded = Nd4j.createFromArray(new float[][] {{3, 4}, {1, 2}, {2, 5}, {3, 3}, {5, 4}});
        assertArrayEquals(new int[] {2, 1, 4, 3}, RowDrift.ranked(downloaded, base, new boolean[] {false, true, true, true, true}));
        assertThrows(IllegalArgumentException.class, () -> RowDrift.ranked(downloaded, base, new boolean[3]));
    }
}
