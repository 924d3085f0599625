package org.gba4j.train;

import static org.gba4j.model.WeightNames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.TinyBert;
import org.gba4j.model.TokenBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weights handed over to one graph are trained in place (no copy of the model) and cannot be read or built again
 * behind the graph's back; ordinary weights are copied and stay as loaded.
 */
class HandOverTest {
    private static final MaskedTokenBatch BATCH = new MaskedTokenBatch(new TokenBatch(new int[][] {{1, 5, 9, 2}, {1, 7, 2, 0}},
            new int[][] {{0, 0, 0, 0}, {0, 0, 0, 0}}, new int[] {4, 3}), new int[] {2, 1}, new int[] {20, 21});

    @Test
    void aHandedOverModelIsTrainedInPlaceAndCannotBeReadAgain() {
        BertWeights loaded = TinyBert.weights(TinyBert.config(true), 3);
        INDArray query = loaded.get(layer(0, QUERY) + WEIGHT);
        INDArray before = query.dup();
        BertWeights handed = loaded.handOver();
        assertThrows(IllegalStateException.class, () -> loaded.get(WORD_EMBEDDINGS), "the loaded object was given away");
        assertThrows(IllegalStateException.class, loaded::handOver);

        BertModel model = BertModel.of(handed, 4);
        try (Trainer trainer = new Trainer(model, TrainingConfig.adam(1e-2), List.of())) {
            trainer.step(BATCH);
        }
        assertFalse(query.equalsWithEps(before, 0), "the graph trained the loaded array itself, not a copy");
        assertTrue(model.weights().get(layer(0, QUERY) + WEIGHT).equalsWithEps(query, 0));
        assertThrows(IllegalStateException.class, () -> handed.get(WORD_EMBEDDINGS), "its arrays now train in the graph");
        assertThrows(IllegalStateException.class, () -> BertModel.of(handed, 4), "a second graph on the same arrays");
    }

    @Test
    void ordinaryWeightsAreCopiedAndStayAsLoaded() {
        BertWeights loaded = TinyBert.weights(TinyBert.config(true), 3);
        INDArray before = loaded.get(layer(0, QUERY) + WEIGHT).dup();
        BertModel model = BertModel.of(loaded, 4);
        try (Trainer trainer = new Trainer(model, TrainingConfig.adam(1e-2), List.of())) {
            trainer.step(BATCH);
        }
        assertTrue(loaded.get(layer(0, QUERY) + WEIGHT).equalsWithEps(before, 0));
        assertFalse(model.weights().get(layer(0, QUERY) + WEIGHT).equalsWithEps(before, 0));
        BertModel.of(loaded, 4); // and a second graph is fine
    }
}
