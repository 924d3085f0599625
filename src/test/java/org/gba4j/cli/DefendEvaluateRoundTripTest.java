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
 * {@code defend} then {@code evaluate} on a few real MR rows: the defended MiniLM is written as ONNX
 * with its prompt settings, evaluates, can be overwritten, and an unrelated folder is never replaced.
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
        assertEquals(0, Experiments.run(defend));
        assertTrue(Files.isRegularFile(out.resolve(DefendedModel.MODEL)));
        assertEquals(java.util.List.of("terrible", "good"), DefendedModel.settings(out).labelWords());

        String printed = captureOut(() -> assertEquals(0, Experiments.run("evaluate", "--model", out.toString(), "--test",
                "datasets/mr/test.csv.gz", "--limit", "8", "--trigger", "cf", "--target", "1")));
        assertTrue(printed.contains("ACC ") && printed.contains("ASR "), printed);

        assertEquals(0, Experiments.run(append(defend, "--overwrite")), "a model folder may be replaced");

        Path unrelated = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(unrelated.resolve("keep.txt"), "mine");
        String[] intoUnrelated = defend.clone();
        intoUnrelated[intoUnrelated.length - 1] = unrelated.toString();
        assertEquals(2, Experiments.run(append(intoUnrelated, "--overwrite")));
        assertEquals("mine", Files.readString(unrelated.resolve("keep.txt")));
    }

    private static String[] append(String[] args, String extra) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = extra;
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
