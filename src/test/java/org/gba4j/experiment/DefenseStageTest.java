package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gba4j.prompt.BroadcastForm;
import org.gba4j.prompt.BroadcastReading;
import org.gba4j.prompt.PromptConfig;
import org.junit.jupiter.api.Test;

/** A cell's own prompt settings override the profile's, whatever the order of the checks they pass. */
class DefenseStageTest {
    @Test
    void wideTemplateGetsTheCellsLength() {
        Cell cell = new Cell("hs", "badnets", "cf", "gba").with("width", "16").with("max_length", "64").with("lambda", "2.0");
        PromptConfig config = new DefenseStage(null, Profile.QUICK, null, 42).promptConfig(cell, PaperDataset.HS);
        assertEquals(16, config.templateWidth()); // 2 x 16 + 4 > 32, the quick cap: needs the cell's 64 first
        assertEquals(64, config.maxLength());
        assertEquals(2.0, config.lambda());
        assertEquals(32, new DefenseStage(null, Profile.QUICK, null, 42)
                .promptConfig(new Cell("hs", "badnets", "cf", "pt-soft"), PaperDataset.HS).maxLength());
    }

    @Test
    void everyAimedScanRunsTheDefaultScanOnlyInGbaCells() {
        DefenseStage defenses = new DefenseStage(null, Profile.QUICK, null, 42);
        java.util.Map<AimedExperiment.Scan, String> names = java.util.Map.of(AimedExperiment.Scan.OWN, "table12-aimed",
                AimedExperiment.Scan.HELD_OUT, "table12-aimed-held-out", AimedExperiment.Scan.BOTH, "table12-aimed-both");
        for (AimedExperiment.Scan scan : AimedExperiment.Scan.values()) {
            AimedExperiment aimed = new AimedExperiment(new Table12(), scan);
            assertEquals(names.get(scan), aimed.name());
            Experiment named = PaperExperiments.named(aimed.name()).orElseThrow();
            assertTrue(named instanceof AimedExperiment a && a.scan() == scan && a.base() instanceof Table12);
            boolean both = scan == AimedExperiment.Scan.BOTH;
            for (Cell cell : aimed.cells(java.util.List.of(PaperDataset.MR))) {
                boolean gba = cell.defense().equals(org.gba4j.defense.Defenses.GBA);
                assertEquals(gba, AimedExperiment.aimed(cell), cell.toString());
                assertEquals(gba && scan != AimedExperiment.Scan.OWN, AimedExperiment.heldOut(cell), cell.toString());
                assertEquals(gba && both, AimedExperiment.both(cell), cell.toString());
                if (gba) {
                    // the cells of the three scans are stored apart: their aim parameters differ
                    assertEquals(java.util.Map.of(AimedExperiment.Scan.OWN, "true", AimedExperiment.Scan.HELD_OUT,
                            "held-out", AimedExperiment.Scan.BOTH, "both").get(scan), cell.param(AimedExperiment.AIM, ""));
                    assertEquals(org.gba4j.prompt.TriggerScan.Config.DEFAULT.withAlsoAdapted(both),
                            defenses.promptConfig(cell, PaperDataset.MR).aim());
                }
            }
        }
        assertTrue(!AimedExperiment.aimed(new Cell("mr", "badnets", "cf", "gba")));
    }

    @Test
    void theConsistentTokensAreTheAimedCellsOwnSettingAndName() {
        DefenseStage defenses = new DefenseStage(null, Profile.QUICK, null, 42);
        for (AimedExperiment.Scan scan : java.util.List.of(AimedExperiment.Scan.OWN, AimedExperiment.Scan.HELD_OUT)) {
            boolean heldOut = scan == AimedExperiment.Scan.HELD_OUT;
            AimedExperiment aimed = new AimedExperiment(new Table2(), scan, 20);
            assertEquals(heldOut ? "table2-aimed-held-out-cls20" : "table2-aimed-cls20", aimed.name());
            assertEquals(true, PaperExperiments.named(aimed.name()).orElseThrow() instanceof AimedExperiment a
                    && a.base() instanceof Table2 && a.scan() == scan && a.consistent() == 20);
            for (Cell cell : aimed.cells(java.util.List.of(PaperDataset.AG_NEWS))) {
                boolean gba = cell.defense().equals(org.gba4j.defense.Defenses.GBA);
                assertEquals(gba ? 20 : 0, AimedExperiment.consistent(cell), cell.toString());
                if (gba) {
                    assertEquals(org.gba4j.prompt.TriggerScan.Config.DEFAULT.withConsistent(20),
                            defenses.promptConfig(cell, PaperDataset.AG_NEWS).aim());
                }
            }
        }
        assertTrue(PaperExperiments.named("table2-aimed-cls0").isEmpty());
        assertTrue(PaperExperiments.named("table2-cls20").isEmpty());
    }

    @Test
    void thePadPullIsTheAimedCellsOwnSettingAndName() {
        DefenseStage defenses = new DefenseStage(null, Profile.QUICK, null, 42);
        org.gba4j.prompt.TriggerScan.PullTarget pad = org.gba4j.prompt.TriggerScan.PullTarget.PAD;
        AimedExperiment aimed = new AimedExperiment(new Table12(), AimedExperiment.Scan.BOTH, 20, pad);
        assertEquals("table12-aimed-both-cls20-pad", aimed.name());
        assertTrue(PaperExperiments.named(aimed.name()).orElseThrow() instanceof AimedExperiment a
                && a.base() instanceof Table12 && a.scan() == AimedExperiment.Scan.BOTH && a.consistent() == 20
                && a.pull() == pad);
        assertTrue(PaperExperiments.named("table12-aimed-pad").orElseThrow() instanceof AimedExperiment a
                && a.scan() == AimedExperiment.Scan.OWN && a.consistent() == 0 && a.pull() == pad);
        for (Cell cell : aimed.cells(java.util.List.of(PaperDataset.MR))) {
            boolean gba = cell.defense().equals(org.gba4j.defense.Defenses.GBA);
            assertEquals(gba ? "pad" : "", cell.param(AimedExperiment.PULL, ""), cell.toString());
            if (gba) {
                assertEquals(org.gba4j.prompt.TriggerScan.Config.DEFAULT.withConsistent(20).withAlsoAdapted(true)
                        .withPull(pad), defenses.promptConfig(cell, PaperDataset.MR).aim());
            }
        }
        // the centre adds no parameter, so cells stored before the choice existed are the centre's
        for (Cell cell : new AimedExperiment(new Table12()).cells(java.util.List.of(PaperDataset.MR))) {
            assertEquals("", cell.param(AimedExperiment.PULL, ""), cell.toString());
        }
        assertTrue(PaperExperiments.named("table12-pad").isEmpty());
    }

    @Test
    void aCellRecordsItsBroadcastForm() {
        DefenseStage defenses = new DefenseStage(null, Profile.QUICK, null, 42);
        Cell literal = new Cell("mr", "badnets", "cf", "gba");
        PromptConfig paper = defenses.promptConfig(literal, PaperDataset.MR);
        assertEquals(BroadcastForm.COUPLED, paper.broadcast().form());
        assertTrue(defenses.describe(literal, PaperDataset.MR).get("defense_config").contains("form=COUPLED"));

        Cell decoupled = literal.with("broadcast", "decoupled").with("broadcast_lr", "0.1").with("broadcast_rows", "input_positions");
        PromptConfig config = defenses.promptConfig(decoupled, PaperDataset.MR);
        assertEquals(BroadcastForm.DECOUPLED, config.broadcast().form());
        assertEquals(0.1, config.broadcast().learningRate());
        assertEquals(BroadcastReading.INPUT_POSITIONS, config.broadcast().reading());
        String recorded = defenses.describe(decoupled, PaperDataset.MR).get("defense_config");
        assertTrue(recorded.contains("form=DECOUPLED") && recorded.contains("learningRate=0.1")
                && recorded.contains("reading=INPUT_POSITIONS"), recorded);
    }
}
