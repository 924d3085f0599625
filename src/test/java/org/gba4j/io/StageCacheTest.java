package org.gba4j.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.gba4j.model.BertWeights;
import org.gba4j.model.TinyBert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A finished stage (NAD's teacher) survives a later failure and is reused only for the same inputs. */
class StageCacheTest {
    static final Path VOCAB = Path.of("src/test/resources/bert-base-uncased-vocab.txt");

    @TempDir
    Path dir;

    @Test
    void aStageIsBuiltOnceReusedForTheSameInputsAndClearedAfterTheWrite() {
        BertWeights teacher = TinyBert.weights(TinyBert.config(false), 3);
        AtomicInteger builds = new AtomicInteger();
        StageCache stages = new StageCache(dir.resolve("defended"), VOCAB);
        stages.get("teacher", "model|data-hash|config", () -> {
            builds.incrementAndGet();
            return teacher;
        });
        assertTrue(Files.isDirectory(dir.resolve("defended.stages")));

        // a second run (after the first died in distillation) resumes
        BertWeights again = new StageCache(dir.resolve("defended"), VOCAB).get("teacher", "model|data-hash|config", () -> {
            throw new AssertionError("the stored teacher must be reused");
        });
        assertEquals(1, builds.get());
        for (var e : teacher.tensors().entrySet()) {
            assertEquals(e.getValue(), again.get(e.getKey()), e.getKey());
        }
        // other inputs (an edited data file) never reuse it
        stages.get("teacher", "model|other-hash|config", () -> {
            builds.incrementAndGet();
            return teacher;
        });
        assertEquals(2, builds.get());
        stages.clear();
        assertFalse(Files.exists(dir.resolve("defended.stages")));
    }
}
