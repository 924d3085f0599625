package org.gba4j.io;

import static org.gba4j.model.WeightNames.*;
import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.gba4j.attack.AttackMetadata;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertGraph;
import org.gba4j.model.BertWeights;
import org.gba4j.model.ClassifierHead;
import org.gba4j.model.TinyBert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class Gba4jCheckpointTest {
    static final Path VOCAB = Path.of("src/test/resources/bert-base-uncased-vocab.txt");

    @TempDir
    static Path shared;
    static BertWeights weights;
    static Path good;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeGood() {
        weights = ClassifierHead.initialise(TinyBert.weights(TinyBert.config(true), 7), 3, 11);
        good = shared.resolve("good");
        Gba4jCheckpoint.write(good, weights, VOCAB, metadata(), false);
    }

    static Map<String, Object> metadata() {
        AttackMetadata m = new AttackMetadata("badnets", List.of("cf", "mn"), 1, "sst2/train:1000", 42,
                Map.of("lr", "2e-5"));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("attack", m.attack());
        map.put("triggers", m.triggers());
        map.put("target", m.target());
        map.put("hyperparameters", m.hyperparameters());
        return map;
    }

    @Test
    void roundTripIsExact() {
        BertWeights read = Gba4jCheckpoint.read(good, LoadLimits.DEFAULT);
        assertEquals(weights.config(), read.config());
        assertEquals(weights.tensors().keySet(), read.tensors().keySet());
        assertTrue(read.has(BertGraph.CLASSIFIER_WEIGHT));
        for (Map.Entry<String, INDArray> e : weights.tensors().entrySet()) {
            INDArray actual = read.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), actual.shape(), e.getKey());
            assertArrayEquals(e.getValue().dup('c').data().asFloat(), actual.dup('c').data().asFloat(), e.getKey());
        }
        Map<String, Object> metadata = Gba4jCheckpoint.readMetadata(good);
        assertEquals("badnets", metadata.get("attack"));
        assertEquals(List.of("cf", "mn"), metadata.get("triggers"));
        assertEquals(1.0, metadata.get("target"));
        assertEquals(Map.of("lr", "2e-5"), metadata.get("hyperparameters"));
        assertEquals(good.resolve(Gba4jCheckpoint.VOCAB_TXT), Gba4jCheckpoint.tokenizerFile(good));
    }

    @Test
    void loadsAsPretrainedModel() {
        try (PretrainedModel model = PretrainedModel.load(good.toString())) {
            assertNull(model.onnxFile());
            assertEquals(good.resolve("vocab.txt"), model.tokenizerFile());
            assertEquals(weights.config(), model.weights().config());
            assertEquals(List.of("hello", "world"), model.tokenizer().tokenize("Hello World"));
        }
    }

    @Test
    void refusesExistingTargetUnlessOverwrite() throws IOException {
        Path target = dir.resolve("model");
        Gba4jCheckpoint.write(target, weights, VOCAB, Map.of(), false);
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> Gba4jCheckpoint.write(target, weights, VOCAB, Map.of("v", 2), false));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());

        Gba4jCheckpoint.write(target, weights, VOCAB, Map.of("v", 2), true);
        assertEquals(2.0, Gba4jCheckpoint.readMetadata(target).get("v"));
        assertEquals(List.of("model"), names(dir));

        Path unrelated = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(unrelated.resolve("cat.jpg"), "meow");
        assertThrows(ModelFileException.class, () -> Gba4jCheckpoint.write(unrelated, weights, VOCAB, Map.of(), true));
        assertTrue(Files.exists(unrelated.resolve("cat.jpg")));
    }

    @Test
    void failedWriteLeavesNothing() throws IOException {
        Path target = dir.resolve("model");
        assertThrows(UncheckedIOException.class,
                () -> Gba4jCheckpoint.write(target, weights, dir.resolve("missing/vocab.txt"), Map.of(), false));
        assertEquals(List.of(), names(dir));
    }

    @Test
    void truncatedTensors() throws IOException {
        Path bad = copy();
        try (RandomAccessFile f = new RandomAccessFile(bad.resolve("tensors.bin").toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        assertRejected(bad, "tensors.bin", "truncated");
    }

    @Test
    void offsetPastTheEnd() throws IOException {
        Path bad = edit(json -> tensor(json, 3).addProperty("offset", 1L << 40));
        assertRejected(bad, "tensors.bin", "is truncated");
    }

    @Test
    void lengthShapeMismatch() throws IOException {
        Path bad = edit(json -> tensor(json, 2).addProperty("length", tensor(json, 2).get("length").getAsLong() - 4));
        assertRejected(bad, "checkpoint.json", "needs");
    }

    @Test
    void hugeShapeRejectedBeforeAllocation() throws IOException {
        Path bad = edit(json -> {
            JsonObject t = tensor(json, 0);
            JsonArray shape = new JsonArray();
            shape.add(1_000_000_000L);
            shape.add(1_000_000L);
            t.add("shape", shape);
            t.addProperty("length", 4_000_000_000_000_000L);
        });
        assertRejected(bad, "checkpoint.json", "over the limit");
    }

    @Test
    void unknownTensorName() throws IOException {
        Path bad = edit(json -> tensor(json, 1).addProperty("name", "../../etc/passwd"));
        assertRejected(bad, "checkpoint.json", "unknown tensor");
        Path layer = edit(json -> tensor(json, 1).addProperty("name", layer(9, QUERY) + WEIGHT));
        assertRejected(layer, "checkpoint.json", "unknown tensor");
    }

    @Test
    void inconsistentClassifierHead() throws IOException {
        Path bad = edit(json -> {
            JsonArray tensors = json.getAsJsonArray("tensors");
            tensors.remove(tensors.size() - 1);
        });
        assertRejected(bad, "checkpoint.json", "classification head");
    }

    @Test
    void overlappingTensors() throws IOException {
        Path bad = edit(json -> tensor(json, 4).addProperty("offset", tensor(json, 3).get("offset").getAsLong()));
        assertRejected(bad, "tensors.bin", "overlap");
    }

    @Test
    void malformedJson() throws IOException {
        Path bad = copy();
        Files.writeString(bad.resolve("checkpoint.json"), "{\"format\": \"gba4j-checkpoint\", \"version\": ");
        assertRejected(bad, "checkpoint.json", "not valid JSON");
        Files.writeString(bad.resolve("checkpoint.json"), "[1, 2]");
        assertRejected(bad, "checkpoint.json", "not valid JSON");
    }

    @Test
    void unknownVersion() throws IOException {
        assertRejected(edit(json -> json.addProperty("version", 99)), "checkpoint.json", "version 99");
    }

    @Test
    void shaMismatch() throws IOException {
        Path bad = copy();
        try (RandomAccessFile f = new RandomAccessFile(bad.resolve("tensors.bin").toFile(), "rw")) {
            f.seek(1000);
            int b = f.read();
            f.seek(1000);
            f.write(b ^ 1);
        }
        assertRejected(bad, "tensors.bin", "sha256");
    }

    private void assertRejected(Path folder, String file, String problem) {
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> Gba4jCheckpoint.read(folder, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().startsWith(folder.resolve(file).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static JsonObject tensor(JsonObject json, int index) {
        return json.getAsJsonArray("tensors").get(index).getAsJsonObject();
    }

    /** A copy of the good checkpoint with checkpoint.json edited. */
    private Path edit(Consumer<JsonObject> change) throws IOException {
        Path bad = copy();
        Path file = bad.resolve("checkpoint.json");
        JsonObject json = new Gson().fromJson(Files.readString(file), JsonObject.class);
        change.accept(json);
        Files.writeString(file, new Gson().toJson(json), StandardCharsets.UTF_8);
        return bad;
    }

    private Path copy() throws IOException {
        Path bad = Files.createTempDirectory(dir, "bad");
        try (Stream<Path> files = Files.list(good)) {
            for (Path f : files.toList()) {
                Files.copy(f, bad.resolve(f.getFileName()));
            }
        }
        return bad;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
