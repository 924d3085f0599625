package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.gba4j.classify.TextClassifier;
import org.gba4j.model.BertWeights;
import org.gba4j.model.TinyBert;
import org.junit.jupiter.api.Test;

/** One training serves consecutive floor cells only when they start from the same weights with the same settings. */
class SharedFloorDefenseTest {
    private final BertWeights floor = TinyBert.weights(TinyBert.config(false), 1);
    private final BertWeights base = TinyBert.weights(TinyBert.config(false), 2);
    private final AtomicInteger trainings = new AtomicInteger();
    private final Supplier<TextClassifier> train = () -> {
        trainings.incrementAndGet();
        return new TextClassifier(null, null, new int[] {trainings.get()});
    };

    @Test
    void reusesOnlyTheSameInputs() {
        SharedFloorDefense shared = new SharedFloorDefense();
        TextClassifier first = shared.get(floor, floor, "mr|gba", train);
        assertSame(first, shared.get(floor, floor, "mr|gba", train), "BadNets' and RIPPLe's floors: one training");
        assertEquals(1, trainings.get());

        assertNotSame(first, shared.get(floor, base, "mr|gba", train), "NeuBA's floor adapts the base encoder");
        assertNotSame(first, shared.get(floor, floor, "mr|gba", train), "only the last entry is kept");
        shared.get(floor, floor, "mr|gba|lambda=2", train);
        shared.get(floor, TinyBert.weights(TinyBert.config(false), 1), "mr|gba|lambda=2", train); // equal, not the same
        assertEquals(5, trainings.get());
        shared.get(floor, floor, "mr|gba", train);
        shared.clear();
        shared.get(floor, floor, "mr|gba", train);
        assertEquals(7, trainings.get(), "cleared: nothing kept");
    }
}
