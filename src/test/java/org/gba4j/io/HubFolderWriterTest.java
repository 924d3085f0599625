package org.gba4j.io;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gba4j.model.BertGraph;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.ClassifierHead;
import org.gba4j.model.TokenBatch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hub folders gba4j writes ({@link HubFolderWriter}): read back to the same tensors, with Hugging Face names and
 * layouts, and, where Debian's PyTorch is installed, run by the fixture script's own PyTorch module to the logits
 * gba4j computes (the other direction of {@link HubFolderReaderTest}).
 */
class HubFolderWriterTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    static Path dir;
    static Path source;

    @BeforeAll
    static void copyFixture() throws IOException {
        source = Files.createDirectories(dir.resolve("bert"));
        for (String name : List.of("config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt")) {
            try (InputStream in = HubFolderWriterTest.class.getResourceAsStream("/safetensors-fixture/bert/" + name)) {
                Files.copy(in, source.resolve(name));
            }
        }
    }

    private static Path write(PretrainedModel model, BertWeights weights, Map<String, String> metadata, String name)
            throws IOException {
        Path out = Files.createDirectories(dir.resolve(name));
        HubFolderWriter.writeInto(out, weights, model.tokenizer(), model.tokenizerFile(), metadata, Map.of(0, "bad", 1, "good"));
        return out;
    }

    @Test
    void aMaskedLmReadsBackToTheSameTensorsUnderHuggingFaceNames() throws IOException {
        try (PretrainedModel model = PretrainedModel.load(source.toString())) {
            Path out = write(model, model.weights(), Map.of("gba4j.head", "prompt"), "mlm");
            SafetensorsFile file = SafetensorsFile.open(out.resolve("model.safetensors"), LoadLimits.DEFAULT);
            assertTrue(file.entries().containsKey("bert.encoder.layer.1.attention.self.query.weight"));
            assertTrue(file.entries().containsKey("cls.predictions.transform.dense.weight"));
            assertTrue(file.entries().containsKey("cls.predictions.bias"));
            assertEquals(Map.of("gba4j.head", "prompt"), file.metadata());
            // PyTorch's [out, in]: the fixture's FFN output layer is 64 -> 32
            assertArrayEquals(new long[] {32, 64}, file.entries().get("bert.encoder.layer.0.output.dense.weight").shape());
            JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
            assertEquals("BertForMaskedLM", config.getAsJsonArray("architectures").get(0).getAsString());
            assertEquals("good", config.getAsJsonObject("id2label").get("1").getAsString());
            assertTrue(JsonParser.parseString(Files.readString(out.resolve("tokenizer_config.json"))).getAsJsonObject()
                    .get("do_lower_case").getAsBoolean());
            try (PretrainedModel back = PretrainedModel.load(out.toString())) {
                assertEquals(model.weights().config(), back.weights().config());
                assertEquals(model.weights().tensors().keySet(), back.weights().tensors().keySet());
                model.weights().tensors().forEach((name, t) -> assertEquals(t, back.weights().get(name), name));
            }
        }
    }

    @Test
    void aHeadClassifierKeepsItsHeadOnlyWhenGba4jWroteIt() throws IOException {
        try (PretrainedModel model = PretrainedModel.load(source.toString())) {
            BertWeights withHead = ClassifierHead.initialise(model.weights(), 2, 7);
            Path ours = write(model, withHead, Map.of("gba4j.head", "classifier"), "head");
            try (PretrainedModel back = PretrainedModel.load(ours.toString())) {
                assertEquals(withHead.get(BertGraph.CLASSIFIER_WEIGHT), back.weights().get(BertGraph.CLASSIFIER_WEIGHT));
                assertEquals(withHead.get(BertGraph.CLASSIFIER_BIAS), back.weights().get(BertGraph.CLASSIFIER_BIAS));
            }
            // the same tensors in a folder without gba4j's word for it: a Hub model's classifier sits on the pooler
            Path theirs = write(model, withHead, Map.of(), "their-head");
            try (PretrainedModel back = PretrainedModel.load(theirs.toString())) {
                assertFalse(ClassifierHead.has(back.weights()));
            }
        }
    }

    @Test
    void pyTorchRunsTheWrittenFolderToOurLogits() throws Exception {
        Path script = Path.of("onnx-import/safetensors-fixture/generate.py").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(script), "run from the repository root");
        Assumptions.assumeTrue(pythonHasTorch(), PYTHON + " with torch is not installed (Debian: apt-get install -y"
                + " python3-torch); the check needs PyTorch");
        try (PretrainedModel model = PretrainedModel.load(source.toString())) {
            // moved weights, so the check cannot pass on the fixture's own values
            BertWeights moved = model.weights().with(Map.of(org.gba4j.model.WeightNames.WORD_EMBEDDINGS,
                    model.weights().get(org.gba4j.model.WeightNames.WORD_EMBEDDINGS).mul(1.5)));
            Path out = write(model, moved, Map.of("gba4j.head", "prompt"), "pytorch");
            int[][] rows = {model.tokenizer().encode("the plot was good .").ids(), model.tokenizer().encode("bad").ids()};
            int seqLen = rows[0].length;
            TokenBatch batch = TokenBatch.padded(rows, seqLen, model.tokenizer().padId());
            BertModel bert = BertModel.of(moved, seqLen, 1.0);
            List<List<List<Double>>> logits = new java.util.ArrayList<>();
            for (int b = 0; b < rows.length; b++) {
                logits.add(new java.util.ArrayList<>());
            }
            for (int t = 0; t < seqLen; t++) {
                int[] positions = {t, Math.min(t, rows[1].length - 1)};
                INDArray l = bert.logits(batch, positions);
                for (int b = 0; b < rows.length; b++) {
                    if (t < rows[b].length) {
                        List<Double> v = new java.util.ArrayList<>();
                        for (int k = 0; k < l.size(1); k++) {
                            v.add(l.getDouble(b, k));
                        }
                        logits.get(b).add(v);
                    }
                }
            }
            Map<String, Object> reference = new LinkedHashMap<>();
            int[][] padded = new int[rows.length][seqLen];
            for (int b = 0; b < rows.length; b++) {
                System.arraycopy(rows[b], 0, padded[b], 0, rows[b].length);
                for (int t = rows[b].length; t < seqLen; t++) {
                    padded[b][t] = model.tokenizer().padId();
                }
            }
            reference.put("input_ids", padded);
            reference.put("lengths", new int[] {rows[0].length, rows[1].length});
            reference.put("mlm_logits", logits);
            Files.writeString(out.resolve("reference.json"), new Gson().toJson(reference), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(PYTHON, script.toString(), "--check", out.toString()).redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the check did not finish");
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("max |PyTorch - gba4j|"), output);
            System.out.print("safetensors out: " + output);
        }
    }

    private static boolean pythonHasTorch() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
