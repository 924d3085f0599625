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
        return new CellResult(new Cell("mr", "badnets", "cf", defense), Map.of("model", "minilm", "profile", "quick",
                "seed", "42"), Map.of("asr", asr, "acc", acc), Map.of("train_rows", "200", "attack", "badnets"), 12.5,
                "abc1234", "2026-11-25T10:00:00Z", Map.of(), null);
    }

    @Test
    void correlationTasksKeepTheirMetrics() throws Exception {
        CellResult cola = new CellResult(new Cell("cola", "badnets", "cf", "gba"), Map.of("model", "minilm"),
                Map.of("acc", 0.7, "mcc", 0.25, "asrr", 0.125), Map.of(), 1, "abc1234", "2026-11-25T10:00:00Z", Map.of(), null);
        ReportWriter.writeCsv(dir.resolve("g.csv"), "table11", List.of(cola));
        assertEquals("table11,minilm,cola,badnets,cf,gba,,,,,0.700000,,,0.125000,0.250000,,,,1.0,abc1234,2026-11-25T10:00:00Z",
                Files.readAllLines(dir.resolve("g.csv")).get(1));
    }

    @Test
    void csvHasOneNamedRowPerCell() throws Exception {
        ReportWriter.writeCsv(dir.resolve("t.csv"), "table12", List.of(result("none", 1.0, 0.73), result("gba", 0.0267, 0.897)));
        List<String> lines = Files.readAllLines(dir.resolve("t.csv"));
        assertEquals("experiment,model,dataset,attack,trigger,defense,params,profile,seed,ASR,ACC,clean_target_rate,majority,ASRR,MCC,Pearson,"
                + "rmse_before,rmse_after,wall_s,code_version,finished_at,train_rows", lines.get(0));
        assertEquals("table12,minilm,mr,badnets,cf,none,,quick,42,1.000000,0.730000,,,,,,,,12.5,abc1234,2026-11-25T10:00:00Z,200",
                lines.get(1));
        assertEquals("table12,minilm,mr,badnets,cf,gba,,quick,42,0.026700,0.897000,,,,,,,,12.5,abc1234,2026-11-25T10:00:00Z,200",
                lines.get(2));
        assertEquals(3, lines.size());
    }

    @Test
    void markdownPutsThePapersNumbersBesideOurs() {
        String md = new Table12().markdown(List.of(result("none", 1.0, 0.73), result("gba", 0.0267, 0.897)),
                List.of(PaperDataset.MR));
        assertTrue(md.contains("| No-defense | BadNets | 100.00 (100.00) | 73.00 (93.49) | 100.00 (100.00) | 73.00 (93.49) |"), md);
        assertTrue(md.contains("| PT+soft+GB | BadNets | 2.67 (2.67) | 89.70 (89.70) |"), md);
        assertTrue(md.contains("| PT | BadNets | - (80.12) | - (93.12) | - (80.12) | - (93.12) |"), md);
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
        String md = Files.readString(dir.resolve("fig2.md"));
        assertTrue(md.contains("| gba | 1% | 10.00 | 80.00 |"), md);
        assertTrue(md.contains("- Cells: 1 of 48 finished"), md);
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
