package org.gba4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gba4j.data.LabeledText;
import org.junit.jupiter.api.Test;

/** The held-out scan file's per-class advice: a note for each class below the advised count, none otherwise. */
class PromptOptionsTest {

    private static List<LabeledText> rows(int negatives, int positives) {
        List<LabeledText> rows = new ArrayList<>();
        for (int i = 0; i < negatives + positives; i++) {
            rows.add(LabeledText.single("row " + i, i < negatives ? 0 : 1));
        }
        return rows;
    }

    @Test
    void notesEachThinClassOnly() {
        PromptOptions options = new PromptOptions();
        options.aimScanData = Path.of("held.csv");
        int enough = PromptOptions.MIN_SCAN_ROWS_PER_CLASS;
        assertEquals(List.of(), options.thinScanDataNotes(rows(enough, enough), 2));
        List<String> notes = options.thinScanDataNotes(rows(enough, enough - 1), 2);
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("held.csv has " + (enough - 1) + " row(s) of class 1"), notes.get(0));
        assertEquals(2, options.thinScanDataNotes(rows(3, 0), 2).size(), "an absent class is thin too");
        assertEquals(List.of(), options.thinScanDataNotes(List.of(), 2), "no file, no note");
    }

    @Test
    void theMovedTokensAreListedByWhatFoundThem() {
        List<org.gba4j.prompt.TriggerScan.Suspect> moved = List.of(
                new org.gba4j.prompt.TriggerScan.Suspect(12935, "cf", 1, 0.75, 0.1),
                new org.gba4j.prompt.TriggerScan.Suspect(16914, "mb", -1, Double.NaN, Double.NaN));
        assertEquals("aimed: 2 token(s) moved to the label words' centre; by the scan (token -> class it forces, share of"
                + " clean rows flipped): cf -> 1 (75%); most consistent in the downloaded encoder: mb",
                PromptOptions.moved(moved));
        assertEquals("aimed: 0 token(s) moved to the label words' centre; by the scan (token -> class it forces, share of"
                + " clean rows flipped): none", PromptOptions.moved(List.of()));
    }
}
