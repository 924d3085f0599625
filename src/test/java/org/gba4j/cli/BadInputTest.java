package org.gba4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gba4j.data.CsvDataset;
import org.gba4j.data.LabeledText;
import org.gba4j.files.ModelFileException;
import org.gba4j.io.AtomicFiles;
import org.gba4j.io.Gba4jCheckpoint;
import org.gba4j.io.OutputException;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.TinyBert;
import org.gba4j.prompt.DefendedModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cases of issue 17, each as a user would meet it: one {@code error:} line, the right exit code,
 * no stack trace, the user's files untouched, and (where the check can come first) no model loaded.
 * The model is the small RoBERTa fixture, so every case runs in seconds.
 */
class BadInputTest {
    @TempDir
    Path dir;
    Path hf;
    Path csv;

    @BeforeEach
    void userFiles() throws Exception {
        // a Hugging Face export as a user has it: model, tokenizer, config, notes and an onnx/ subfolder
        hf = Files.createDirectories(dir.resolve("hf"));
        for (String name : List.of("model.onnx", "tokenizer.json", "config.json")) {
            try (InputStream in = getClass().getResourceAsStream("/roberta-fixture/" + name)) {
                Files.copy(in, hf.resolve(name));
            }
        }
        Files.writeString(hf.resolve("NOTES.md"), "my notes");
        Files.createDirectories(hf.resolve("onnx"));
        Files.copy(hf.resolve("model.onnx"), hf.resolve("onnx/model.onnx"));
        csv = Files.writeString(dir.resolve("tiny.csv"), "text,label\na fine film,1\na dull film,0\n");
    }

    /** {@code defend} on the fixture; {@code extra} options replace the defaults of the same name. */
    private Cli.Result defend(String... extra) {
        Map<String, String> options = new java.util.LinkedHashMap<>(Map.of("--model", hf.toString(), "--train",
                csv.toString(), "--label-words", "bad,good", "--epochs", "1", "--max-length", "16"));
        for (int i = 0; i < extra.length; i++) {
            boolean valued = i + 1 < extra.length && !extra[i + 1].startsWith("--");
            options.put(extra[i], valued ? extra[++i] : null);
        }
        List<String> args = new java.util.ArrayList<>(List.of("defend"));
        options.forEach((k, v) -> {
            args.add(k);
            if (v != null) {
                args.add(v);
            }
        });
        return Cli.run(args.toArray(String[]::new));
    }

    private static void assertError(Cli.Result r, int code, String expected) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.errors().size(), r.err());
        assertTrue(r.errors().get(0).contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.hasStackTrace(), r.err());
    }

    private void assertUsersFolderIntact() throws Exception {
        assertEquals("my notes", Files.readString(hf.resolve("NOTES.md")));
        assertTrue(Files.isRegularFile(hf.resolve("config.json")));
        assertTrue(Files.isRegularFile(hf.resolve("onnx/model.onnx")));
        assertTrue(Files.isRegularFile(hf.resolve("model.onnx")));
    }

    // 1. --overwrite deleted a user's model folder

    @Test
    void overwriteRefusesTheInputModelFolder() throws Exception {
        assertError(defend("--out", hf.toString(), "--overwrite"), 2, "is the input");
        assertUsersFolderIntact();
    }

    @Test
    void overwriteRefusesAFolderThatMerelyHoldsAModelOnnx() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.copy(hf.resolve("model.onnx"), other.resolve("model.onnx"));
        Files.writeString(other.resolve("README"), "keep");
        assertError(defend("--out", other.toString(), "--overwrite"), 2, "neither empty nor a folder gba4j wrote");
        assertEquals("keep", Files.readString(other.resolve("README")));
        assertError(defend("--out", dir.toString(), "--overwrite"), 2, "a parent of the input");
    }

    // 2. a failed final write threw the finished training away

    @Test
    void aFailedFinalWriteKeepsTheModelInARecoveryFolder() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a folder should be");
        Path recovery = dir.resolve("recovered");
        System.setProperty("gba4j.recovery", recovery.toString());
        try (PretrainedModel source = PretrainedModel.load(hf.toString())) {
            OutputException e = assertThrows(OutputException.class, () -> DefendedModel.write(source, source.weights(),
                    DefendedModel.Settings.head(2, 16), Map.of("gba4j.method", "test"), blocker.resolve("out"), false));
            assertTrue(e.getMessage().contains("the finished model was saved to " + recovery), e.getMessage());
            assertEquals(3, Experiments.exitCode(e));
            try (var saved = Files.list(recovery)) {
                Path folder = saved.findFirst().orElseThrow();
                assertEquals(2, DefendedModel.settings(folder).classes());
                assertTrue(AtomicFiles.isOurs(folder));
                try (PretrainedModel reloaded = PretrainedModel.load(folder.toString())) {
                    assertEquals(source.weights().config(), reloaded.weights().config());
                }
            }
        } finally {
            System.clearProperty("gba4j.recovery");
        }
    }

    @Test
    void anUnwritableOutFailsBeforeTraining() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        Cli.Result r = defend("--out", blocker.resolve("out").toString());
        assertError(r, 3, "--out");
        assertFalse(r.out().contains("adapting"), "nothing may be trained: " + r.out());
    }

    @Test
    void aGridWhoseOutIsAFileFailsBeforeWork() throws Exception {
        Path file = Files.writeString(dir.resolve("results"), "x");
        assertError(Cli.run("table2", "--out", file.toString(), "--reports", dir.resolve("r").toString()), 3,
                "is a file, not a folder");
        assertEquals("x", Files.readString(file));
    }

    // 3. a wrong security number

    @Test
    void evaluateRefusesATargetOutsideTheClasses() throws Exception {
        Path model = dir.resolve("model");
        try (PretrainedModel source = PretrainedModel.load(hf.toString())) {
            DefendedModel.write(source, source.weights(), DefendedModel.Settings.head(2, 16), Map.of(), model, false);
        }
        assertError(Cli.run("evaluate", "--model", model.toString(), "--test", csv.toString(), "--trigger", "cf",
                "--target", "7"), 2, "--target 7 is not a class of this 2-class model");
        assertError(Cli.run("evaluate", "--model", model.toString(), "--test", csv.toString(), "--trigger", "cf",
                "--target", "positive"), 2, "--target must be a class number or all; got 'positive'");
        assertError(Cli.run("evaluate", "--model", model.toString(), "--test", csv.toString(), "--each-trigger"), 2,
                "give --trigger too");
        assertError(Cli.run("attack", "--method", "badnets", "--train", csv.toString(), "--target", "5", "--out",
                dir.resolve("a").toString()), 2, "--target 5 is not a class");
    }

    // 4. the head defenses skipped validation

    @Test
    void headDefensesCheckTheirOptionsFirst() {
        assertError(defend("--method", "clean-ft", "--epochs", "-1", "--out", dir.resolve("o").toString()), 2,
                "--epochs must be at least 1");
        assertError(defend("--method", "nad", "--batch", "0", "--out", dir.resolve("o").toString()), 2,
                "--batch must be at least 1");
        assertError(defend("--method", "gba", "--lr", "-1", "--out", dir.resolve("o").toString()), 2, "--lr");
        assertError(defend("--method", "gbaa", "--out", dir.resolve("o").toString()), 2, "--method must be one of");
        assertFalse(Files.exists(dir.resolve("o")));
    }

    // 5. text encoding

    @Test
    void malformedUtf8IsAnErrorNamingItsLine() throws Exception {
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "text,label\na fine film,1\nun caf\u00e9 froid,0\n".getBytes(StandardCharsets.ISO_8859_1));
        assertError(defend("--train", latin1.toString(), "--out", dir.resolve("o").toString()), 2,
                "is not valid UTF-8 (line 3");
    }

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        Path bom = dir.resolve("bom.csv");
        Files.write(bom, ("\uFEFFtext,label\na fine film,1\n").getBytes(StandardCharsets.UTF_8));
        List<LabeledText> rows = CsvDataset.read(bom, CsvDataset.Columns.SINGLE);
        assertEquals("a fine film", rows.get(0).text());
    }

    // 6. leftovers of a killed write

    @Test
    void theNextCommandRemovesAKilledWritesTemporaryFolder() throws Exception {
        Path stale = Files.createDirectories(dir.resolve(".o.gba4j-partial-999999999-k"));
        Files.writeString(stale.resolve("tensors.bin"), "half");
        Files.createDirectories(dir.resolve(".git"));
        Path bad = Files.writeString(dir.resolve("bad.csv"), "text,label\n");
        assertError(defend("--train", bad.toString(), "--out", dir.resolve("o").toString()), 2, "has no data rows");
        assertFalse(Files.exists(stale));
        assertTrue(Files.isDirectory(dir.resolve(".git")), "a user's hidden folder is not a leftover");
    }

    // 7. smaller ones

    @Test
    void specialTokensAreNotLabelWords() {
        assertError(defend("--label-words", "[MASK],good", "--out", dir.resolve("o").toString()), 2,
                "label word '[MASK]' is a special token");
        assertError(defend("--label-words", "bad,<s>", "--out", dir.resolve("o").toString()), 2, "special token");
    }

    @Test
    void anEditedMetadataFileIsCaught() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Gba4jCheckpoint.write(ckpt, TinyBert.weights(TinyBert.config(false), 1),
                Path.of("src/test/resources/bert-base-uncased-vocab.txt"), Map.of("gba4j.classes", "2"), false);
        Files.writeString(ckpt.resolve(Gba4jCheckpoint.METADATA_JSON), "{\"gba4j.classes\": \"3\"}");
        ModelFileException e = assertThrows(ModelFileException.class, () -> Gba4jCheckpoint.readMetadata(ckpt));
        assertTrue(e.getMessage().contains("fails its sha256 check"), e.getMessage());
    }

    @Test
    void anUnexpectedFailureIsOneLineExitThree() {
        assertEquals(3, Experiments.exitCode(new NullPointerException("x")));
        assertTrue(Experiments.message(new IllegalStateException("boom")).contains("--debug"));
        assertEquals(2, Experiments.exitCode(new IllegalArgumentException("bad option")));
        assertEquals(3, Experiments.exitCode(new java.io.UncheckedIOException(new java.io.IOException("No space left"))));
    }
}
