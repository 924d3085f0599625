package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gba4j.defense.Defenses;
import org.gba4j.prompt.TriggerScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellConfigurationTest {
    @TempDir
    Path dir;

    private static final Cell GBA = new Cell("mr", "badnets", "cf", "gba");

    private static CellResult stored(Cell cell, Profile profile) {
        Map<String, String> settings = CellConfiguration.of(cell, profile, 42);
        return new CellResult(cell, Map.of("profile", profile.name()), Map.of("asr", 0.5, "acc", 0.8), Map.of(), 1,
                "abc1234", "2026-11-26T05:00:00Z", settings, CellConfiguration.fingerprint(cell, profile, 42));
    }

    @Test
    void aStoredCellIsRecomputedWhenOneHyperparameterChanges() {
        CellStore store = new CellStore(dir);
        store.save(stored(GBA, Profile.QUICK));
        assertTrue(store.find(GBA, CellConfiguration.fingerprint(GBA, Profile.QUICK, 42)).isPresent());
        Profile changed = new Profile("quick", Profile.QUICK.model(), Profile.QUICK.trainRows(),
                Profile.QUICK.attackRows(), Profile.QUICK.testRows(), Profile.QUICK.maxLengthCap(), 5e-5,
                Profile.QUICK.epochs(), Profile.QUICK.batchSize(),
                Profile.QUICK.nadBeta(), Profile.QUICK.attackScale(), Profile.QUICK.neubaSteps(),
                Profile.QUICK.attackEpochCap(), Profile.QUICK.promptFraction()); // same name, another learning rate
        assertTrue(store.find(GBA, CellConfiguration.fingerprint(GBA, changed, 42)).isEmpty());
        assertTrue(store.find(GBA, CellConfiguration.fingerprint(GBA, Profile.QUICK, 43)).isEmpty());
        assertTrue(store.find(GBA, CellConfiguration.fingerprint(GBA, Profile.QUICK.withTestRows(500), 42)).isEmpty());
    }

    @Test
    void theGridRecomputesExactlyTheCellWhoseSettingsChanged() throws Exception {
        CellStore store = new CellStore(dir);
        Cell pt = new Cell("mr", "badnets", "cf", "pt");
        store.save(stored(GBA, Profile.QUICK));
        store.save(stored(pt, Profile.QUICK));
        Cell lambda = GBA.with("lambda", "1.0");
        java.util.List<Cell> cells = java.util.List.of(GBA, pt, lambda);
        Map<Cell, String> now = new java.util.LinkedHashMap<>();
        cells.forEach(c -> now.put(c, CellConfiguration.fingerprint(c, Profile.QUICK, 42)));
        assertEquals(java.util.List.of(lambda), GridRunner.toCompute(cells, store, now, false));
        // one hyperparameter of the profile changes (epochs 3 -> 4): every cell is recomputed
        Profile moreEpochs = new Profile("quick", Profile.QUICK.model(), Profile.QUICK.trainRows(),
                Profile.QUICK.attackRows(), Profile.QUICK.testRows(), Profile.QUICK.maxLengthCap(),
                Profile.QUICK.learningRate(), 4,
                Profile.QUICK.batchSize(), Profile.QUICK.nadBeta(), Profile.QUICK.attackScale(),
                Profile.QUICK.neubaSteps(), Profile.QUICK.attackEpochCap(), Profile.QUICK.promptFraction());
        cells.forEach(c -> now.put(c, CellConfiguration.fingerprint(c, moreEpochs, 42)));
        assertEquals(cells, GridRunner.toCompute(cells, store, now, false));
        assertEquals(cells, GridRunner.toCompute(cells, store, now, true));
        // the report carries every setting as a column, and the fingerprint
        java.nio.file.Path csv = dir.resolve("r.csv");
        ReportWriter.writeCsv(csv, new Table12(), java.util.List.of(stored(GBA, Profile.QUICK)));
        String header = java.nio.file.Files.readAllLines(csv).get(0);
        assertTrue(header.contains("setting.defense.config.broadcast.form") && header.endsWith(",fingerprint"), header);
    }

    @Test
    void theSettingsNameTheAttackTheDefenseAndTheBroadcastForm() {
        Map<String, String> literal = CellConfiguration.of(GBA, Profile.QUICK, 42);
        assertEquals("coupled", literal.get("defense.config.broadcast.form"));
        assertEquals("0.5", literal.get("defense.config.broadcast.lambda"));
        assertEquals("cf", literal.get("attack.config.trigger"));
        assertEquals("1.0E-4", literal.get("attack.config.learning_rate"));
        assertEquals("quick", literal.get("profile.name"));
        Map<String, String> decoupled = CellConfiguration.of(GBA.with("broadcast", "decoupled").with("broadcast_lr", "0.1"),
                Profile.QUICK, 42);
        assertEquals("decoupled", decoupled.get("defense.config.broadcast.form"));
        assertEquals("0.1", decoupled.get("defense.config.broadcast.learning_rate"));
        assertNotEquals(CellConfiguration.fingerprint(GBA, Profile.QUICK, 42),
                CellConfiguration.fingerprint(GBA.with("aim", "true"), Profile.QUICK, 42));
    }

    @Test
    void onlyPromptAdaptationOfAnUntunedEncoderRecordsItsLargerSample() {
        String key = "defense.untuned_encoder_rows";
        assertEquals("1000", CellConfiguration.of(new Cell("mr", "neuba", "table5", "gba"), Profile.QUICK, 42).get(key));
        assertEquals("1000", CellConfiguration.of(new Cell("mr", "never-attacked-neuba", "table5", "gba"), Profile.QUICK, 42)
                .get(key));
        // every other cell keeps the settings (and so the fingerprint) it had before the rule
        assertNull(CellConfiguration.of(new Cell("mr", "neuba", "table5", "clean-ft"), Profile.QUICK, 42).get(key));
        assertNull(CellConfiguration.of(GBA, Profile.QUICK, 42).get(key));
        assertNull(CellConfiguration.of(new Cell("mr", "neuba", "table5", "gba"), Profile.MEDIUM, 42).get(key),
                "the medium profile keeps the paper's 5% of the split for every prompt adaptation");
        assertNull(CellConfiguration.of(new Cell("mr", "neuba", "table5", "gba").with("fraction", "0.05"), Profile.QUICK, 42)
                .get(key), "a cell's own share of the data (Figure 2) stands");
        assertTrue(Backdoors.adaptsUntunedEncoder("never-attacked-neuba"), "NeuBA's floor adapts the clean base model");
        assertFalse(Backdoors.adaptsUntunedEncoder("never-attacked-ripple"));
        assertFalse(Profile.SMOKE.untunedAdaptsOnAttackerRows(), "no larger attacker sample");
        Profile allRows = new Profile("all", "minilm", 0, 500, 0, 32, 1e-4, 3, 32, 5000, false, 0, 0, 0);
        assertFalse(allRows.untunedAdaptsOnAttackerRows(), "the defenses already have the whole split");
    }

    @Test
    void table4AdaptsEveryModelOnTheNewTasksAttackerRowsWhereTheProfileSaysSo() {
        List<Cell> cells = new Table4().cells(List.of(PaperDataset.of("mr")));
        assertEquals(3, cells.size());
        for (Cell c : cells) {
            assertTrue(CellConfiguration.furtherAdaptsOnAttackerRows(c, Profile.QUICK), c.id());
            assertEquals("1000", CellConfiguration.of(c, Profile.QUICK, 42).get("adapt.untuned_encoder_rows"), c.id());
            assertFalse(CellConfiguration.furtherAdaptsOnAttackerRows(c, Profile.SMOKE), "smoke: no larger sample");
            assertNull(CellConfiguration.of(c, Profile.SMOKE, 42).get("adapt.untuned_encoder_rows"));
        }
        assertFalse(CellConfiguration.furtherAdaptsOnAttackerRows(GBA, Profile.QUICK), "no further adaptation");
        assertNull(CellConfiguration.of(GBA, Profile.QUICK, 42).get("adapt.untuned_encoder_rows"));
    }

    @Test
    void anAimedGridAimsOnlyItsGbaCellsAndRecordsTheScan() {
        Experiment aimed = new AimedExperiment(new Table12());
        assertEquals("table12-aimed", aimed.name());
        List<Cell> cells = aimed.cells(List.of(PaperDataset.of("mr")));
        assertEquals(new Table12().cells(List.of(PaperDataset.of("mr"))).size(), cells.size());
        for (Cell c : cells) {
            assertEquals(c.defense().equals(Defenses.GBA), c.params().equals(Map.of("aim", "true")), c.id());
        }
        Cell gba = cells.stream().filter(c -> c.defense().equals(Defenses.GBA)).findFirst().orElseThrow();
        Map<String, String> settings = CellConfiguration.of(gba, Profile.QUICK, 42);
        assertEquals(Double.toString(TriggerScan.Config.DEFAULT.minLift()), settings.get("defense.config.aim.min_lift"));
        assertEquals(TriggerScan.Config.DEFAULT.probe().name().toLowerCase(java.util.Locale.ROOT), settings.get("defense.config.aim.probe"));
        assertEquals("2000", settings.get("defense.config.aim.context_pool"), "the cascade is recorded");
        assertEquals("0", CellConfiguration.of(GBA, Profile.QUICK, 42).get("defense.config.aim.rows"), "literal: no scan");
    }

    @Test
    void aCellStoredBeforeFingerprintsIsTakenAsStored() {
        CellStore store = new CellStore(dir);
        CellResult legacy = new CellResult(GBA, Map.of(), Map.of("asr", 0.5), Map.of(), 1, "abc", "t", null, null);
        store.save(legacy);
        assertTrue(store.find(GBA, "0123456789abcdef").isPresent());
    }
}
