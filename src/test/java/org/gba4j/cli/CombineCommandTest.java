package org.gba4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gba4j.experiment.Cell;
import org.gba4j.experiment.CellResult;
import org.gba4j.experiment.PaperDataset;
import org.gba4j.experiment.Profile;
import org.gba4j.experiment.ReportWriter;
import org.gba4j.experiment.Table12;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code combine} reports two seeds' CSVs as the grid's --seeds would, and refuses a cell counted twice. */
class CombineCommandTest {
    @TempDir
    Path dir;

    private Path report(String name, long seed, double asr, double acc) {
        CellResult cell = new CellResult(new Cell("mr", "badnets", "cf", "gba"), Map.of("model", Profile.QUICK.model(),
                "profile", "quick", "seed", Long.toString(seed)), Map.of("asr", asr, "acc", acc, "test_rows", 1000.0,
                "asr_rows", 500.0), Map.of(), 60, "abc1234", "2026-11-27T10:00:00Z", Map.of(), null);
        ReportWriter.write(new Table12(), List.of(cell), List.of(PaperDataset.MR), dir, "cmd", Profile.QUICK, 6);
        try {
            return Files.move(dir.resolve("table12.csv"), dir.resolve(name + ".csv"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void twoSeedsAreReportedWithTheirSpread() throws Exception {
        Path a = report("a", 42, 0.02, 0.897);
        Path b = report("b", 43, 0.10, 0.901);
        Cli.Result r = Cli.run("combine", a.toString(), b.toString(), "--reports", dir.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(dir.resolve("table12-seeds42-43.md"));
        assertTrue(md.contains("| PT+soft+GB | BadNets | 6.0 +/- 5.7 (2.67) | 89.9 +/- 0.3 (89.70) |"), md);
        assertTrue(md.contains("- Seeds: 42, 43"), md);
        assertTrue(md.contains("- Command: `java -jar experiments.jar combine " + a + " " + b + "`"), md);
        List<String> csv = Files.readAllLines(dir.resolve("table12-seeds42-43.csv"));
        assertEquals(3, csv.size());
        assertTrue(csv.get(1).startsWith("table12,minilm,mr,badnets,cf,gba,,quick,42,2.000000,89.700000,"), csv.get(1));
    }

    @Test
    void aCellOfOneSeedInTwoReportsIsRefused() throws Exception {
        Path a = report("a", 42, 0.02, 0.897);
        Path b = report("b", 42, 0.10, 0.901);
        Cli.Result r = Cli.run("combine", a.toString(), b.toString(), "--reports", dir.toString());
        assertEquals(2, r.code());
        assertEquals(List.of("error: cell mr_badnets-cf_gba of seed 42 is in " + a + " and in " + b
                + ": give each seed's cells once"), r.errors());
        assertFalse(r.hasStackTrace());
        assertFalse(Files.exists(dir.resolve("table12-seeds42.csv")));
    }

    @Test
    void theReportNeverReplacesAnInput() throws Exception {
        Path a = report("a", 42, 0.02, 0.897);
        Path b = report("b", 43, 0.10, 0.901);
        byte[] before = Files.readAllBytes(a);
        Cli.Result r = Cli.run("combine", a.toString(), b.toString(), "--reports", dir.toString(), "--name", "a");
        assertEquals(2, r.code());
        assertTrue(r.errors().get(0).contains("would replace its input"), r.err());
        assertArrayEquals(before, Files.readAllBytes(a));
    }
}
