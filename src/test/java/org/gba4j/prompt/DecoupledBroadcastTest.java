package org.gba4j.prompt;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.TinyBert;
import org.gba4j.model.TokenBatch;
import org.gba4j.train.GradientStep;
import org.gba4j.train.MaskedTokenBatch;
import org.gba4j.train.Trainer;
import org.gba4j.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The decoupled broadcast on a tiny model, against a hand computation: one Adam step with the
 * decoupled broadcast ends exactly {@code eta_b * lambda * Q} (Q of Eq. 4 computed with plain loops
 * from the step's gradient) away from the same Adam step without a broadcast, in every row of the
 * word embeddings, and moves no other weight. The coupled form, by contrast, goes through Adam.
 */
class DecoupledBroadcastTest {
    private static final int[][] IDS = {{1, 5, 9, 5, 2, 3, 4}, {1, 5, 5, 2, 3, 4, 0}, {1, 12, 2, 3, 4, 0, 0}};
    private static final int[][] INPUTS = {{1, 2, 3}, {1, 2}, {1}};

    private static MaskedTokenBatch batch() {
        return new MaskedTokenBatch(new TokenBatch(IDS, new int[3][7], new int[] {7, 6, 5}), new int[] {6, 5, 4},
                new int[] {20, 21, 20}, INPUTS);
    }

    @Test
    void decoupledStepMovesEachRowByEtaLambdaQ() {
        BertWeights start = TinyBert.weights(TinyBert.config(true), 3);
        double lambda = 0.7;
        double eta = 3.0;
        // Q by hand, from the gradient and distribution of the unchanged model
        BertModel probe = BertModel.of(start, 7, 2.0);
        GradientStep.Result result = GradientStep.run(probe, batch(), List.of(WORD_EMBEDDINGS));
        double[][] g = result.gradients().get(WORD_EMBEDDINGS).toDoubleMatrix();
        double[][] p = result.probabilities().toDoubleMatrix();
        int vocab = g.length;
        int d = g[0].length;
        double[][] q = new double[vocab][d];
        for (int w = 0; w < vocab; w++) {
            for (int k = 0; k < d; k++) {
                for (int i = 0; i < IDS.length; i++) {
                    double mean = 0;
                    for (int t : INPUTS[i]) {
                        mean += g[IDS[i][t]][k] / INPUTS[i].length;
                    }
                    q[w][k] += p[i][w] / p[i][batch().targets()[i]] * mean;
                }
            }
        }

        BertModel plain = BertModel.of(start, 7, 2.0);
        new Trainer(plain, TrainingConfig.adam(1e-3), List.of()).step(batch());
        BertModel decoupled = BertModel.of(start, 7, 2.0);
        BroadcastSettings settings = new BroadcastSettings(lambda, BroadcastForm.DECOUPLED, eta,
                BroadcastReading.MATRIX_ROWS, 0);
        new Trainer(decoupled, TrainingConfig.adam(1e-3), List.of(new GradientBroadcast(settings))).step(batch());

        INDArray difference = plain.wordEmbeddings().sub(decoupled.wordEmbeddings());
        double worst = 0;
        double largest = 0;
        for (int w = 0; w < vocab; w++) {
            for (int k = 0; k < d; k++) {
                double expected = eta * lambda * q[w][k];
                worst = Math.max(worst, Math.abs(expected - difference.getDouble(w, k)));
                largest = Math.max(largest, Math.abs(expected));
            }
        }
        assertTrue(largest > 1e-3, "the test needs a non-trivial broadcast, largest entry " + largest);
        assertTrue(worst < 1e-5, "max |eta lambda Q - (plain - decoupled)| = " + worst);
        for (var entry : plain.weights().tensors().entrySet()) {
            if (!entry.getKey().equals(WORD_EMBEDDINGS)) {
                assertTrue(entry.getValue().equalsWithEps(decoupled.weights().get(entry.getKey()), 1e-7),
                        entry.getKey() + " must not change with the broadcast");
            }
        }
    }

    @Test
    void coupledAdamCapsEveryRowStepNearTheLearningRate() {
        BertWeights start = TinyBert.weights(TinyBert.config(true), 3);
        double lr = 1e-3;
        BertModel coupled = BertModel.of(start, 7, 2.0);
        new Trainer(coupled, TrainingConfig.adam(lr), List.of(new GradientBroadcast(BroadcastSettings.literal(50))))
                .step(batch());
        INDArray moved = coupled.wordEmbeddings().sub(start.get(WORD_EMBEDDINGS));
        // Adam's first step is lr * g / (|g| + eps) per element: a huge lambda cannot move a row further
        assertTrue(moved.amaxNumber().doubleValue() <= lr * 1.0001, "largest element step " + moved.amaxNumber());
    }

    @Test
    void decoupledNeedsARateAndTheFormIsRecorded() {
        assertThrows(IllegalArgumentException.class,
                () -> new BroadcastSettings(0.5, BroadcastForm.DECOUPLED, 0, BroadcastReading.MATRIX_ROWS, 0));
        BroadcastSettings settings = new BroadcastSettings(0.5, BroadcastForm.DECOUPLED, 10, BroadcastReading.INPUT_POSITIONS, 0);
        assertEquals("decoupled(10.0)+positions", settings.label());
        assertTrue(settings.toString().contains("DECOUPLED") && settings.toString().contains("INPUT_POSITIONS"));
    }
}
