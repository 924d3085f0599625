package org.gba4j.bench;

import static org.junit.jupiter.api.Assertions.*;

import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.WeightNames;
import org.junit.jupiter.api.Test;

/** The depth-scaling check's model: MiniLM's six blocks repeated, each copy its own array. */
class BenchTest {

    @Test
    void stackingRepeatsEveryBlockInOrder() {
        try (PretrainedModel minilm = PretrainedModel.load(PretrainedModel.MINILM)) {
            BertWeights one = minilm.weights();
            BertWeights twice = Bench.stacked(one, 2);
            int layers = one.config().layers();
            assertEquals(2 * layers, twice.config().layers());
            assertEquals(one.config().hidden(), twice.config().hidden());
            for (int i = 0; i < 2 * layers; i++) {
                String name = WeightNames.layer(i, WeightNames.QUERY + ".weight");
                assertEquals(one.get(WeightNames.layer(i % layers, WeightNames.QUERY + ".weight")), twice.get(name), name);
            }
            assertNotSame(one.get(WeightNames.layer(0, WeightNames.QUERY + ".weight")),
                    twice.get(WeightNames.layer(layers, WeightNames.QUERY + ".weight")), "a copy trains apart");
            assertSame(one.get(WeightNames.WORD_EMBEDDINGS), twice.get(WeightNames.WORD_EMBEDDINGS));
            assertEquals(one.tensors().size() + one.tensors().keySet().stream().filter(n -> n.startsWith("encoder.layer."))
                    .count(), twice.tensors().size());
            assertThrows(IllegalArgumentException.class, () -> Bench.stacked(one, 0));
        }
    }
}
