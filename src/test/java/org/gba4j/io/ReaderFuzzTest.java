package org.gba4j.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.TinyBert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random truncations and byte flips of real model files (the RoBERTa ONNX fixture, a gba4j checkpoint):
 * every outcome is a clean {@link ModelFileException} or a load, never another exception, a hang or an
 * allocation past the limits (issue 17).
 */
class ReaderFuzzTest {
    private static final int ITERATIONS = 200;

    @TempDir
    Path dir;

    @Test
    void onnxReaderSurvivesTruncationAndFlips() throws Exception {
        byte[] original;
        try (InputStream in = getClass().getResourceAsStream("/roberta-fixture/model.onnx")) {
            original = in.readAllBytes();
        }
        Path file = dir.resolve("model.onnx");
        Random random = new Random(17);
        int[] outcomes = new int[2];
        for (int i = 0; i < ITERATIONS; i++) {
            Files.write(file, mutate(original, random));
            outcomes[outcome(() -> OnnxCheckpointReader.load(file), i)]++;
        }
        System.out.printf("onnx fuzz: %d loads, %d clean errors%n", outcomes[0], outcomes[1]);
        assertTrue(outcomes[1] > ITERATIONS / 4, "most truncations must be caught: " + outcomes[1]);
    }

    @Test
    void checkpointReaderSurvivesTruncationAndFlips() throws Exception {
        Path good = dir.resolve("good");
        Gba4jCheckpoint.write(good, TinyBert.weights(TinyBert.config(true), 5),
                Path.of("src/test/resources/bert-base-uncased-vocab.txt"), Map.of("gba4j.classes", "2"), false);
        List<String> names = List.of(Gba4jCheckpoint.CHECKPOINT_JSON, Gba4jCheckpoint.TENSORS_BIN,
                Gba4jCheckpoint.METADATA_JSON);
        Random random = new Random(23);
        int[] outcomes = new int[2];
        for (int i = 0; i < ITERATIONS; i++) {
            Path copy = dir.resolve("c" + i);
            Files.createDirectories(copy);
            try (var files = Files.list(good)) {
                for (Path f : files.toList()) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
            Path victim = copy.resolve(names.get(random.nextInt(names.size())));
            Files.write(victim, mutate(Files.readAllBytes(victim), random));
            outcomes[outcome(() -> {
                Gba4jCheckpoint.read(copy, LoadLimits.DEFAULT);
                Gba4jCheckpoint.readMetadata(copy);
            }, i)]++;
            org.gba4j.io.AtomicFiles.deleteTree(copy);
        }
        System.out.printf("checkpoint fuzz: %d loads, %d clean errors%n", outcomes[0], outcomes[1]);
        // every byte of a checkpoint is covered by a hash or a parse, so nearly every change is caught
        assertTrue(outcomes[1] >= ITERATIONS * 9 / 10, "changes must be caught: " + outcomes[1]);
    }

    /** A truncation (a third of the time) or one to eight flipped bytes. */
    private static byte[] mutate(byte[] bytes, Random random) {
        if (bytes.length == 0 || random.nextInt(3) == 0) {
            return java.util.Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length));
        }
        byte[] out = bytes.clone();
        for (int k = 1 + random.nextInt(8); k > 0; k--) {
            int at = random.nextInt(out.length);
            out[at] ^= (byte) (1 + random.nextInt(255));
        }
        return out;
    }

    /** 0 for a load, 1 for a clean error; anything else fails the test. */
    private static int outcome(Runnable load, int iteration) {
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(20), load::run, "iteration " + iteration + " hung");
            return 0;
        } catch (ModelFileException e) {
            return 1;
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("iteration " + iteration + ": " + e + " is not a clean error", e);
        }
    }
}
