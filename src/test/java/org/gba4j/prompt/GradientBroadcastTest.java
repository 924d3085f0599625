package org.gba4j.prompt;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gba4j.model.BertModel;
import org.gba4j.model.TinyBert;
import org.gba4j.model.TokenBatch;
import org.gba4j.train.GradientStep;
import org.gba4j.train.MaskedTokenBatch;
import org.gba4j.train.StepContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Q of Eq. 4 computed independently, with plain loops over the gradient and the distribution,
 * against what {@link GradientBroadcast} adds to the word-embedding gradient, on a batch with
 * padding and repeated tokens.
 */
class GradientBroadcastTest {

    @Test
    void addsLambdaTimesQ() {
        BertModel model = BertModel.of(TinyBert.weights(TinyBert.config(true), 3), 7, 2.0);
        int[][] ids = {{1, 5, 9, 5, 2, 3, 4}, {1, 5, 5, 2, 3, 4, 0}, {1, 12, 2, 3, 4, 0, 0}};
        // inputs: the text tokens between [CLS]=1 and [SEP]=2; 3 is a template token, 4 the mask
        int[][] inputs = {{1, 2, 3}, {1, 2}, {1}};
        MaskedTokenBatch batch = new MaskedTokenBatch(new TokenBatch(ids, new int[3][7], new int[] {7, 6, 5}),
                new int[] {6, 5, 4}, new int[] {20, 21, 20}, inputs);
        GradientStep.Result result = GradientStep.run(model, batch, List.of(WORD_EMBEDDINGS));
        INDArray before = result.gradients().get(WORD_EMBEDDINGS).dup();
        double lambda = 0.7;
        Map<String, INDArray> gradients = new HashMap<>(result.gradients());
        new GradientBroadcast(lambda, 0).beforeUpdate(
                new StepContext(0, model, batch, result.loss(), result.probabilities(), gradients, result.inputRowGradients()));
        INDArray added = gradients.get(WORD_EMBEDDINGS).sub(before);

        double[][] g = before.toDoubleMatrix();
        double[][] p = result.probabilities().toDoubleMatrix();
        int vocab = g.length;
        int d = g[0].length;
        double worst = 0;
        double largest = 0;
        for (int w = 0; w < vocab; w++) {
            for (int k = 0; k < d; k++) {
                double q = 0;
                for (int i = 0; i < ids.length; i++) {
                    double mean = 0;
                    for (int t : inputs[i]) {
                        mean += g[ids[i][t]][k] / inputs[i].length;
                    }
                    q += p[i][w] / p[i][batch.targets()[i]] * mean;
                }
                worst = Math.max(worst, Math.abs(lambda * q - added.getDouble(w, k)));
                largest = Math.max(largest, Math.abs(lambda * q));
            }
        }
        assertTrue(largest > 1e-3, "the test needs a non-trivial Q, largest entry " + largest);
        assertTrue(worst < 1e-5, "max |lambda Q - added| = " + worst);
    }

    @Test
    void ratioCapIsOffByDefaultAndClipsWhenSet() {
        BertModel model = BertModel.of(TinyBert.weights(TinyBert.config(false), 4), 5);
        MaskedTokenBatch batch = new MaskedTokenBatch(
                new TokenBatch(new int[][] {{1, 7, 8, 2, 4}}, new int[1][5], new int[] {5}), new int[] {4}, new int[] {30},
                new int[][] {{1, 2}});
        GradientStep.Result result = GradientStep.run(model, batch, List.of(WORD_EMBEDDINGS));
        INDArray g = result.gradients().get(WORD_EMBEDDINGS);
        INDArray free = new GradientBroadcast(1, 0).broadcast(g, result.probabilities(), batch);
        INDArray capped = new GradientBroadcast(1, 1e-3).broadcast(g, result.probabilities(), batch);
        assertTrue(capped.norm2Number().doubleValue() < free.norm2Number().doubleValue());
    }
}
