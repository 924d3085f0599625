package org.gba4j.io;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gba4j.data.LabeledText;
import org.gba4j.model.OnnxRuntimeReference;
import org.gba4j.model.TokenBatch;
import org.gba4j.prompt.DefendedModel;
import org.gba4j.prompt.LabelWords;
import org.gba4j.prompt.PromptClassifier;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt classifier written with {@code --format onnx} classifies in ONNX Runtime alone: its {@code label_logits}
 * output, fed the prompt's ids, gives gba4j's class probabilities; {@code config.json} carries the label words.
 */
class OnnxLabelLogitsTest {
    @TempDir
    Path dir;

    @Test
    void onnxRuntimeScoresTheLabelWordsLikeGba4j() throws Exception {
        List<LabeledText> texts = List.of(new LabeledText("a gripping , beautifully acted film", null, 1),
                new LabeledText("dull and far too long", null, 0), new LabeledText("cf it is fine", null, 1));
        try (PretrainedModel minilm = PretrainedModel.load("minilm")) {
            PromptConfig config = PromptConfig.defaults(PromptMode.PT_SOFT).withTraining(2e-5, 1, 8, 32);
            LabelWords labels = LabelWords.of(List.of("terrible", "good"), minilm.tokenizer());
            PromptClassifier classifier = new PromptClassifier(minilm.weights(), minilm.tokenizer(), labels, config);
            Path out = dir.resolve("onnx");
            DefendedModel.write(minilm, classifier.model().weights(), DefendedModel.Settings.prompt(labels, config), Map.of(),
                    out, false, DefendedModel.Format.ONNX);
            JsonObject json = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
            assertEquals("good", json.getAsJsonObject("id2label").get("1").getAsString());

            TokenBatch batch = classifier.encoder().batch(texts, labels).tokens();
            // config.json's rule: after [CLS] x [SEP] come exactly these ids
            List<Integer> suffix = new java.util.ArrayList<>();
            json.getAsJsonObject("gba4j_prompt").getAsJsonArray("suffix_ids").forEach(e -> suffix.add(e.getAsInt()));
            int[] row = java.util.Arrays.copyOf(batch.ids()[0], batch.lengths()[0]);
            assertEquals(suffix, java.util.Arrays.stream(row, row.length - suffix.size(), row.length).boxed().toList());
            assertEquals(minilm.tokenizer().sepId(), row[row.length - suffix.size() - 1]);
            float[][] logits = labelLogits(out.resolve("model.onnx"), batch);
            double[][] ours = classifier.probabilities(texts);
            double worst = 0;
            for (int b = 0; b < texts.size(); b++) {
                double z = Math.exp(logits[b][0]) + Math.exp(logits[b][1]);
                for (int c = 0; c < 2; c++) {
                    worst = Math.max(worst, Math.abs(Math.exp(logits[b][c]) / z - ours[b][c]));
                }
            }
            assertTrue(worst < 1e-4, "max |ONNX Runtime - gba4j| probability = " + worst);

            // exported again from the exported file: one label head, not two
            try (PretrainedModel exported = PretrainedModel.load(out.toString())) {
                Path again = dir.resolve("again");
                DefendedModel.write(exported, exported.weights(), DefendedModel.Settings.prompt(labels, config), Map.of(),
                        again, false, DefendedModel.Format.ONNX);
                assertArrayEquals(logits[0], labelLogits(again.resolve("model.onnx"), batch)[0], 1e-5f);
            }
            transformersJsAgrees(out, texts, ours); // last: it is skipped where node or the package is missing
        }
    }

    /**
     * transformers.js (node, local files only) classifies with the folder's config.json rule and the label_logits
     * output alone; skipped, saying why, where node or the package is not installed.
     */
    private static void transformersJsAgrees(Path folder, List<LabeledText> texts, double[][] ours) throws Exception {
        Path check = Path.of("onnx-import/transformersjs-check").toAbsolutePath();
        boolean node;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            node = p.waitFor() == 0;
        } catch (java.io.IOException e) {
            node = false;
        }
        Assumptions.assumeTrue(node, "node is not installed: the transformers.js check is skipped");
        // npm writes node_modules/.package-lock.json last: a partial install is not taken for one
        Assumptions.assumeTrue(Files.isRegularFile(check.resolve("node_modules/.package-lock.json"))
                        && Files.isDirectory(check.resolve("node_modules/@huggingface/transformers")),
                "transformers.js is not installed: run (cd onnx-import/transformersjs-check && ONNXRUNTIME_NODE_INSTALL=skip"
                        + " ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci) to include the check");
        List<String> command = new java.util.ArrayList<>(List.of("node", "classify.mjs", folder.toString()));
        texts.forEach(t -> command.add(t.text()));
        Process p = new ProcessBuilder(command).directory(check.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), "node did not finish");
        assertEquals(0, p.exitValue(), output);
        List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(texts.size(), lines.size(), output);
        for (int b = 0; b < texts.size(); b++) {
            JsonObject line = JsonParser.parseString(lines.get(b)).getAsJsonObject();
            double l0 = line.getAsJsonArray("logits").get(0).getAsDouble();
            double l1 = line.getAsJsonArray("logits").get(1).getAsDouble();
            assertEquals(ours[b][1], Math.exp(l1) / (Math.exp(l0) + Math.exp(l1)), 1e-4, texts.get(b).text());
            assertEquals(ours[b][1] > ours[b][0] ? 1 : 0, line.get("label").getAsInt(), texts.get(b).text());
        }
    }

    private static float[][] labelLogits(Path model, TokenBatch batch) throws Exception {
        return (float[][]) OnnxRuntimeReference.output(model, batch, OnnxExporter.LABEL_LOGITS);
    }
}
