package org.gba4j.train;

import static org.gba4j.model.WeightNames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.TinyBert;
import org.gba4j.model.TokenBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite differences against the analytic gradients of {@link GradientStep} on a tiny random BERT,
 * for a padded batch with repeated tokens: word embeddings (lookup scatter + tied decoder),
 * attention, feed-forward, position embeddings and the masked-LM transform.
 */
class GradientStepTest {
    private static final int SEQ = 6;
    private static BertWeights weights;
    private static MaskedTokenBatch batch;

    @BeforeAll
    static void setUp() {
        weights = TinyBert.weights(TinyBert.config(true), 7);
        // token 5 repeats within and across rows; rows 2 and 3 are padded with id 0
        int[][] ids = {{1, 5, 9, 5, 3, 2}, {1, 5, 7, 2, 0, 0}, {1, 11, 2, 0, 0, 0}};
        int[][] types = {{0, 0, 0, 1, 1, 1}, {0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}};
        batch = new MaskedTokenBatch(new TokenBatch(ids, types, new int[] {6, 4, 3}), new int[] {2, 1, 1},
                new int[] {20, 21, 20});
    }

    /**
     * Many positions into few rows, every run the same and equal to a sequential sum: M2.1's scatter_add alone lost
     * updates on repeated indices (off by up to 12 here, differently each run).
     */
    @Test
    void scatteringRepeatedTokensSumsEveryRow() {
        int b = 32;
        int t = 64;
        int d = 384;
        java.util.Random random = new java.util.Random(3);
        int[][] ids = new int[b][t];
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            lengths[i] = t - i; // padding positions must send nothing
            for (int j = 0; j < t; j++) {
                ids[i][j] = random.nextInt(50);
            }
        }
        TokenBatch tokens = new TokenBatch(ids, new int[b][t], lengths);
        INDArray rows = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, b, t, d);
        INDArray matrix = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 100, d);
        INDArray expected = matrix.dup();
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < lengths[i]; j++) {
                expected.getRow(ids[i][j]).addi(rows.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(j), org.nd4j.linalg.indexing.NDArrayIndex.all()));
            }
        }
        for (int run = 0; run < 20; run++) {
            INDArray target = matrix.dup();
            INDArray sum = GradientStep.scatterRows(target, rows, tokens);
            assertSame(target, sum, "the rows are added into the matrix itself");
            double off = sum.sub(expected).amaxNumber().doubleValue();
            assertTrue(off < 1e-3, "run " + run + ": " + off + " off the sequential sum");
        }
    }

    @Test
    void analyticGradientsMatchFiniteDifferences() {
        List<String> names = List.of(WORD_EMBEDDINGS, layer(0, QUERY) + WEIGHT, layer(1, KEY) + WEIGHT,
                layer(0, VALUE) + WEIGHT, layer(1, ATTENTION_OUTPUT) + WEIGHT, layer(0, QUERY) + BIAS,
                layer(0, INTERMEDIATE) + WEIGHT, layer(1, OUTPUT) + WEIGHT, POSITION_EMBEDDINGS, MLM_DENSE + WEIGHT,
                layer(0, ATTENTION_LN) + WEIGHT);
        BertModel model = BertModel.of(weights, SEQ);
        Map<String, INDArray> analytic = GradientStep.run(model, batch, names).gradients();

        // word-embedding rows: 5 (repeated in input), 20 (target, decoder only), 11 (input once), 0 (padding only), 33 (unused)
        long[][] probes = {{5, 3}, {5, 10}, {20, 0}, {11, 7}, {1, 2}, {33, 4}};
        for (long[] p : probes) {
            assertAgrees(WORD_EMBEDDINGS, p, analytic);
        }
        assertAgrees(layer(0, QUERY) + WEIGHT, new long[] {3, 4}, analytic);
        assertAgrees(layer(1, KEY) + WEIGHT, new long[] {0, 15}, analytic);
        assertAgrees(layer(0, VALUE) + WEIGHT, new long[] {5, 2}, analytic);
        assertAgrees(layer(1, ATTENTION_OUTPUT) + WEIGHT, new long[] {7, 1}, analytic);
        assertAgrees(layer(0, QUERY) + BIAS, new long[] {4}, analytic);
        assertAgrees(layer(0, INTERMEDIATE) + WEIGHT, new long[] {2, 9}, analytic);
        assertAgrees(layer(1, OUTPUT) + WEIGHT, new long[] {11, 5}, analytic);
        assertAgrees(POSITION_EMBEDDINGS, new long[] {1, 6}, analytic);
        assertAgrees(MLM_DENSE + WEIGHT, new long[] {6, 6}, analytic);
        assertAgrees(layer(0, ATTENTION_LN) + WEIGHT, new long[] {8}, analytic);
    }

    @Test
    void paddingSendsNoGradientToItsToken() {
        BertModel model = BertModel.of(weights, SEQ);
        INDArray grad = GradientStep.run(model, batch, List.of(WORD_EMBEDDINGS)).gradients().get(WORD_EMBEDDINGS);
        // row 0 ([PAD] here) occurs only at padding positions: only the tied decoder's softmax term reaches it
        double decoderOnly = numeric(WORD_EMBEDDINGS, new long[] {0, 0});
        assertEquals(decoderOnly, grad.getDouble(0, 0), 2e-3 + 0.02 * Math.abs(decoderOnly));
    }

    @Test
    void paddedTokensDoNotChangeTheOutput() {
        BertModel model = BertModel.of(weights, SEQ);
        int[][] other = {batch.tokens().ids()[0].clone(), batch.tokens().ids()[1].clone(), batch.tokens().ids()[2].clone()};
        other[2][4] = 17;
        other[1][5] = 30;
        TokenBatch changed = new TokenBatch(other, batch.tokens().typeIds(), batch.tokens().lengths());
        INDArray a = model.logits(batch.tokens(), batch.positions());
        INDArray b = model.logits(changed, batch.positions());
        assertTrue(a.equalsWithEps(b, 1e-6), "padding leaked into the output");
    }

    private static void assertAgrees(String name, long[] index, Map<String, INDArray> analytic) {
        double expected = numeric(name, index);
        double actual = analytic.get(name).getDouble(index);
        assertEquals(expected, actual, 2e-3 + 0.02 * Math.abs(expected),
                name + java.util.Arrays.toString(index) + ": finite difference " + expected + " vs analytic " + actual);
    }

    /** Central difference of the loss with respect to one weight entry, on a fresh model each side. */
    private static double numeric(String name, long[] index) {
        double h = 1e-2;
        return (lossWith(name, index, h) - lossWith(name, index, -h)) / (2 * h);
    }

    private static double lossWith(String name, long[] index, double delta) {
        INDArray changed = weights.get(name).dup();
        changed.putScalar(index, changed.getDouble(index) + delta);
        BertModel model = BertModel.of(weights.with(Map.of(name, changed)), SEQ);
        return GradientStep.run(model, batch, List.of(layer(0, QUERY) + BIAS)).loss();
    }
}
