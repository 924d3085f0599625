package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact contents of the CSV and of Table 12's Markdown for two hand-made cells. */
class ReportWriterTest {
    @TempDir
    Path dir;

    private static CellResult result(String defense, double asr, double acc) {
        return result(defense, asr, acc, 42);
    }

    private static CellResult result(String defense, double asr, double acc, long seed) {
        return new CellResult(new Cell("mr", "badnets", "cf", defense), Map.of("model", "minilm", "profile", "quick",
                "seed", Long.toString(seed)), Map.of("asr", asr, "acc", acc, "test_rows", 200.0, "asr_rows", 100.0),
                Map.of("train_rows", "200", "attack", "badnets"), 12.5, "abc1234", "2026-11-25T10:00:00Z", Map.of(), null);
    }

    @Test
    void plotTitleNamesTheTasksModelProfileAndSeeds() {
        assertEquals("Figure 3: RMSE (MR, HS; minilm, quick profile, seeds 42,43)", ReportWriter.plotTitle(
                "Figure 3: RMSE", List.of(PaperDataset.MR, PaperDataset.HS), Profile.QUICK, "42,43"));
    }

    @Test
    void fig3ShowsEachCellWithItsIntervalsAndCleanTargetRate() {
        CellResult mn = new CellResult(new Cell("mr", "badnets", "mn", "gba"), Map.of("seed", "42"),
                Map.of("asr", 0.25, "asr_rows", 400.0, "clean_target_rate", 0.1, "acc", 0.78, "test_rows", 1000.0,
                        "rmse_before", 0.092, "rmse_after", 0.0345),
                Map.of(), 1, "abc1234", "2026-11-25T10:00:00Z", Map.of(), null);
        CellResult floor = new CellResult(new Cell("mr", "never-attacked-badnets", "mn", "gba"), Map.of("seed", "42"),
                Map.of("asr", 0.05, "asr_rows", 400.0, "acc", 0.8, "test_rows", 1000.0, "rmse_before", 0.5),
                Map.of(), 1, "abc1234", "2026-11-25T10:00:00Z", Map.of(), null);
        String md = new Fig3().markdown(List.of(mn, floor), List.of(PaperDataset.MR));
        // Wilson 95%: 0.25 of 400 -> [21.0, 29.5]; 0.1 of 1000 -> [8.3, 12.0]; 0.78 of 1000 -> [75.3, 80.5];
        // 0.05 of 400 -> [3.3, 7.6]; 0.8 of 1000 -> [77.4, 82.4]. The floor's RMSE is not the backdoor's.
        assertTrue(md.contains("| mr | mn | 0.09200 | 0.03450 | 25.0 [21.0, 29.5] | 10.0 [8.3, 12.0] | 78.0 [75.3, 80.5]"
                + " | 5.0 [3.3, 7.6] | 80.0 [77.4, 82.4] |"), md);
        assertTrue(md.contains("| mr | cf | - | - | - | - | - | - | - |"), md);
        assertTrue(md.contains("| mn | 0.09200 | 0.03450 | 25.00 | 5.00 | 78.00 |"), md);
        assertEquals("Figure 3: trigger-to-class-token RMSE", new Fig3().plots(List.of(mn), List.of(PaperDataset.MR))
                .get("fig3.png").getTitle());
        assertEquals("Figure 3: trigger-to-class-token RMSE, GBA aimed (gba4j)", new AimedExperiment(new Fig3())
                .plots(List.of(mn), List.of(PaperDataset.MR)).get("fig3-aimed.png").getTitle());
    }

    @Test
    void correlationTasksKeepTheirMetrics() throws Exception {
        CellResult cola = new CellResult(new Cell("cola", "badnets", "cf", "gba"), Map.of("model", "minilm"),
                Map.of("acc", 0.7, "mcc", 0.25, "asrr", 0.125), Map.of(), 1, "abc1234", "2026-11-25T10:00:00Z", Map.of(), null);
        ReportWriter.writeCsv(dir.resolve("g.csv"), new Table11(), List.of(cola));
        assertEquals("table11,minilm,cola,badnets,cf,gba,,,,,70.000000,,,,,,,0.125000,0.250000,,,,1.0,abc1234,"
                + "2026-11-25T10:00:00Z",
                Files.readAllLines(dir.resolve("g.csv")).get(1));
    }

    @Test
    void aCountNoMetricHoldsComesFromTheCellsConfiguration() throws Exception {
        // a Table 4 cell stored before it scored its test rows as a metric: only its configuration names them
        CellResult adapted = new CellResult(new Cell("fakeddit", "badnets", "cf", "gba").with("adapt_to", "mr"),
                Map.of("model", "minilm", "seed", "42"), Map.of("acc", 0.768), Map.of("test_rows", "1000"), 1,
                "abc1234", "2026-11-25T10:00:00Z", Map.of(), null);
        ReportWriter.writeCsv(dir.resolve("t4.csv"), new Table4(), List.of(adapted));
        List<String> lines = Files.readAllLines(dir.resolve("t4.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        List<String> row = List.of(lines.get(1).split(",", -1));
        assertEquals("1000", row.get(header.indexOf("test_rows")), lines.get(1));
        assertEquals("76.800000", row.get(header.indexOf("ACC")), lines.get(1));
        assertEquals("", row.get(header.indexOf("asr_rows")), lines.get(1));
        assertEquals(header.size(), row.size(), "the configuration's test_rows is not a second column");
    }

    @Test
    void csvHasOneNamedRowPerCellAndSeedInPercentBesideThePapers() throws Exception {
        ReportWriter.writeCsv(dir.resolve("t.csv"), new Table12(), List.of(result("none", 1.0, 0.73),
                result("gba", 0.0267, 0.897), result("gba", 0.1, 0.9, 43)));
        List<String> lines = Files.readAllLines(dir.resolve("t.csv"));
        assertEquals("experiment,model,dataset,attack,trigger,defense,params,profile,seed,ASR,ACC,paper_ASR,paper_ACC,"
                + "clean_target_rate,majority,test_rows,asr_rows,ASRR,MCC,Pearson,rmse_before,rmse_after,wall_s,code_version,"
                + "finished_at,train_rows", lines.get(0));
        assertEquals("table12,minilm,mr,badnets,cf,none,,quick,42,100.000000,73.000000,100.000000,93.490000,,,200,100,,,,,,"
                + "12.5,abc1234,2026-11-25T10:00:00Z,200", lines.get(1));
        assertEquals("table12,minilm,mr,badnets,cf,gba,,quick,42,2.670000,89.700000,2.670000,89.700000,,,200,100,,,,,,12.5,"
                + "abc1234,2026-11-25T10:00:00Z,200", lines.get(2));
        assertTrue(lines.get(3).startsWith("table12,minilm,mr,badnets,cf,gba,,quick,43,10.000000,90.000000,2.670000,"), lines.get(3));
        assertEquals(4, lines.size());
    }

    @Test
    void severalSeedsShowTheirSpreadOneSeedItsInterval() {
        String one = new Table12().markdown(List.of(result("gba", 0.0267, 0.897)), List.of(PaperDataset.MR));
        // Wilson 95% intervals: ASR over its 100 non-target rows, ACC over the 200 test rows
        assertTrue(one.contains("| PT+soft+GB | BadNets | 2.7 [0.9, 8.0] (2.67) | 89.7 [84.7, 93.2] (89.70) |"), one);
        String three = new Table12().markdown(List.of(result("gba", 0.0267, 0.897), result("gba", 0.1, 0.9, 43),
                result("gba", 0.05, 0.903, 44)), List.of(PaperDataset.MR));
        assertTrue(three.contains("| PT+soft+GB | BadNets | 5.9 +/- 3.7 (2.67) | 90.0 +/- 0.3 (89.70) | 5.89 +/- 3.75 (2.67) |"), three);
    }

    @Test
    void theAverageSpreadIsThatOfTheSeedsOwnAverages() {
        CellResult hs42 = new CellResult(new Cell("hs", "badnets", "cf", "gba"), Map.of("seed", "42"), Map.of("asr", 0.3),
                Map.of(), 1, "abc1234", "t", Map.of(), null);
        CellResult hs43 = new CellResult(new Cell("hs", "badnets", "cf", "gba"), Map.of("seed", "43"), Map.of("asr", 0.4),
                Map.of(), 1, "abc1234", "t", Map.of(), null);
        // seed 42 averages 20, seed 43 30: 25 +/- 7.07 (the four cells pooled would give 12.91)
        String md = new Table12().markdown(List.of(result("gba", 0.1, 0.9), result("gba", 0.2, 0.9, 43), hs42, hs43),
                List.of(PaperDataset.MR, PaperDataset.HS));
        assertTrue(md.contains("| 25.00 +/- 7.07 (1.87) |"), md);
    }

    @Test
    void aRowMissingATaskHasNoAverageOfOurs() {
        String md = new Table12().markdown(List.of(result("gba", 0.1, 0.9)), List.of(PaperDataset.MR, PaperDataset.HS));
        // MR finished, HS not: an average over MR alone beside the paper's over both would compare different tasks
        assertTrue(md.contains("| PT+soft+GB | BadNets | 10.0 [5.5, 17.4] (2.67) | 90.0 [85.1, 93.4] (89.70) | - (1.07) |"
                + " - (92.95) | - (1.87) | - (91.33) |"), md);
    }

    @Test
    void markdownPutsThePapersNumbersBesideOurs() {
        String md = new Table12().markdown(List.of(result("none", 1.0, 0.73), result("gba", 0.0267, 0.897)),
                List.of(PaperDataset.MR));
        assertTrue(md.contains("| No-defense | BadNets | 100.0 [96.3, 100.0] (100.00) | 73.0 [66.5, 78.7] (93.49) | 100.00 (100.00)"
                + " | 73.00 (93.49) |"), md);
        assertTrue(md.contains("| PT+soft+GB | BadNets | 2.7 [0.9, 8.0] (2.67) | 89.7 [84.7, 93.2] (89.70) |"), md);
        assertTrue(md.contains("| PT | BadNets | - (80.12) | - (93.12) | - (80.12) | - (93.12) |"), md);
    }

    @Test
    void theFloorRowsShowTheNeverAttackedModelWithoutAPaperNumber() {
        CellResult floor = new CellResult(new Cell("mr", "never-attacked-badnets", "cf", "none"),
                Map.of("model", "minilm", "profile", "quick", "seed", "42"),
                Map.of("asr", 0.06, "acc", 0.77, "test_rows", 200.0, "asr_rows", 100.0),
                Map.of(), 12.5, "abc1234", "2026-11-25T10:00:00Z", Map.of(), null);
        String md = new Table12().markdown(List.of(result("none", 1.0, 0.73), floor), List.of(PaperDataset.MR));
        assertTrue(md.contains("| No-defense (floor) | never attacked, cf | 6.0 [2.8, 12.5] (-) | 77.0 [70.7, 82.3] (-) |"),
                md);
        assertTrue(md.contains("| PT+soft (floor) | never attacked, cf | - (-) |"), md);
        assertTrue(new Table12().cells(List.of(PaperDataset.MR))
                .contains(new Cell("mr", "never-attacked-badnets", "cf", "pt-soft")));
    }

    @Test
    void table2HasEachAttacksFloorWithNoDefenseAndAfterGba() {
        List<Cell> cells = new Table2().cells(List.of(PaperDataset.MR));
        assertEquals(4 * 5 + 4 * 2, cells.size());
        assertTrue(cells.contains(new Cell("mr", "never-attacked-ripple", "table5", "gba")));
        assertTrue(cells.contains(new Cell("mr", "never-attacked-ep", "cf", "none")));
        CellResult floor = new CellResult(new Cell("mr", "never-attacked-neuba", "table5", "gba"),
                Map.of("model", "minilm", "profile", "quick", "seed", "42"),
                Map.of("asr", 0.5, "acc", 0.75, "test_rows", 200.0, "asr_rows", 100.0),
                Map.of(), 12.5, "abc1234", "2026-11-25T10:00:00Z", Map.of(), null);
        assertNull(new Table2().paper(floor.cell()));
        String md = new Table2().markdown(List.of(floor), List.of(PaperDataset.MR));
        assertTrue(md.contains("| GBA (floor) | never attacked, as NeuBA | 50.0 [40.4, 59.6] (-) | 75.0 [68.6, 80.5] (-) |"),
                md);
        assertTrue(md.contains("| No-Defense (floor) | never attacked, as RIPPLe | - (-) | - (-) |"), md);
    }

    @Test
    void table2SaysWhenGbaAgainstNeubaHadMoreRows() {
        CellResult neuba = new CellResult(new Cell("mr", "neuba", "table5", "gba"), Map.of("seed", "43"),
                Map.of("asr", 0.3, "acc", 0.75, "test_rows", 1000.0, "asr_rows", 507.0), Map.of("train_rows", "1000"), 1,
                "abc1234", "t", Map.of(), null);
        CellResult badnets = new CellResult(new Cell("mr", "badnets", "cf", "gba"), Map.of("seed", "43"),
                Map.of("asr", 0.3, "acc", 0.75, "test_rows", 1000.0, "asr_rows", 507.0), Map.of("train_rows", "200"), 1,
                "abc1234", "t", Map.of(), null);
        String md = new Table2().markdown(List.of(neuba, badnets), List.of(PaperDataset.MR));
        assertTrue(md.contains("(NeuBA's, the clean model) on 1000 clean rows, the attacker's, on which NeuBA's victim was"
                + " fine-tuned; the other GBA cells adapt a fine-tuned classifier on 200 (reports/neuba-budget.md)"), md);
        CellResult before = new CellResult(neuba.cell(), neuba.run(), neuba.metrics(), Map.of("train_rows", "200"), 1,
                "abc1234", "t", Map.of(), null);
        assertFalse(new Table2().markdown(List.of(before, badnets), List.of(PaperDataset.MR)).contains("neuba-budget"),
                "no note where every GBA cell had the same rows");
    }

    @Test
    void aClassifierAtChanceIsMarkedAndExplained() {
        // MR NeuBA x aimed GBA, seed 43: ACC 53.7 on 1,000 rows, interval [50.6, 56.8], majority 50.7 -> at chance
        CellResult chance = new CellResult(new Cell("mr", "neuba", "table5", "gba"), Map.of("seed", "43"),
                Map.of("asr", 0.8722, "acc", 0.537, "majority", 0.507, "test_rows", 1000.0, "asr_rows", 507.0),
                Map.of(), 1, "abc1234", "t", Map.of(), null);
        // 56.0 [52.9, 59.0] is above the same majority rate: a weak classifier, not one at chance
        CellResult weak = new CellResult(new Cell("mr", "ripple", "table5", "gba"), Map.of("seed", "43"),
                Map.of("asr", 0.3, "acc", 0.56, "majority", 0.507, "test_rows", 1000.0, "asr_rows", 507.0),
                Map.of(), 1, "abc1234", "t", Map.of(), null);
        String md = new Table2().markdown(List.of(chance, weak), List.of(PaperDataset.MR));
        assertTrue(md.contains("| GBA | NeuBA | 87.2 [84.0, 89.8] (0.17) | 53.7 [50.6, 56.8] \u2020 (89.74) |"), md);
        assertTrue(md.contains("| GBA | RIPPLe | 30.0 [26.2, 34.1] (7.39) | 56.0 [52.9, 59.0] (89.14) |"), md);
        assertTrue(md.contains("\n\u2020 At chance: the lower end of the ACC's 95% interval"), md);
        String none = new Table2().markdown(List.of(weak), List.of(PaperDataset.MR));
        assertFalse(none.contains("\u2020"), none);
    }

    @Test
    void figuresAreWrittenAsPng() throws Exception {
        CellResult gba = new CellResult(new Cell("mr", "badnets", "cf", "gba").with("fraction", "0.01"),
                Map.of("model", "minilm"), Map.of("asr", 0.1, "acc", 0.8), Map.of(), 1, "abc1234", "2026-11-25T10:00:00Z", Map.of(), null);
        ReportWriter.write(new Fig2(), List.of(gba), List.of(PaperDataset.MR), dir, "cmd", Profile.SMOKE, 48);
        for (String png : List.of("fig2-asr.png", "fig2-acc.png")) {
            byte[] bytes = Files.readAllBytes(dir.resolve(png));
            assertEquals((byte) 0x89, bytes[0]);
            assertEquals("PNG", new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
        }
        for (String svg : List.of("fig2-asr.svg", "fig2-acc.svg")) {
            String text = Files.readString(dir.resolve(svg));
            assertTrue(text.contains("<svg"), svg); // glyphs are drawn as paths: the title is not searchable text
        }
        String md = Files.readString(dir.resolve("fig2.md"));
        assertTrue(md.contains("| gba | 1% | 1 | 10.00 | 80.00 | 1.17 |"), md);
        assertTrue(md.contains("| gba | 5% | 0 | - | - | - |"), md);
        assertTrue(md.contains("- Cells: 1 of 48 finished"), md);
    }

    /** A seed-42 cell scored on 1,000 test rows, 400 of them triggered; majority NaN when not stored. */
    private static CellResult scored(Cell cell, double asr, double acc, double majority) {
        Map<String, Double> metrics = new java.util.HashMap<>(Map.of("asr", asr, "asr_rows", 400.0, "acc", acc,
                "test_rows", 1000.0));
        if (!Double.isNaN(majority)) {
            metrics.put("majority", majority);
        }
        return new CellResult(cell, Map.of("seed", "42"), metrics, Map.of(), 1, "abc1234", "2026-11-25T10:00:00Z",
                Map.of(), null);
    }

    @Test
    void fig2ShowsEachAttackBesideItsNoDefenseCell() {
        CellResult none = scored(new Cell("mr", "badnets", "cf", "none"), 1.0, 0.78, Double.NaN);
        CellResult gba = scored(new Cell("mr", "badnets", "cf", "gba").with("fraction", "0.05"), 0.25, 0.78, Double.NaN);
        CellResult chance = scored(new Cell("mr", "badnets", "cf", "nad-c").with("fraction", "0.01"), 0.4, 0.534, 0.529);
        assertFalse(new Fig2().markdown(List.of(none, gba), List.of(PaperDataset.MR)).contains("\u2020"));
        CellResult floor = scored(new Cell("mr", "never-attacked-badnets", "cf", "none"), 0.25, 0.78, Double.NaN);
        String md = new Fig2().markdown(List.of(none, gba, chance, floor), List.of(PaperDataset.MR));
        assertTrue(md.contains("| floor: never attacked, none | - | 25.0 [21.0, 29.5] | 78.0 [75.3, 80.5] | - |"), md);
        // 0.534 of 1000 -> [50.3, 56.5]: its lower end is below the majority's 52.9
        assertTrue(md.contains("| nad-c | 1% | 40.0 [35.3, 44.9] | 53.4 [50.3, 56.5] \u2020 |"), md);
        assertTrue(md.contains("\n\u2020 At chance: "), md);
        // Wilson 95%: 1.0 of 400 -> [99.0, 100.0]; 0.25 of 400 -> [21.0, 29.5]; 0.78 of 1000 -> [75.3, 80.5]
        assertTrue(md.contains("| none | - | 100.0 [99.0, 100.0] | 78.0 [75.3, 80.5] | - | - |"), md);
        assertTrue(md.contains("| gba | 5% | 25.0 [21.0, 29.5] | 78.0 [75.3, 80.5] | - | - |"), md);
        assertTrue(md.contains("| gba | 1% | - | - | - | - |"), md);
        assertTrue(md.contains("| gba | 5% | 1 | 25.00 | 78.00 | - |"), md);
        assertTrue(new Fig2().markdown(List.of(none), List.of(PaperDataset.MR))
                .contains("| floor: never attacked, none | - | - | - |"));
        // GBA's own floor at 5%: its own rows, and kept out of GBA's means over the backdoored models
        CellResult gbaFloor = scored(new Cell("mr", "never-attacked-badnets", "cf", "gba").with("fraction", "0.05"), 0.1,
                0.76, Double.NaN);
        String withFloor = new Fig2().markdown(List.of(none, gba, floor, gbaFloor), List.of(PaperDataset.MR));
        // 0.1 of 400 -> [7.4, 13.3]; 0.76 of 1000 -> [73.3, 78.5]
        assertTrue(withFloor.contains("| floor: never attacked, gba | 5% | 10.0 [7.4, 13.3] | 76.0 [73.3, 78.5] | - |"),
                withFloor);
        assertTrue(withFloor.contains("| floor: never attacked, gba | 1% | - | - | - |"), withFloor);
        assertTrue(withFloor.contains("| gba | 5% | 1 | 25.00 | 78.00 | - |"), withFloor);
        assertTrue(withFloor.contains("| floor: never attacked, gba | 5% | 1 | 10.00 | 76.00 | - |"), withFloor);
        List<Cell> cells = new Fig2().cells(List.of(PaperDataset.MR));
        assertEquals(72, cells.size(), "4 attacks x (No-Defense, its floor, 4 fractions x (3 defenses, GBA's floor))");
        // the four attacks' GBA floors at one fraction are consecutive, so the grid trains one defense for them
        List<Cell> floors = cells.subList(56, 60);
        assertTrue(floors.stream().allMatch(c -> c.attack().startsWith("never-attacked-") && c.defense().equals("gba")
                && c.param("fraction", "").equals("0.01")), floors.toString());
    }

    @Test
    void fig4ShowsEachLambdaBesideTheNoDefenseCellAndTheFloor() {
        CellResult none = scored(new Cell("mr", "badnets", "cf", "none"), 1.0, 0.78, Double.NaN);
        CellResult floor = scored(new Cell("mr", "never-attacked-badnets", "cf", "none"), 0.25, 0.78, Double.NaN);
        // lambda 0.5 is Table 2's GBA cell (no parameter); 0.534 of 1000 is at chance beside a majority of 0.529
        CellResult atDefault = scored(new Cell("mr", "badnets", "cf", "gba"), 0.25, 0.534, 0.529);
        CellResult two = scored(new Cell("mr", "badnets", "cf", "gba").with("lambda", "2.0"), 1.0, 0.78, Double.NaN);
        CellResult gbaFloor = scored(new Cell("mr", "never-attacked-badnets", "cf", "gba"), 0.1, 0.78, Double.NaN);
        String md = new Fig4().markdown(List.of(none, floor, gbaFloor, atDefault, two), List.of(PaperDataset.MR));
        // 0.1 of 400 -> [7.4, 13.3]: the floor GBA's cells are read against, apart from the No-Defense floor
        assertTrue(md.contains("| floor: never attacked, gba (lambda 0.5) | 10.0 [7.4, 13.3] | 78.0 [75.3, 80.5] | - |"),
                md);
        assertTrue(md.contains("| none | 100.0 [99.0, 100.0] | 78.0 [75.3, 80.5] | - | - |"), md);
        assertTrue(md.contains("| floor: never attacked, none | 25.0 [21.0, 29.5] | 78.0 [75.3, 80.5] | - |"), md);
        assertTrue(md.contains("| 0.5 | 25.0 [21.0, 29.5] | 53.4 [50.3, 56.5] \u2020 | - |"), md);
        assertTrue(md.contains("| 2.0 | 100.0 [99.0, 100.0] | 78.0 [75.3, 80.5] | - |"), md);
        assertTrue(md.contains("| 0.1 | - | - | - |"), md);
        assertTrue(md.contains("\n\u2020 At chance: "), md);
        assertFalse(new Fig4().markdown(List.of(none, floor, two), List.of(PaperDataset.MR)).contains("\u2020"));
        assertEquals(32, new Fig4().cells(List.of(PaperDataset.MR)).size(),
                "4 attacks x (No-Defense, its floor, GBA's floor, 5 lambdas)");
    }

    @Test
    void cellIdsAreStableAndParameterOrderFree() {
        Cell a = new Cell("hs", "badnets", "cf", "gba").with("width", "4").with("fraction", "0.05");
        Cell b = new Cell("hs", "badnets", "cf", "gba").with("fraction", "0.05").with("width", "4");
        assertEquals("hs_badnets-cf_gba_fraction=0.05_width=4", a.id());
        assertEquals(a.id(), b.id());
        assertEquals(a, b);
    }

    @Test
    void storedCellsRoundTrip() {
        CellStore store = new CellStore(dir.resolve("cells"));
        CellResult original = result("gba", 0.05, 0.9);
        store.save(original);
        assertEquals(original, store.find(original.cell()).orElseThrow());
        assertTrue(store.find(new Cell("mr", "badnets", "cf", "pt")).isEmpty());
    }
}
