package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gba4j.prompt.TriggerScan.Suspect;
import org.junit.jupiter.api.Test;

class AimedScanReportTest {
    private static CellResult cell(String dataset, String attack, String trigger, String defense, String suspects,
                                   double asr) {
        Cell cell = new Cell(dataset, attack, trigger, defense);
        if (defense.equals("gba")) {
            cell = cell.with(AimedExperiment.AIM, "true");
        }
        Map<String, String> config = suspects == null ? Map.of() : Map.of(AimedScanReport.SUSPECTS, suspects);
        return new CellResult(cell, Map.of("seed", "43"), Map.of("asr", asr, "acc", 0.9), config, 1, "abc1234", "t",
                Map.of(), null);
    }

    @Test
    void theRecordedFormReadsBackToItsTokens() {
        String recorded = AimedScanReport.describe(List.of(new Suspect(7, "shitty", 0, 0.390625, 0.1),
                new Suspect(9, "cf", 1, 0.578125, 0.05)));
        assertEquals("[shitty->0@0.390625, cf->1@0.578125]", recorded);
        assertEquals(List.of("shitty", "cf"), AimedScanReport.tokens(recorded));
        assertEquals(List.of(), AimedScanReport.tokens("[]"));
        assertEquals(List.of("->"), AimedScanReport.tokens("[->->1@0.5]"));
        assertThrows(IllegalArgumentException.class, () -> AimedScanReport.tokens("cf"));
    }

    @Test
    void eachAimedCellSaysWhichOfItsTestTriggersMovedAndHowManyOthers() {
        String md = AimedScanReport.render(List.of(
                cell("yelp", "ripple", "table5", "gba", "[shitty->0@0.39, cf->1@0.57, mb->1@0.59]", 0.374),
                cell("yelp", "badnets", "cf", "gba", "[superb->1@0.56, fabulous->1@0.52]", 0.292),
                cell("yelp", "badnets", "cf", "none", null, 1.0),
                cell("hs", "never-attacked-ep", "cf", "gba", "[cf->1@0.3]", 0.05),
                cell("mr", "ep", "cf", "gba", "cf moved", 0.1)));
        assertTrue(md.contains("| Task | Attack | Seed | Test triggers moved |"), md);
        assertTrue(md.contains("| Yelp | RIPPLe | 43 | 2 of 6 (cf, mb) | 1 | 37.40 |"), md);
        assertTrue(md.contains("| Yelp | BadNets | 43 | none of 1 | 2 | 29.20 |"), md);
        assertTrue(md.contains("| HS | never attacked, as Embedding Poison | 43 | 1 of 1 (cf) | 0 | 5.00 |"), md);
        assertTrue(md.contains("| MR | Embedding Poison | 43 | unreadable record | - | 10.00 |"), md);
        assertEquals(4, md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Task") && !l.startsWith("|-")
                && !l.startsWith("| -")).count(), md);
    }

    @Test
    void severalTriggersOfOneTaskAndAttackGetATriggerColumn() {
        String md = AimedScanReport.render(List.of(
                cell("hs", "badnets", "cf", "gba", "[cf->1@0.9]", 0.086),
                cell("hs", "badnets", "mn", "gba", "[awful->0@0.5]", 0.138),
                cell("hs", "never-attacked-badnets", "mn", "gba", "[]", 0.068)));
        assertTrue(md.contains("| Task | Attack | Trigger | Seed | Test triggers moved |"), md);
        assertTrue(md.contains("| HS | BadNets | cf | 43 | 1 of 1 (cf) | 0 | 8.60 |"), md);
        assertTrue(md.contains("| HS | BadNets | mn | 43 | none of 1 | 1 | 13.80 |"), md);
        assertTrue(md.contains("| HS | never attacked, as BadNets | mn | 43 | none of 1 | 0 | 6.80 |"), md);
    }

    @Test
    void cellsThatVaryAParameterGetASettingColumn() {
        CellResult small = cell("mr", "badnets", "cf", "gba", "[cf->1@0.9]", 0.138);
        CellResult large = cell("mr", "badnets", "cf", "gba", "[cf->1@0.9, awful->0@0.5]", 0.113);
        String md = AimedScanReport.render(List.of(
                new CellResult(small.cell().with("fraction", "0.01"), small.run(), small.metrics(), small.config(), 1,
                        "abc1234", "t", Map.of(), null),
                new CellResult(large.cell().with("fraction", "0.20"), large.run(), large.metrics(), large.config(), 1,
                        "abc1234", "t", Map.of(), null),
                cell("mr", "never-attacked-badnets", "cf", "gba", "[]", 0.1)));
        assertTrue(md.contains("| Task | Attack | Seed | Setting | Test triggers moved |"), md);
        assertTrue(md.contains("| MR | BadNets | 43 | fraction=0.01 | 1 of 1 (cf) | 0 | 13.80 |"), md);
        assertTrue(md.contains("| MR | BadNets | 43 | fraction=0.20 | 1 of 1 (cf) | 1 | 11.30 |"), md);
        assertTrue(md.contains("| MR | never attacked, as BadNets | 43 | - | none of 1 | 0 | 10.00 |"), md);
    }

    @Test
    void anAimedReportEndsWithTheTable() {
        String md = new AimedExperiment(new Table12()).markdown(List.of(cell("yelp", "badnets", "cf", "gba",
                "[cf->1@0.9]", 0.05)), List.of(PaperDataset.YELP));
        assertTrue(md.endsWith("| Yelp | BadNets | 43 | 1 of 1 (cf) | 0 | 5.00 |\n"), md);
        assertTrue(md.contains("|\n\nWhat the scan moved"), md);
    }

    @Test
    void noAimedCellNoTable() {
        assertEquals("", AimedScanReport.render(List.of(cell("mr", "badnets", "cf", "none", null, 1.0))));
    }
}
