package org.gba4j.io;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertModel;
import org.gba4j.model.OnnxRuntimeReference;
import org.gba4j.model.TokenBatch;
import org.gba4j.text.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A RoBERTa-shaped Hugging Face ONNX export (the committed fixture of
 * {@code onnx-import/roberta-fixture/generate.py}: 2 layers, hidden 32, 4 heads, byte-level BPE)
 * through the normal path, {@link PretrainedModel#load}, against the generator's own outputs: its
 * BPE token ids (computed in Python, not by the Rust tokenizers library) and PyTorch's last hidden
 * state (float64) for a right-padded batch of mixed lengths. No Python at test time.
 */
class RobertaFixtureParityTest {
    private static final String[] FILES = {"model.onnx", "tokenizer.json", "config.json", "reference.json"};

    @TempDir
    static Path dir;
    static JsonObject reference;

    @BeforeAll
    static void copyFixture() throws IOException {
        for (String name : FILES) {
            try (InputStream in = RobertaFixtureParityTest.class.getResourceAsStream("/roberta-fixture/" + name)) {
                assertNotNull(in, "roberta-fixture/" + name + " is not on the test classpath");
                Files.copy(in, dir.resolve(name));
            }
        }
        reference = JsonParser.parseString(Files.readString(dir.resolve("reference.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    @Test
    void loadsAsRobertaConfiguration() {
        try (PretrainedModel model = PretrainedModel.load(dir.toString())) {
            BertConfig c = model.weights().config();
            assertEquals(new BertConfig("roberta", reference.get("vocab_size").getAsInt(), 32, 2, 4, 64, 40, 1, 1e-5,
                    false, 2), c);
            assertEquals(38, c.maxSequenceLength(), "40 positions less the padding offset");
            assertEquals(reference.get("vocab_size").getAsInt(), model.tokenizer().vocabSize());
        }
    }

    @Test
    void configurationComesFromTheGraphWithoutConfigJson(@TempDir Path bare) throws IOException {
        Files.copy(dir.resolve("model.onnx"), bare.resolve("model.onnx"));
        BertConfig fromGraph = OnnxCheckpointReader.load(bare.resolve("model.onnx")).config();
        // heads from the attention Reshape, eps from the decomposed LayerNorm, RoBERTa from the CumSum of positions
        assertEquals(OnnxCheckpointReader.load(dir.resolve("model.onnx")).config(), fromGraph);
        assertEquals("roberta", fromGraph.architecture());
        assertEquals(2, fromGraph.positionOffset());
    }

    @Test
    void specialTokensComeFromTheVocabulary() {
        JsonObject specials = reference.getAsJsonObject("specials");
        try (Tokenizer t = Tokenizer.fromTokenizerJson(dir.resolve("tokenizer.json"))) {
            assertEquals(specials.get("cls").getAsInt(), t.clsId());
            assertEquals(specials.get("sep").getAsInt(), t.sepId());
            assertEquals(specials.get("pad").getAsInt(), t.padId());
            assertEquals(specials.get("mask").getAsInt(), t.maskId());
            assertEquals(specials.get("unk").getAsInt(), t.unkId());
            assertEquals("<s>", t.token(t.clsId()));
            assertEquals("<mask>", t.token(t.maskId()));
            int sep = specials.get("sep").getAsInt();
            assertArrayEquals(new int[] {sep, sep}, t.pairSeparator(), "RoBERTa separates a pair with </s></s>");
        }
    }

    @Test
    void tokenIdsMatchTheGenerator() {
        try (Tokenizer t = Tokenizer.fromTokenizerJson(dir.resolve("tokenizer.json"))) {
            for (JsonElement e : reference.getAsJsonArray("sentences")) {
                JsonObject s = e.getAsJsonObject();
                String text = s.get("text").getAsString();
                int[] expected = ints(s.getAsJsonArray("ids"));
                Tokenizer.Encoding encoding = t.encode(text);
                assertArrayEquals(expected, encoding.ids(), "ids of '" + text + "'");
                assertArrayEquals(new int[expected.length], encoding.typeIds(), "one token type");
                assertEquals(strings(s.getAsJsonArray("tokens")), t.tokenize(text), "subwords of '" + text + "'");
                assertArrayEquals(Arrays.copyOfRange(expected, 1, expected.length - 1), t.ids(text));
            }
            JsonObject pair = reference.getAsJsonObject("pair");
            Tokenizer.Encoding encoding = t.encode(pair.get("first").getAsString(), pair.get("second").getAsString());
            assertArrayEquals(ints(pair.getAsJsonArray("ids")), encoding.ids(), "<s> a </s></s> b </s>");
            assertArrayEquals(new int[encoding.length()], encoding.typeIds(), "RoBERTa has one token type, pairs too");
        }
    }

    @Test
    void lastHiddenStateMatchesPyTorch() throws Exception {
        JsonObject batchJson = reference.getAsJsonObject("batch");
        try (PretrainedModel model = PretrainedModel.load(dir.toString())) {
            JsonArray texts = batchJson.getAsJsonArray("texts");
            JsonArray rowsJson = batchJson.getAsJsonArray("input_ids");
            int[] lengths = ints(batchJson.getAsJsonArray("lengths"));
            int[][] rows = new int[texts.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = model.tokenizer().encode(texts.get(i).getAsString()).ids();
                assertArrayEquals(Arrays.copyOf(ints(rowsJson.get(i).getAsJsonArray()), lengths[i]), rows[i]);
            }
            int seqLen = rowsJson.get(0).getAsJsonArray().size();
            TokenBatch batch = TokenBatch.padded(rows, seqLen, model.tokenizer().padId());
            assertTrue(Arrays.stream(lengths).distinct().count() > 1, "the batch must mix lengths");
            assertArrayEquals(lengths, batch.lengths());

            INDArray ours = BertModel.of(model.weights(), seqLen).lastHiddenState(batch);
            JsonArray expected = batchJson.getAsJsonArray("last_hidden_state");
            double worst = 0;
            double largest = 0;
            for (int b = 0; b < rows.length; b++) {
                for (int t = 0; t < lengths[b]; t++) { // padding positions are not outputs of either model
                    JsonArray vector = expected.get(b).getAsJsonArray().get(t).getAsJsonArray();
                    for (int k = 0; k < vector.size(); k++) {
                        worst = Math.max(worst, Math.abs(vector.get(k).getAsDouble() - ours.getDouble(b, t, k)));
                        largest = Math.max(largest, Math.abs(vector.get(k).getAsDouble()));
                    }
                }
            }
            assertTrue(worst < 1e-4, "max |SameDiff - PyTorch| = " + worst);
            assertTrue(largest > 0.5, "a non-trivial reference");

            // the file itself runs to the same values in ONNX Runtime: the export is the module that made the reference
            float[][][] runtime = OnnxRuntimeReference.lastHiddenState(dir.resolve("model.onnx"), batch);
            double worstRuntime = 0;
            for (int b = 0; b < rows.length; b++) {
                for (int t = 0; t < lengths[b]; t++) {
                    JsonArray vector = expected.get(b).getAsJsonArray().get(t).getAsJsonArray();
                    for (int k = 0; k < vector.size(); k++) {
                        worstRuntime = Math.max(worstRuntime, Math.abs(vector.get(k).getAsDouble() - runtime[b][t][k]));
                    }
                }
            }
            assertTrue(worstRuntime < 1e-4, "max |ONNX Runtime - PyTorch| = " + worstRuntime);
            System.out.printf("RoBERTa fixture: max |SameDiff - PyTorch| = %.2e, |ONNX Runtime - PyTorch| = %.2e,"
                    + " largest |h| = %.2f%n", worst, worstRuntime, largest);
        }
    }

    @Test
    void missingTokenizerIsOneClearLine(@TempDir Path alone) throws IOException {
        Files.copy(dir.resolve("model.onnx"), alone.resolve("model.onnx"));
        ModelFileException e = assertThrows(ModelFileException.class, () -> PretrainedModel.load(alone.toString()));
        assertTrue(e.getMessage().contains("no tokenizer.json"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void truncatedExportIsOneClearLine(@TempDir Path broken) throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
        Files.write(broken.resolve("model.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
        Files.copy(dir.resolve("tokenizer.json"), broken.resolve("tokenizer.json"));
        ModelFileException e = assertThrows(ModelFileException.class, () -> PretrainedModel.load(broken.toString()));
        assertTrue(e.getMessage().contains("model.onnx"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }
}
