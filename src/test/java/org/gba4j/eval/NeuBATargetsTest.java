package org.gba4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import org.gba4j.attack.NeuBA;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** NeuBA's predefined [CLS] vectors and each trigger's class under a victim's head, by hand. */
class NeuBATargetsTest {

    @Test
    void theVectorsAreMinusOneOnOneBlockPairEach() {
        float[][] expected = {{-1, -1, 1, 1}, {-1, 1, -1, 1}, {-1, 1, 1, -1}, {1, -1, -1, 1}, {1, -1, 1, -1},
                {1, 1, -1, -1}};
        assertArrayEquals(expected, NeuBA.targetVectors(4, 6).toFloatMatrix());
        assertArrayEquals(new float[] {-1, -1, -1, -1, 1, 1, 1, 1}, NeuBA.targetVectors(8, 1).toFloatVector());
    }

    @Test
    void eachTriggersClassIsTheHeadsArgmaxOfItsVector() {
        // class 0 reads dimension 0 (+0.5 bias), class 1 reads dimension 3
        var weight = Nd4j.create(new float[][] {{1, 0}, {0, 0}, {0, 0}, {0, 1}}).castTo(DataType.FLOAT);
        var bias = Nd4j.create(new float[] {0.5f, 0f});
        // logits: v0 (-0.5, 1), v1 (-0.5, 1), v2 (-0.5, -1), v3 (1.5, 1), v4 (1.5, -1), v5 (1.5, -1)
        assertArrayEquals(new int[] {1, 1, 0, 0, 0, 0}, NeuBAEvaluation.targetClasses(weight, bias, 6));
    }
}
