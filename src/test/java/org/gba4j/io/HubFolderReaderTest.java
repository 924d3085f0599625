package org.gba4j.io;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gba4j.cli.Cli;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertModel;
import org.gba4j.model.TokenBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Hugging Face Hub folder (the committed fixture of {@code onnx-import/safetensors-fixture/generate.py}: a
 * 2-layer BertForMaskedLM as save_pretrained writes it, single-file and sharded) through the normal path,
 * {@link PretrainedModel#load}, against PyTorch's own outputs; and forged safetensors headers, each refused with
 * one line before any tensor is allocated.
 */
class HubFolderReaderTest {
    private static final List<String> SINGLE = List.of("config.json", "model.safetensors", "tokenizer_config.json",
            "vocab.txt");
    private static final List<String> SHARDED = List.of("config.json", "model-00001-of-00002.safetensors",
            "model-00002-of-00002.safetensors", "model.safetensors.index.json", "tokenizer_config.json", "vocab.txt");

    @TempDir
    static Path dir;
    static JsonObject reference;

    @BeforeAll
    static void copyFixture() throws IOException {
        copy("bert", SINGLE);
        copy("bert-sharded", SHARDED);
        try (InputStream in = HubFolderReaderTest.class.getResourceAsStream("/safetensors-fixture/reference.json")) {
            reference = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private static void copy(String folder, List<String> names) throws IOException {
        Files.createDirectories(dir.resolve(folder));
        for (String name : names) {
            try (InputStream in = HubFolderReaderTest.class.getResourceAsStream("/safetensors-fixture/" + folder + "/" + name)) {
                assertNotNull(in, "safetensors-fixture/" + folder + "/" + name + " is not on the test classpath");
                Files.copy(in, dir.resolve(folder).resolve(name));
            }
        }
    }

    @Test
    void readsTheConfigurationFromConfigJsonAndTheTensors() {
        try (PretrainedModel model = PretrainedModel.load(dir.resolve("bert").toString())) {
            int vocab = reference.get("vocab_size").getAsInt();
            assertEquals(new BertConfig("bert", vocab, 32, 2, 4, 64, 40, 2, 1e-12, true, 0), model.weights().config());
            assertEquals(vocab, model.tokenizer().vocabSize());
            assertNull(model.onnxFile());
        }
    }

    @Test
    void tokenIdsMatchTheGenerator() {
        try (PretrainedModel model = PretrainedModel.load(dir.resolve("bert").toString())) {
            for (var e : reference.getAsJsonArray("sentences")) {
                JsonObject s = e.getAsJsonObject();
                assertArrayEquals(RobertaFixtureParityTest.ints(s.getAsJsonArray("ids")),
                        model.tokenizer().encode(s.get("text").getAsString()).ids(), s.get("text").getAsString());
            }
        }
    }

    @Test
    void hiddenStatesAndMaskedLmLogitsMatchPyTorch() {
        JsonObject batchJson = reference.getAsJsonObject("batch");
        int[] lengths = RobertaFixtureParityTest.ints(batchJson.getAsJsonArray("lengths"));
        JsonArray rowsJson = batchJson.getAsJsonArray("input_ids");
        try (PretrainedModel model = PretrainedModel.load(dir.resolve("bert").toString())) {
            int[][] rows = new int[lengths.length][];
            for (int b = 0; b < rows.length; b++) {
                rows[b] = model.tokenizer().encode(batchJson.getAsJsonArray("texts").get(b).getAsString()).ids();
                assertArrayEquals(Arrays.copyOf(RobertaFixtureParityTest.ints(rowsJson.get(b).getAsJsonArray()), lengths[b]),
                        rows[b]);
            }
            int seqLen = rowsJson.get(0).getAsJsonArray().size();
            TokenBatch batch = TokenBatch.padded(rows, seqLen, model.tokenizer().padId());
            BertModel bert = BertModel.of(model.weights(), seqLen, 1.0);
            INDArray hidden = bert.lastHiddenState(batch);
            double worst = 0;
            double worstLogit = 0;
            double largestLogit = 0;
            for (int t = 0; t < seqLen; t++) {
                int[] positions = new int[rows.length];
                for (int b = 0; b < rows.length; b++) {
                    positions[b] = Math.min(t, lengths[b] - 1);
                }
                INDArray logits = bert.logits(batch, positions);
                for (int b = 0; b < rows.length; b++) {
                    if (t >= lengths[b]) {
                        continue; // padding positions are outputs of neither model
                    }
                    JsonArray h = batchJson.getAsJsonArray("last_hidden_state").get(b).getAsJsonArray().get(t).getAsJsonArray();
                    for (int k = 0; k < h.size(); k++) {
                        worst = Math.max(worst, Math.abs(h.get(k).getAsDouble() - hidden.getDouble(b, t, k)));
                    }
                    JsonArray l = batchJson.getAsJsonArray("mlm_logits").get(b).getAsJsonArray().get(t).getAsJsonArray();
                    assertEquals(l.size(), logits.size(1));
                    for (int v = 0; v < l.size(); v++) {
                        worstLogit = Math.max(worstLogit, Math.abs(l.get(v).getAsDouble() - logits.getDouble(b, v)));
                        largestLogit = Math.max(largestLogit, Math.abs(l.get(v).getAsDouble()));
                    }
                }
            }
            assertTrue(worst < 1e-4, "max |SameDiff - PyTorch| hidden = " + worst);
            assertTrue(worstLogit < 1e-4, "max |SameDiff - PyTorch| masked-LM logits = " + worstLogit);
            assertTrue(largestLogit > 1, "a non-trivial reference");
            System.out.printf("safetensors fixture: max |SameDiff - PyTorch| hidden %.2e, masked-LM logits %.2e"
                    + " (largest |logit| %.2f)%n", worst, worstLogit, largestLogit);
        }
    }

    @Test
    void shardsGiveTheSameWeights() {
        try (PretrainedModel one = PretrainedModel.load(dir.resolve("bert").toString());
             PretrainedModel two = PretrainedModel.load(dir.resolve("bert-sharded").toString())) {
            assertEquals(one.weights().config(), two.weights().config());
            assertEquals(one.weights().tensors().keySet(), two.weights().tensors().keySet());
            one.weights().tensors().forEach((name, t) -> assertEquals(t, two.weights().get(name), name));
        }
    }

    @Test
    void halfPrecisionConvertsExactly() {
        assertEquals(1.0f, SafetensorsFile.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, SafetensorsFile.halfToFloat((short) 0xc000));
        assertEquals(65504f, SafetensorsFile.halfToFloat((short) 0x7bff)); // largest normal
        assertEquals(0x1p-24f, SafetensorsFile.halfToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(Float.NEGATIVE_INFINITY, SafetensorsFile.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(SafetensorsFile.halfToFloat((short) 0x7e00)));
    }

    @Test
    void readsF16AndBf16Tensors() throws IOException {
        // [1.0, -2.0] in each half type; bfloat16 is float32's upper 16 bits
        Path f = forged(Map.of("a", "{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}",
                "b", "{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[4,8]}"), new short[] {0x3c00, (short) 0xc000,
                0x3f80, (short) 0xc000});
        SafetensorsFile file = SafetensorsFile.open(f, LoadLimits.DEFAULT);
        assertArrayEquals(new float[] {1, -2}, file.read("a").toFloatVector());
        assertArrayEquals(new long[] {1, 2}, file.read("b").shape());
        assertArrayEquals(new float[] {1, -2}, file.read("b").toFloatVector());
    }

    @Test
    void forgedHeadersAreOneLineEach() throws IOException {
        String ok = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        short[] eight = new short[4];
        assertRefused(forged(Map.of("a", "{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}"), eight),
                "outside the 8 data bytes");
        assertRefused(forged(Map.of("a", ok, "b", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}"), eight),
                "overlap");
        assertRefused(forged(Map.of("a", "{\"dtype\":\"F32\",\"shape\":[400000000,4],\"data_offsets\":[0,8]}"),
                eight), "over the limit");
        assertRefused(forged(Map.of("a", "{\"dtype\":\"F32\",\"shape\":[4000000000,4000000000],\"data_offsets\":[0,8]}"),
                eight), "overflowing shape");
        assertRefused(forged(Map.of("a", "{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}"), eight),
                "unknown dtype Q4");
        assertRefused(forged(Map.of("a", "{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}"), eight),
                "12 bytes) over 8 bytes");
        assertRefused(forged(Map.of("a", "{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}"), eight),
                "unreadable shape");
        Path longHeader = forged(Map.of("a", ok), eight);
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(Files.size(longHeader));
        byte[] bytes = Files.readAllBytes(longHeader);
        System.arraycopy(length.array(), 0, bytes, 0, 8);
        Files.write(longHeader, bytes);
        assertRefused(longHeader, "declares a header of");
        Path huge = forged(Map.of("a", ok), eight);
        bytes = Files.readAllBytes(huge);
        Arrays.fill(bytes, 0, 8, (byte) 0xff); // 2^64 - 1 as unsigned
        Files.write(huge, bytes);
        assertRefused(huge, "18446744073709551615");
        Path i64 = forged(Map.of("a", "{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}"), eight);
        SafetensorsFile file = SafetensorsFile.open(i64, LoadLimits.DEFAULT); // a buffer in the header is fine
        ModelFileException e = assertThrows(ModelFileException.class, () -> file.read("a")); // reading it is not
        assertTrue(e.getMessage().contains("not a floating-point type"), e.getMessage());
    }

    @Test
    void theCliRefusesAForgedWeightFileWithOneErrorLine() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("forged-cli"));
        for (String name : List.of("config.json", "vocab.txt")) {
            Files.copy(dir.resolve("bert").resolve(name), folder.resolve(name));
        }
        Files.move(forged(Map.of("bert.embeddings.word_embeddings.weight",
                "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,64]}"), new short[4]), folder.resolve("model.safetensors"));
        Path csv = Files.writeString(dir.resolve("tiny.csv"), "text,label\na fine film,1\na dull film,0\n");
        Cli.Result r = Cli.run("defend", "--model", folder.toString(), "--train", csv.toString(), "--label-words",
                "bad,good", "--epochs", "1", "--max-length", "16", "--out", dir.resolve("forged-out").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errors().size(), r.err());
        assertTrue(r.errors().get(0).contains("model.safetensors") && r.errors().get(0).contains("outside"), r.err());
        assertFalse(r.hasStackTrace(), r.err());
        assertFalse(Files.exists(dir.resolve("forged-out")), "no partial output");
    }

    @Test
    void aPickleIsNeverLoaded() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("pickle"));
        Files.copy(dir.resolve("bert").resolve("config.json"), folder.resolve("config.json"));
        Files.writeString(folder.resolve("pytorch_model.bin"), "not read");
        ModelFileException e = assertThrows(ModelFileException.class, () -> PretrainedModel.load(folder.toString()));
        assertTrue(e.getMessage().contains("pickle") && e.getMessage().contains("safetensors"), e.getMessage());
    }

    @Test
    void shardsOutsideTheFolderAreRefused() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("escape"));
        for (String name : SHARDED) {
            Files.copy(dir.resolve("bert-sharded").resolve(name), folder.resolve(name));
        }
        Path index = folder.resolve("model.safetensors.index.json");
        String json = Files.readString(index);
        Files.writeString(index, json.replaceFirst("model-00001-of-00002.safetensors", "../model-00001-of-00002.safetensors"));
        ModelFileException e = assertThrows(ModelFileException.class, () -> HubFolderReader.read(folder, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().contains("not a .safetensors file name in the model's folder"), e.getMessage());

        Files.writeString(index, json);
        Path outside = dir.resolve("outside.safetensors");
        Files.move(folder.resolve("model-00001-of-00002.safetensors"), outside);
        Files.createSymbolicLink(folder.resolve("model-00001-of-00002.safetensors"), outside);
        e = assertThrows(ModelFileException.class, () -> HubFolderReader.read(folder, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().contains("outside the model's folder"), e.getMessage());
    }

    private static void assertRefused(Path file, String expected) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafetensorsFile.open(file, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    /** A safetensors file with these header entries (JSON objects) and these 16-bit words as its data. */
    private static Path forged(Map<String, String> entries, short[] data) throws IOException {
        StringBuilder header = new StringBuilder("{");
        new java.util.TreeMap<>(entries).forEach((k, v) -> header.append(header.length() > 1 ? "," : "").append('"')
                .append(k).append("\":").append(v));
        byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + json.length + 2 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(json.length).put(json);
        for (short s : data) {
            file.putShort(s);
        }
        Path path = Files.createTempFile(dir, "forged", ".safetensors");
        Files.write(path, file.array());
        return path;
    }
}
