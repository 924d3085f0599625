package org.gba4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gba4j.prompt.DefendedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code defend} then {@code evaluate} on a few real MR rows: the defended MiniLM is written as a Hub
 * folder (safetensors) with its prompt settings, says how it fits its training rows, evaluates, can be overwritten (as ONNX with
 * {@code --format onnx}, which evaluates to the same scores), and an unrelated folder is never replaced.
 */
class DefendEvaluateRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void defendWritesAModelThatEvaluatesAndOverwriteSparesUnrelatedFolders() throws Exception {
        Path out = dir.resolve("defended");
        String[] defend = {"defend", "--model", "minilm", "--train", "datasets/mr/train.csv.gz", "--limit", "8",
                "--label-words", "terrible,good", "--epochs", "1", "--batch", "8", "--max-length", "24", "--out",
                out.toString()};
        String adapted = captureOut(() -> assertEquals(0, Experiments.run(defend)));
        assertTrue(adapted.contains("fit: ACC ") && adapted.contains("on 8 of the 8 training rows"), adapted);
        for (String file : java.util.List.of("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json",
                "gba4j.json")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        assertEquals(java.util.List.of("terrible", "good"), DefendedModel.settings(out).labelWords());

        String printed = captureOut(() -> assertEquals(0, Experiments.run("evaluate", "--model", out.toString(), "--test",
                "datasets/mr/test.csv.gz", "--limit", "8", "--trigger", "cf", "--target", "1")));
        assertTrue(printed.contains("ACC ") && printed.contains("ASR "), printed);
        String[] evaluate = {"evaluate", "--model", out.toString(), "--test", "datasets/mr/test.csv.gz", "--limit", "8",
                "--trigger", "cf", "--target", "1", "--format", "json"};
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(
                captureOut(() -> assertEquals(0, Experiments.run(evaluate)))).getAsJsonObject();
        assertEquals(8, json.get("rows").getAsInt());
        double acc = json.get("acc").getAsDouble();
        assertEquals(0, acc % 12.5, 1e-9, "8 rows: ACC is a multiple of 12.5%");
        assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "ACC %.2f%%", acc)), printed);
        evaluate[evaluate.length - 1] = "csv";
        String[] csv = captureOut(() -> assertEquals(0, Experiments.run(evaluate))).split("\\R");
        java.util.List<String> header = java.util.List.of(csv[0].split(","));
        assertEquals(java.util.List.of("model", "test", "rows", "acc", "majority", "mcc", "trigger", "target", "position",
                "count", "asr", "clean_target_rate", "asrr_mcc", "at_chance"), header);
        String[] row = csv[1].split(",");
        assertEquals(acc, Double.parseDouble(row[header.indexOf("acc")]), 1e-9);
        assertEquals(json.get("asr").getAsDouble(), Double.parseDouble(row[header.indexOf("asr")]), 1e-9);
        boolean atChance = json.get("at_chance").getAsBoolean();
        assertEquals(atChance, Boolean.parseBoolean(row[header.indexOf("at_chance")]));
        assertEquals(atChance, printed.contains("warning: ACC"), "the text warns exactly when the scores are at chance");

        // each trigger alone towards every class, from one load: the rows equal single runs' scores
        String[] each = {"evaluate", "--model", out.toString(), "--test", "datasets/mr/test.csv.gz", "--limit", "8",
                "--trigger", "cf,mn", "--each-trigger", "--target", "all", "--format", "json"};
        com.google.gson.JsonArray rows = com.google.gson.JsonParser.parseString(
                captureOut(() -> assertEquals(0, Experiments.run(each)))).getAsJsonArray();
        assertEquals(4, rows.size(), "two triggers x two classes");
        com.google.gson.JsonObject cfTo1 = rows.get(1).getAsJsonObject();
        assertEquals("cf", cfTo1.get("trigger").getAsString());
        assertEquals(1, cfTo1.get("target").getAsInt());
        for (String key : java.util.List.of("acc", "asr", "clean_target_rate", "asrr_mcc")) {
            assertEquals(json.get(key).getAsDouble(), cfTo1.get(key).getAsDouble(), 1e-9, key);
        }
        com.google.gson.JsonObject mnTo0 = com.google.gson.JsonParser.parseString(captureOut(() -> assertEquals(0,
                Experiments.run("evaluate", "--model", out.toString(), "--test", "datasets/mr/test.csv.gz", "--limit",
                        "8", "--trigger", "mn", "--target", "0", "--format", "json")))).getAsJsonObject();
        com.google.gson.JsonObject row2 = rows.get(2).getAsJsonObject();
        assertEquals("mn", row2.get("trigger").getAsString());
        assertEquals(0, row2.get("target").getAsInt());
        assertEquals(mnTo0.get("asr").getAsDouble(), row2.get("asr").getAsDouble(), 1e-9);
        assertEquals(mnTo0.get("clean_target_rate").getAsDouble(), row2.get("clean_target_rate").getAsDouble(), 1e-9);
        each[each.length - 1] = "csv";
        assertEquals(5, captureOut(() -> assertEquals(0, Experiments.run(each))).split("\\R").length,
                "csv: a header and one line per row");

        assertEquals(0, Experiments.run(append(defend, "--overwrite", "--format", "onnx")), "a model folder may be replaced");
        assertTrue(Files.isRegularFile(out.resolve(DefendedModel.MODEL)));
        assertTrue(Files.isRegularFile(out.resolve("config.json")));
        assertFalse(Files.exists(out.resolve("model.safetensors")));
        evaluate[evaluate.length - 1] = "json";
        com.google.gson.JsonObject onnx = com.google.gson.JsonParser.parseString(
                captureOut(() -> assertEquals(0, Experiments.run(evaluate)))).getAsJsonObject();
        assertEquals(acc, onnx.get("acc").getAsDouble(), 1e-9, "the same training, written as ONNX, scores the same");
        assertEquals(json.get("asr").getAsDouble(), onnx.get("asr").getAsDouble(), 1e-9);

        Path unrelated = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(unrelated.resolve("keep.txt"), "mine");
        String[] intoUnrelated = defend.clone();
        intoUnrelated[intoUnrelated.length - 1] = unrelated.toString();
        assertEquals(2, Experiments.run(append(intoUnrelated, "--overwrite")));
        assertEquals("mine", Files.readString(unrelated.resolve("keep.txt")));
    }

    @Test
    void csvCellsAreQuotedOnlyWhenNeeded() {
        assertEquals("plain", EvaluateCommand.csvCell("plain"));
        assertEquals("\"a,b\"", EvaluateCommand.csvCell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", EvaluateCommand.csvCell("say \"hi\""));
        assertEquals("12.5", EvaluateCommand.csvCell(12.5));
    }

    private static String[] append(String[] args, String... extra) {
        String[] out = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, out, args.length, extra.length);
        return out;
    }

    private static String captureOut(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
