package org.gba4j.model;

import static org.gba4j.model.WeightNames.*;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Random small checkpoints for tests that need exact control over shapes. */
public final class TinyBert {
    private TinyBert() {
    }

    public static BertConfig config(boolean mlmHead) {
        return new BertConfig("bert", 40, 16, 2, 4, 24, 12, 2, 1e-12, mlmHead, 0);
    }

    public static BertWeights weights(BertConfig c, long seed) {
        Random random = new Random(seed);
        Map<String, INDArray> t = new LinkedHashMap<>();
        int d = c.hidden();
        t.put(WORD_EMBEDDINGS, normal(random, 0.5, c.vocabSize(), d));
        t.put(POSITION_EMBEDDINGS, normal(random, 0.3, c.maxPositions(), d));
        t.put(TOKEN_TYPE_EMBEDDINGS, normal(random, 0.3, c.typeVocabSize(), d));
        t.put(EMBEDDINGS_LN_WEIGHT, around(random, 1.0, d));
        t.put(EMBEDDINGS_LN_BIAS, normal(random, 0.1, d));
        for (int i = 0; i < c.layers(); i++) {
            for (String lin : new String[] {QUERY, KEY, VALUE, ATTENTION_OUTPUT}) {
                t.put(layer(i, lin) + WEIGHT, normal(random, 0.3, d, d));
                t.put(layer(i, lin) + BIAS, normal(random, 0.1, d));
            }
            t.put(layer(i, INTERMEDIATE) + WEIGHT, normal(random, 0.3, d, c.intermediate()));
            t.put(layer(i, INTERMEDIATE) + BIAS, normal(random, 0.1, c.intermediate()));
            t.put(layer(i, OUTPUT) + WEIGHT, normal(random, 0.3, c.intermediate(), d));
            t.put(layer(i, OUTPUT) + BIAS, normal(random, 0.1, d));
            for (String ln : new String[] {ATTENTION_LN, OUTPUT_LN}) {
                t.put(layer(i, ln) + WEIGHT, around(random, 1.0, d));
                t.put(layer(i, ln) + BIAS, normal(random, 0.1, d));
            }
        }
        if (c.hasMlmHead()) {
            t.put(MLM_DENSE + WEIGHT, normal(random, 0.3, d, d));
            t.put(MLM_DENSE + BIAS, normal(random, 0.1, d));
            t.put(MLM_LN + WEIGHT, around(random, 1.0, d));
            t.put(MLM_LN + BIAS, normal(random, 0.1, d));
            t.put(MLM_BIAS, normal(random, 0.1, c.vocabSize()));
        }
        return new BertWeights("tiny-random-" + seed, c, t);
    }

    private static INDArray normal(Random random, double scale, long... shape) {
        INDArray a = Nd4j.create(DataType.FLOAT, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, (float) (random.nextGaussian() * scale));
        }
        return a;
    }

    private static INDArray around(Random random, double centre, long n) {
        return normal(random, 0.1, n).addi(centre);
    }
}
