package org.gba4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused LayerNorm BERT's epsilon gets (issue 14) computes what the written-out formula computes, forward and
 * backward, on rows of very different scales; RoBERTa's epsilon keeps the written-out form, where the fused op's
 * missing epsilon would show.
 */
class LayerNormTest {
    private static final int ROWS = 6;
    private static final int WIDTH = 16;

    /** Output, then the gradients of a weighted sum of it with respect to x, gain and shift. */
    private static Map<String, INDArray> run(BiFunction<SameDiff, SDVariable[], SDVariable> norm, INDArray x) {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(7);
        SDVariable in = sd.var("x", x.dup());
        SDVariable gain = sd.var("gain", Nd4j.rand(DataType.FLOAT, WIDTH).addi(0.5));
        SDVariable shift = sd.var("shift", Nd4j.randn(DataType.FLOAT, WIDTH));
        SDVariable out = norm.apply(sd, new SDVariable[] {in, gain, shift});
        SDVariable loss = out.mul(sd.constant(Nd4j.randn(DataType.FLOAT, ROWS, WIDTH))).sum();
        loss.markAsLoss();
        Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "x", "gain", "shift");
        return Map.of("out", out.eval(), "x", grads.get("x"), "gain", grads.get("gain"), "shift", grads.get("shift"));
    }

    /** Rows from 1e-3 to 1e2 in scale, each with its own offset, of the order of its spread (as in an encoder). */
    private static INDArray rows() {
        Nd4j.getRandom().setSeed(42);
        INDArray x = Nd4j.randn(DataType.FLOAT, ROWS, WIDTH);
        for (int r = 0; r < ROWS; r++) {
            double scale = Math.pow(10, r - 3);
            x.getRow(r).muli(scale).addi(0.5 * (r - 2.5) * scale);
        }
        return x;
    }

    @Test
    void fusedEqualsWrittenOutForBertsEpsilon() {
        double eps = 1e-12;
        INDArray x = rows();
        Map<String, INDArray> fused = run((sd, v) -> BertGraph.layerNorm(sd, v[0], v[1], v[2], eps), x);
        Map<String, INDArray> written = run((sd, v) -> BertGraph.writtenOutLayerNorm(sd, v[0], v[1], v[2], eps), x);
        for (String key : fused.keySet()) {
            INDArray a = fused.get(key);
            INDArray b = written.get(key);
            double scale = Math.max(1.0, b.amaxNumber().doubleValue());
            double worst = a.sub(b).amaxNumber().doubleValue() / scale;
            assertTrue(worst < 1e-5, key + ": relative difference " + worst);
            assertTrue(b.amaxNumber().doubleValue() > 1e-3, key + " is not trivially zero");
        }
    }

    @Test
    void robertasEpsilonKeepsTheWrittenOutForm() {
        double eps = 1e-5;
        INDArray x = rows();
        Map<String, INDArray> chosen = run((sd, v) -> BertGraph.layerNorm(sd, v[0], v[1], v[2], eps), x);
        Map<String, INDArray> written = run((sd, v) -> BertGraph.writtenOutLayerNorm(sd, v[0], v[1], v[2], eps), x);
        Map<String, INDArray> fused = run((sd, v) -> sd.nn.layerNorm(v[0], v[1], v[2], false, 1), x);
        assertEquals(written.get("out"), chosen.get("out"));
        // the 1e-3-scale row: variance 1e-6 against epsilon 1e-5, so the fused op (no epsilon) differs there
        double gap = fused.get("out").getRow(0).sub(written.get("out").getRow(0)).amaxNumber().doubleValue();
        assertTrue(gap > 0.1, "the fused op's missing epsilon shows on a row of variance 1e-6: " + gap);
    }
}
