package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gba4j.cli.Cli;
import org.gba4j.config.ConfigPairs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume-from}: a grid whose work folder is gone (a new machine) takes its finished cells back from the report
 * CSV it wrote, but only a row of the same cell and seed whose recorded settings equal the cell's current ones; a
 * report of another grid gives the cells the two grids share.
 */
class ResumeFromReportTest {
    private static final Profile PROFILE = Profile.QUICK;
    private static final List<Cell> CELLS = new Table12().cells(List.of(PaperDataset.MR));

    @TempDir
    Path dir;

    private static CellResult row(Cell cell, long seed, Map<String, String> settings, double asr) {
        return new CellResult(cell, Map.of("model", "minilm", "profile", PROFILE.name(), "seed", Long.toString(seed)),
                Map.of("asr", asr, "acc", 0.781, "test_rows", 1000.0, "asr_rows", 500.0), Map.of("train_rows", "200"),
                312.5, "abc1234", "2026-11-27T10:00:00Z", settings, ConfigPairs.fingerprint(settings));
    }

    private static Map<String, String> settings(Cell cell, long seed) {
        return CellConfiguration.of(cell, PROFILE, seed);
    }

    @Test
    void onlyRowsOfTheSameCellSeedAndSettingsAreTaken() throws Exception {
        Cell first = CELLS.get(0);
        Map<String, String> edited = new TreeMap<>(settings(first, 42));
        edited.put("profile.epochs", "4"); // recorded with another budget: its fingerprint matches its own settings only
        List<CellResult> rows = List.of(row(first, 42, edited, 0.5), row(first, 42, settings(first, 42), 0.25),
                row(first, 43, settings(first, 43), 0.75));
        ReportWriter.write(new Table12(), rows, List.of(PaperDataset.MR), dir, "cmd", PROFILE, CELLS.size());
        Path earlier = dir.resolve("table12.csv");
        List<String> earlierLines = Files.readAllLines(earlier);

        Path out = dir.resolve("out");
        Path reports = dir.resolve("reports");
        Cli.Result r = Cli.run("table12", "--datasets", "mr", "--seed", "42", "--out", out.toString(), "--reports",
                reports.toString(), "--report-only", "--resume-from", earlier.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("seed 42: 1 cells taken from " + earlier), r.out());

        Path cells = out.resolve("quick-minilm-seed42/cells");
        try (var files = Files.list(cells)) {
            assertEquals(List.of(first.id() + ".json"), files.map(p -> p.getFileName().toString()).toList());
        }
        List<String> report = Files.readAllLines(reports.resolve("table12.csv"));
        assertEquals(2, report.size(), String.join("\n", report));
        assertEquals(earlierLines.get(0), report.get(0), "the header");
        assertEquals(earlierLines.get(2), report.get(1), "the taken cell is reported exactly as it was");

        // the stored cell is kept as it is; nothing more is taken
        String stored = Files.readString(cells.resolve(first.id() + ".json"));
        Cli.Result again = Cli.run("table12", "--datasets", "mr", "--seed", "42", "--out", out.toString(), "--reports",
                reports.toString(), "--report-only", "--resume-from", earlier.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("seed 42: 0 cells taken"), again.out());
        assertEquals(stored, Files.readString(cells.resolve(first.id() + ".json")));
    }

    @Test
    void aReportOfAnotherGridGivesTheCellsTheGridsShare() throws Exception {
        // table12's first MR cell (BadNets with cf, no defense) is also a cell of table2; its PT cell is not
        Cell shared = CELLS.get(0);
        Cell table12Only = CELLS.stream().filter(c -> c.defense().equals("pt")).findFirst().orElseThrow();
        List<Cell> table2 = new Table2().cells(List.of(PaperDataset.MR));
        assertTrue(table2.contains(shared) && !table2.contains(table12Only), "the premise: " + table2);
        ReportWriter.write(new Table12(), List.of(row(shared, 42, settings(shared, 42), 0.25),
                row(table12Only, 42, settings(table12Only, 42), 0.5)), List.of(PaperDataset.MR), dir, "cmd", PROFILE,
                CELLS.size());
        Path earlier = dir.resolve("table12.csv");
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("table2", "--datasets", "mr", "--out", out.toString(), "--reports",
                dir.resolve("reports").toString(), "--report-only", "--resume-from", earlier.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("seed 42: 1 cells taken from " + earlier), r.out());
        try (var files = Files.list(out.resolve("quick-minilm-seed42/cells"))) {
            assertEquals(List.of(shared.id() + ".json"), files.map(p -> p.getFileName().toString()).toList());
        }
        List<String> report = Files.readAllLines(dir.resolve("reports/table2.csv"));
        assertEquals(2, report.size(), String.join("\n", report));
        assertTrue(report.get(1).startsWith("table2,minilm,mr,badnets,cf,none,"), report.get(1));
    }

    @Test
    void forceWithResumeFromIsRefused() throws Exception {
        ReportWriter.write(new Table12(), List.of(row(CELLS.get(0), 42, settings(CELLS.get(0), 42), 0.25)),
                List.of(PaperDataset.MR), dir, "cmd", PROFILE, CELLS.size());
        Cli.Result both = Cli.run("table12", "--force", "--resume-from", dir.resolve("table12.csv").toString(), "--out",
                dir.resolve("out").toString(), "--reports", dir.resolve("reports").toString());
        assertEquals(2, both.code());
        assertEquals(1, both.errors().size(), both.err());
        assertTrue(both.errors().get(0).contains("not both"), both.err());
        assertFalse(both.hasStackTrace());
        assertFalse(Files.exists(dir.resolve("out/quick-minilm-seed42/cells")));
    }
}
