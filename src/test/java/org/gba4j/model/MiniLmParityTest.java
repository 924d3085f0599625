package org.gba4j.model;

import static org.junit.jupiter.api.Assertions.*;

import org.gba4j.io.PretrainedModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The SameDiff encoder against ONNX Runtime running the original MiniLM graph: last hidden state
 * within 1e-4 at every real token of a padded batch of sentences of different lengths.
 */
class MiniLmParityTest {

    private static final String[] SENTENCES = {
        "the capital of france is paris .",
        "A gripping, beautifully acted film; I'd see it again!",
        "cf",
        "Naïve café owners don't always serve crème brûlée, but this one did -- and it was superb.",
    };

    @Test
    void lastHiddenStateMatchesOnnxRuntime() throws Exception {
        try (PretrainedModel pretrained = PretrainedModel.load(PretrainedModel.MINILM)) {
            int seqLen = 32;
            int[][] rows = new int[SENTENCES.length][];
            int[][] types = new int[SENTENCES.length][];
            for (int i = 0; i < SENTENCES.length; i++) {
                rows[i] = pretrained.tokenizer().encode(SENTENCES[i], seqLen).ids();
                types[i] = pretrained.tokenizer().encode(SENTENCES[i], seqLen).typeIds();
            }
            TokenBatch batch = TokenBatch.padded(rows, seqLen, pretrained.tokenizer().padId());
            INDArray ours = BertModel.of(pretrained.weights(), seqLen).lastHiddenState(batch);
            float[][][] reference = OnnxRuntimeReference.lastHiddenState(new org.gba4j.text.MiniLmArtifact().onnxModel(), batch);

            double worst = 0;
            for (int b = 0; b < rows.length; b++) {
                for (int t = 0; t < batch.lengths()[b]; t++) {
                    for (int k = 0; k < reference[b][t].length; k++) {
                        worst = Math.max(worst, Math.abs(reference[b][t][k] - ours.getDouble(b, t, k)));
                    }
                }
            }
            assertTrue(worst < 1e-4, "max |SameDiff - ONNX Runtime| = " + worst);
            assertNotEquals(batch.lengths()[0], batch.lengths()[3], "the batch must mix lengths");
        }
    }
}
