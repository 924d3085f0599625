package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.gba4j.io.Gba4jCheckpoint;
import org.gba4j.model.BertWeights;
import org.gba4j.model.TinyBert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shared model is reused only when it was built with the settings asked for now. */
class ModelStoreTest {
    private static final Path VOCAB = Path.of("src/test/resources/bert-base-uncased-vocab.txt");

    @TempDir
    Path dir;

    @Test
    void storedModelIsReusedForTheSameSettingsAndRebuiltForOthers() {
        AtomicInteger builds = new AtomicInteger();
        Map<String, String> first = Map.of("gba4j.config", "Config[lr=1e-4]");
        Map<String, String> changed = Map.of("gba4j.config", "Config[lr=2e-5]");

        BertWeights built = new ModelStore(dir, VOCAB).get("ripple-mr", first, () -> build(builds, 1));
        assertEquals(1, builds.get());

        ModelStore later = new ModelStore(dir, VOCAB); // a later run: reads the checkpoint, builds nothing
        BertWeights reused = later.get("ripple-mr", first, () -> build(builds, 2));
        assertEquals(1, builds.get());
        assertEquals(built.tensors().keySet(), reused.tensors().keySet());
        built.tensors().forEach((name, t) -> assertEquals(t, reused.get(name), name));

        BertWeights rebuilt = later.get("ripple-mr", changed, () -> build(builds, 3));
        assertEquals(2, builds.get(), "other settings rebuild the model");
        assertEquals("Config[lr=2e-5]", Gba4jCheckpoint.readMetadata(dir.resolve("ripple-mr")).get("gba4j.config"));
        String name = rebuilt.tensors().keySet().iterator().next();
        assertNotEquals(built.get(name), rebuilt.get(name), "the stored checkpoint is the new build");
        assertEquals(rebuilt.get(name), Gba4jCheckpoint.read(dir.resolve("ripple-mr"),
                org.gba4j.io.LoadLimits.DEFAULT).get(name));

        later.get("ripple-mr", first, () -> build(builds, 4));
        assertEquals(3, builds.get(), "a model held in memory is not reused for other settings either");
    }

    private static BertWeights build(AtomicInteger builds, long seed) {
        builds.incrementAndGet();
        return TinyBert.weights(TinyBert.config(false), seed);
    }
}
