package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.gba4j.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged dataset stops a grid with one clear line before any training: no model is loaded, no
 * cell or model folder is created, no report is written.
 */
class GridDatasetCheckTest {
    @TempDir
    Path dir;

    @Test
    void checksumMismatchStopsTheRunBeforeTraining() throws Exception {
        Path datasets = copyMr();
        // valid gzip and valid CSV, but not the file SUMS.txt describes
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(datasets.resolve("mr/test.csv.gz")))) {
            out.write("text,label\na quietly altered row,1\n".getBytes(StandardCharsets.UTF_8));
        }
        Cli.Result result = runTable12(datasets);
        assertOneLineError(result, "mr/test.csv.gz: checksum mismatch");
    }

    @Test
    void malformedFileStopsTheRunBeforeTraining() throws Exception {
        Path datasets = copyMr();
        Files.writeString(datasets.resolve("mr/train.csv.gz"), "this is not gzip");
        Cli.Result result = runTable12(datasets);
        assertOneLineError(result, "mr/train.csv.gz: is not a readable gzip file");
    }

    @Test
    void aSecondRunOnTheSameWorkFolderIsRefused() throws Exception {
        Path work = GridRunner.workFolder(dir.resolve("out"), Profile.SMOKE, 42);
        Files.createDirectories(work);
        try (var channel = java.nio.channels.FileChannel.open(work.resolve("run.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             var lock = channel.lock()) {
            Cli.Result result = runTable12(copyMr());
            assertEquals(2, result.code(), result.err());
            assertTrue(result.err().contains("error: another grid run is using"), result.err());
            assertFalse(Files.exists(work.resolve("cells")));
        }
    }

    @Test
    void anAttackTheGridDoesNotHaveIsRefusedBeforeTraining() {
        Cli.Result result = Cli.run("table12", "--profile", "smoke", "--datasets", "mr", "--attacks", "badnets,ripple", "--out",
                dir.resolve("out").toString(), "--reports", dir.resolve("reports").toString());
        assertEquals(2, result.code(), result.err());
        assertEquals(java.util.List.of("error: --attacks: table12 has no 'ripple' cells; it has badnets"), result.errors());
        assertFalse(Files.exists(GridRunner.workFolder(dir.resolve("out"), Profile.SMOKE, 42)));
    }

    @Test
    void aDefenseTheGridDoesNotHaveIsRefusedBeforeTraining() {
        Cli.Result result = Cli.run("table12", "--profile", "smoke", "--datasets", "mr", "--defenses", "none,nad", "--out",
                dir.resolve("out").toString(), "--reports", dir.resolve("reports").toString());
        assertEquals(2, result.code(), result.err());
        assertEquals(java.util.List.of("error: --defenses: table12 has no 'nad' cells; it has gba, none, pt, pt-soft"),
                result.errors());
        assertFalse(Files.exists(GridRunner.workFolder(dir.resolve("out"), Profile.SMOKE, 42)));
    }

    @Test
    void twoAimedScansAtOnceAreRefusedBeforeTraining() {
        Cli.Result result = Cli.run("table12", "--profile", "smoke", "--datasets", "mr", "--aim", "--aim-held-out", "--out",
                dir.resolve("out").toString(), "--reports", dir.resolve("reports").toString());
        assertEquals(2, result.code(), result.err());
        assertEquals(java.util.List.of("error: give one of --aim, --aim-held-out and --aim-both, not --aim and"
                + " --aim-held-out"), result.errors());
        result = Cli.run("table12", "--profile", "smoke", "--datasets", "mr", "--aim-both", "--aim-held-out", "--out",
                dir.resolve("out").toString(), "--reports", dir.resolve("reports").toString());
        assertEquals(java.util.List.of("error: give one of --aim, --aim-held-out and --aim-both, not --aim-held-out and"
                + " --aim-both"), result.errors());
        assertFalse(Files.exists(GridRunner.workFolder(dir.resolve("out"), Profile.SMOKE, 42)));
    }

    @Test
    void aimedScanSettingsWithoutAnAimedScanOrOutOfRangeAreRefusedBeforeTraining() {
        java.util.Map<List<String>, String> refused = java.util.Map.of(List.of("--aim-consistent", "20"), "--aim-consistent",
                List.of("--aim", "--aim-consistent", "-1"), "--aim-consistent", List.of("--aim-pull", "pad"), "--aim-pull",
                List.of("--aim", "--aim-pull", "left"), "--aim-pull");
        for (java.util.Map.Entry<List<String>, String> extra : refused.entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of("table12", "--profile", "smoke", "--datasets", "mr",
                    "--out", dir.resolve("out").toString(), "--reports", dir.resolve("reports").toString()));
            args.addAll(extra.getKey());
            Cli.Result result = Cli.run(args.toArray(String[]::new));
            assertEquals(2, result.code(), result.err());
            assertEquals(1, result.errors().size(), result.err());
            assertTrue(result.errors().get(0).startsWith("error: " + extra.getValue()), result.err());
            assertFalse(Files.exists(GridRunner.workFolder(dir.resolve("out"), Profile.SMOKE, 42)));
        }
    }

    private Path copyMr() throws Exception {
        Path datasets = Files.createDirectories(dir.resolve("datasets/mr"));
        for (String split : new String[] {"train", "dev", "test"}) {
            Files.copy(Path.of("datasets/mr/" + split + ".csv.gz"), datasets.resolve(split + ".csv.gz"));
        }
        Files.copy(Path.of("datasets/SUMS.txt"), dir.resolve("datasets/SUMS.txt"));
        return dir.resolve("datasets");
    }

    private Cli.Result runTable12(Path datasets) {
        System.setProperty("gba4j.datasets", datasets.toString());
        try {
            return Cli.run("table12", "--profile", "smoke", "--datasets", "mr", "--out", dir.resolve("out").toString(),
                    "--reports", dir.resolve("reports").toString());
        } finally {
            System.clearProperty("gba4j.datasets");
        }
    }

    private void assertOneLineError(Cli.Result result, String expected) {
        assertEquals(2, result.code(), result.err());
        var errors = result.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), result.err());
        assertTrue(errors.get(0).contains(expected), "stderr was: " + result.err());
        assertFalse(result.out().contains("step") || result.err().contains("step"), "training started: " + result.out()
                + result.err()); // progress lines go to stderr
        assertFalse(Files.exists(dir.resolve("out")), "a run stopped by bad data must not create its work folder");
        assertFalse(Files.exists(dir.resolve("reports")), "a run stopped by bad data must not write reports");
    }
}
