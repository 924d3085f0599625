package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gba4j.files.ModelFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report CSV read back gives the cells that were written, and a damaged one is refused with its row and column. */
class ReportReaderTest {
    @TempDir
    Path dir;

    private static final CellResult CELL = new CellResult(new Cell("mr", "badnets", "cf", "gba", Map.of("aim", "true")),
            Map.of("model", "minilm", "profile", "quick", "seed", "43"),
            Map.of("asr", 0.0267, "acc", 0.897, "clean_target_rate", 0.125, "majority", 0.5, "test_rows", 1000.0,
                    "asr_rows", 500.0, "rmse_before", 0.092, "rmse_after", 0.034),
            Map.of("train_rows", "200", "aim_suspects", "cf", "attack_config", "Config[trigger=cf, seed=43]"), 369.4,
            "ec6a8b3", "2026-11-27T04:15:05Z", Map.of("seed", "43", "defense.config.aim.min_lift", "0.2"), "0f0ab0246ccdd0cb");

    @Test
    void readsBackWhatTheWriterWrote() {
        Path file = dir.resolve("t.csv");
        ReportWriter.writeCsv(file, new AimedExperiment(new Table12()), List.of(CELL));
        ReportReader.Report report = ReportReader.read(file);
        assertEquals("table12-aimed", report.experiment());
        CellResult back = report.results().get(0);
        assertEquals(CELL.cell(), back.cell());
        assertEquals(CELL.run(), back.run());
        assertEquals(CELL.metrics().keySet(), back.metrics().keySet());
        CELL.metrics().forEach((k, v) -> assertEquals(v, back.metric(k), 1e-9, k));
        assertEquals(CELL.config(), back.config());
        assertEquals(CELL.settings(), back.settings());
        assertEquals(CELL.fingerprint(), back.fingerprint());
        assertEquals(369.4, back.wallSeconds(), 1e-9);
        assertEquals("ec6a8b3", back.codeVersion());
        assertEquals("2026-11-27T04:15:05Z", back.finishedAt());
    }

    @Test
    void theOldFloorNameIsBadNetsFloor() throws Exception {
        Path file = dir.resolve("t.csv");
        ReportWriter.writeCsv(file, new Table12(), List.of(new CellResult(new Cell("mr", "never-attacked", "cf", "none"),
                CELL.run(), Map.of("asr", 0.288, "acc", 0.782), Map.of(), 1, "8fd11bc", "t", Map.of(), null)));
        assertEquals("never-attacked-badnets", ReportReader.read(file).results().get(0).cell().attack());
    }

    @Test
    void aDamagedReportIsRefusedWithItsRowAndColumn() throws Exception {
        Path file = dir.resolve("t.csv");
        ReportWriter.writeCsv(file, new Table12(), List.of(CELL));
        List<String> lines = Files.readAllLines(file);
        Files.writeString(file, lines.get(0) + "\n" + lines.get(1).replace(",2.670000,", ",two,") + "\n");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ReportReader.read(file));
        assertTrue(e.getMessage().contains("row 1 has 'two' in column ASR, not a number"), e.getMessage());

        Files.writeString(file, lines.get(0) + "\n" + lines.get(1) + "\n" + lines.get(1).replaceFirst("^table12", "fig4")
                + "\n");
        e = assertThrows(ModelFileException.class, () -> ReportReader.read(file));
        assertTrue(e.getMessage().contains("row 2 is of experiment 'fig4', earlier rows of 'table12'"), e.getMessage());

        Files.writeString(file, "text,label\na film,1\n");
        e = assertThrows(ModelFileException.class, () -> ReportReader.read(file));
        assertTrue(e.getMessage().contains("has no column 'experiment', so it is not a gba4j report"), e.getMessage());

        Files.writeString(file, lines.get(0) + "\n");
        e = assertThrows(ModelFileException.class, () -> ReportReader.read(file));
        assertTrue(e.getMessage().contains("has no cells"), e.getMessage());
    }
}
