package org.gba4j.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.gba4j.io.PretrainedModel;
import org.gba4j.prompt.BroadcastForm;
import org.gba4j.prompt.BroadcastReading;
import org.gba4j.prompt.BroadcastSettings;
import org.gba4j.prompt.GradientBroadcast;
import org.gba4j.text.Tokenizer;
import org.gba4j.train.GradientStep;
import org.gba4j.train.MaskedTokenBatch;
import org.gba4j.train.PromptBatches;
import org.gba4j.train.Trainer;
import org.gba4j.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Freeing a step's native arrays at once (issue 14) changes no number: a pass gives the loss and every gradient of
 * M2.1's own gradient method, two GBA steps on MiniLM give the same losses and weights with SameDiff's own caching
 * sessions and with {@link NativeMemory}'s, and a closed step's arrays are really gone.
 */
class NativeMemoryTest {
    private static final String[] TEXTS = {"a gorgeous , witty , seductive movie .", "the film is strictly routine .",
        "an utterly charming and hilarious film .", "it 's a bad sign when you 're rooting for the film to end ."};

    @Test
    void freeingArraysChangesNoLossAndNoWeight() {
        try (PretrainedModel minilm = PretrainedModel.load(PretrainedModel.MINILM)) {
            MaskedTokenBatch batch = batch(minilm.tokenizer(), 24);
            double[] cached;
            Map<String, INDArray> cachedWeights;
            SameDiff.bindInferenceFactory(new SameDiff.DefaultInferenceFactory());
            try {
                BertModel model = BertModel.of(minilm.weights(), 24);
                cached = twoSteps(model, batch);
                cachedWeights = model.weights().tensors();
            } finally {
                NativeMemory.bind();
            }
            BertModel model = BertModel.of(minilm.weights(), 24);
            double[] freed = twoSteps(model, batch);
            assertArrayEquals(cached, freed, 1e-5);
            assertNotEquals(cached[0], cached[1], "the first step changed the weights");
            model.weights().tensors().forEach((name, w) ->
                    assertTrue(w.equalsWithEps(cachedWeights.get(name), 1e-5), name + " differs"));
        }
    }

    /** The pass with array release on gives what M2.1's own gradient method (release off) gives, to 1e-5. */
    @Test
    void releasingDuringThePassChangesNoGradient() {
        try (PretrainedModel minilm = PretrainedModel.load(PretrainedModel.MINILM)) {
            MaskedTokenBatch batch = batch(minilm.tokenizer(), 24);
            BertModel model = BertModel.of(minilm.weights(), 24);
            List<String> weights = model.weights().tensors().keySet().stream()
                    .filter(name -> model.graph().sameDiff().hasVariable(name)).toList();
            BertModel reference = BertModel.of(minilm.weights(), 24);
            Map<String, INDArray> feed = reference.feed(batch.tokens());
            feed.put(BertGraph.POSITION_SELECTOR, reference.selector(batch.tokens(), batch.positions()));
            INDArray targets = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4,
                    reference.config().vocabSize());
            for (int i = 0; i < 4; i++) {
                targets.putScalar(i, batch.targets()[i], 1f);
            }
            feed.put(BertGraph.TARGET_ONE_HOT, targets);
            List<String> requested = new java.util.ArrayList<>(weights);
            requested.add(BertGraph.EMBEDDING_SUM);
            var expected = reference.graph().sameDiff().calculateGradientsAndOutputs(feed,
                    List.of(BertGraph.LOSS, BertGraph.PROBABILITIES), requested);

            try (GradientStep.Result result = GradientStep.run(model, batch, weights)) {
                assertEquals(expected.getOutputs().get(BertGraph.LOSS).getDouble(0), result.loss(), 1e-5);
                assertTrue(expected.getOutputs().get(BertGraph.PROBABILITIES).equalsWithEps(result.probabilities(), 1e-5));
                assertTrue(weights.size() > 90, weights.size() + " weights");
                for (String name : weights) {
                    INDArray want = expected.getGradients().get(name);
                    if (name.equals(WeightNames.WORD_EMBEDDINGS)) {
                        want = GradientStep.scatterRows(want, expected.getGradients().get(BertGraph.EMBEDDING_SUM),
                                batch.tokens());
                    }
                    assertNotNull(result.gradients().get(name), name);
                    assertTrue(want.equalsWithEps(result.gradients().get(name), 1e-5), name + " differs");
                }
            }
        }
    }

    @Test
    void aClosedStepHasFreedItsArrays() {
        try (PretrainedModel minilm = PretrainedModel.load(PretrainedModel.MINILM)) {
            BertModel model = BertModel.of(minilm.weights(), 24);
            GradientStep.Result result = GradientStep.run(model, batch(minilm.tokenizer(), 24),
                    List.of(WeightNames.WORD_EMBEDDINGS, WeightNames.EMBEDDINGS_LN_WEIGHT));
            List<INDArray> arrays = new java.util.ArrayList<>(result.gradients().values());
            arrays.add(result.probabilities());
            result.close();
            assertEquals(3, arrays.size());
            arrays.forEach(a -> assertTrue(a.wasClosed(), "an array of the step is still allocated"));
            assertFalse(model.wordEmbeddings().wasClosed(), "the weights stay");
        }
    }

    /** The loss before each of two Adam steps with a decoupled broadcast (it keeps one array between calls). */
    private static double[] twoSteps(BertModel model, MaskedTokenBatch batch) {
        GradientBroadcast broadcast = new GradientBroadcast(new BroadcastSettings(0.5, BroadcastForm.DECOUPLED, 1e-3,
                BroadcastReading.MATRIX_ROWS, 0));
        Trainer trainer = new Trainer(model, TrainingConfig.adam(1e-4), List.of(broadcast));
        return new double[] {trainer.step(batch), trainer.step(batch)};
    }

    private static MaskedTokenBatch batch(Tokenizer tok, int seqLen) {
        return PromptBatches.of(tok, TEXTS, new String[] {"good", "terrible", "good", "terrible"}, seqLen);
    }
}
