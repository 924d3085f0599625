package org.gba4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code defend}: one clear line, exit code 2, and no model folder left behind. */
class DefendBadInputTest {
    @TempDir
    Path dir;

    @Test
    void emptyCsv() throws Exception {
        Path csv = Files.writeString(dir.resolve("empty.csv"), "text,label\n");
        assertOneLineError(run(csv, "terrible,good"), "empty.csv: has no data rows");
    }

    @Test
    void malformedCsv() throws Exception {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "text,label\n\"unterminated quote,1\nfine,0\n");
        assertOneLineError(run(csv, "terrible,good"), "bad.csv: is not valid CSV");
    }

    @Test
    void missingColumn() throws Exception {
        Path csv = Files.writeString(dir.resolve("cols.csv"), "sentence,label\nfine,0\n");
        assertOneLineError(run(csv, "terrible,good"), "has no column 'text'");
    }

    @Test
    void labelOutsideTheLabelWords() throws Exception {
        Path csv = Files.writeString(dir.resolve("labels.csv"), "text,label\na fine film,0\na film,2\n");
        assertOneLineError(run(csv, "terrible,good"), "labels.csv: has label 2 but only 2 label words");
    }

    @Test
    void labelWordOfSeveralTokens() throws Exception {
        Path csv = Files.writeString(dir.resolve("ok.csv"), "text,label\na fine film,1\na bad film,0\n");
        assertOneLineError(run(csv, "terrible,gargantuan"), "label word 'gargantuan' is not a single token");
    }

    @Test
    void existingOutputFolderIsRefused() throws Exception {
        Path csv = Files.writeString(dir.resolve("ok.csv"), "text,label\na fine film,1\na bad film,0\n");
        Files.createDirectories(dir.resolve("out"));
        Cli.Result result = run(csv, "terrible,good");
        assertOneLineError(result, "already exists");
        assertTrue(Files.isDirectory(dir.resolve("out")));
    }

    @Test
    void aimScanDataWithoutAimOrMissing() throws Exception {
        Path csv = Files.writeString(dir.resolve("ok.csv"), "text,label\na fine film,1\na bad film,0\n");
        assertOneLineError(Cli.run("defend", "--model", "minilm", "--train", csv.toString(), "--label-words", "terrible,good",
                "--out", dir.resolve("out").toString(), "--aim-scan-data", csv.toString()), "give --aim too");
        assertOneLineError(Cli.run("defend", "--model", "minilm", "--train", csv.toString(), "--label-words", "terrible,good",
                "--out", dir.resolve("out").toString(), "--aim", "--aim-scan-data", dir.resolve("held.csv").toString()),
                "held.csv");
        assertOneLineError(Cli.run("defend", "--model", "minilm", "--train", csv.toString(), "--label-words", "terrible,good",
                "--out", dir.resolve("out").toString(), "--aim-consistent", "20"), "give --aim too");
        assertOneLineError(Cli.run("defend", "--model", "minilm", "--train", csv.toString(), "--label-words", "terrible,good",
                "--out", dir.resolve("out").toString(), "--aim", "--aim-scan-both"), "give --aim and --aim-scan-data too");
        assertOneLineError(Cli.run("defend", "--model", "minilm", "--train", csv.toString(), "--label-words", "terrible,good",
                "--out", dir.resolve("out").toString(), "--aim", "--aim-consistent", "-3"), "--aim-consistent 0 or more");
        assertOneLineError(Cli.run("defend", "--model", "minilm", "--train", csv.toString(), "--label-words", "terrible,good",
                "--out", dir.resolve("out").toString(), "--aim-pull", "pad"), "give --aim too");
        assertOneLineError(Cli.run("defend", "--model", "minilm", "--train", csv.toString(), "--label-words", "terrible,good",
                "--out", dir.resolve("out").toString(), "--aim", "--aim-pull", "left"), "--aim-pull must be one of centre, pad");
        Path labels = Files.writeString(dir.resolve("held3.csv"), "text,label\na fine film,1\na film,2\n");
        assertOneLineError(Cli.run("defend", "--model", "minilm", "--train", csv.toString(), "--label-words", "terrible,good",
                "--out", dir.resolve("out").toString(), "--aim", "--aim-scan-data", labels.toString()),
                "held3.csv: has label 2 but only 2 label words");
    }

    private Cli.Result run(Path csv, String labelWords) {
        return Cli.run("defend", "--model", "minilm", "--train", csv.toString(), "--label-words", labelWords, "--out",
                dir.resolve("out").toString(), "--epochs", "1");
    }

    private void assertOneLineError(Cli.Result result, String expected) throws Exception {
        String errorLine = result.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
        assertEquals(2, result.code(), result.err());
        assertTrue(errorLine.contains(expected), "stderr was: " + result.err());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("partial")), "partial output left behind");
        }
        if (!expected.contains("already exists")) {
            assertFalse(Files.exists(dir.resolve("out")), "a failed run must not leave a model folder");
        }
    }
}
