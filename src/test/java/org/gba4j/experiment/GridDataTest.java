package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.gba4j.data.LabeledText;
import org.gba4j.data.ProjectDatasets;
import org.junit.jupiter.api.Test;

/** The samples a grid draws: the attacker's, the defenders' and the test rows. */
class GridDataTest {

    @Test
    void theAttackerTrainsOnItsOwnLargerSampleThatHoldsTheDefendersRows() {
        GridData data = new GridData(ProjectDatasets.locate(), Profile.QUICK, 42);
        List<LabeledText> defender = data.train(PaperDataset.MR);
        List<LabeledText> attacker = data.attackTrain(PaperDataset.MR);
        assertEquals(200, defender.size());
        assertEquals(1000, attacker.size());
        assertEquals(defender, attacker.subList(0, 200), "one seeded shuffle: the defender's rows come first");
        assertEquals(1000, data.test(PaperDataset.MR).size());
        assertNotEquals(attacker,
                new GridData(ProjectDatasets.locate(), Profile.QUICK, 43).attackTrain(PaperDataset.MR));
    }

    @Test
    void theHeldOutScanRowsAreDevRowsNoScoreCounts() {
        GridData data = new GridData(ProjectDatasets.locate(), Profile.QUICK, 43);
        List<LabeledText> scan = data.heldOutScan(PaperDataset.HS);
        assertEquals(data.promptTrain(PaperDataset.HS).size(), scan.size());
        assertEquals(scan, data.heldOutScan(PaperDataset.HS), "seeded");
        java.util.Set<LabeledText> scored = new java.util.HashSet<>(data.dev(PaperDataset.HS));
        scored.addAll(data.test(PaperDataset.HS));
        scored.addAll(data.attackTrain(PaperDataset.HS));
        assertTrue(scan.stream().noneMatch(scored::contains), "no dev, test or training row is scanned");
        assertEquals(2, scan.stream().map(LabeledText::label).distinct().count(), "both classes");
    }

    @Test
    void withoutItsOwnSizeTheAttackerUsesTheDefendersSample() {
        GridData data = new GridData(ProjectDatasets.locate(), Profile.SMOKE, 42);
        assertEquals(data.train(PaperDataset.HS), data.attackTrain(PaperDataset.HS));
        assertEquals(64, Profile.SMOKE.attackerRows());
    }
}
