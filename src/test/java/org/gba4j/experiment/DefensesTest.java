package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gba4j.prompt.PromptConfig;
import org.junit.jupiter.api.Test;

/** A cell's own prompt settings override the profile's, whatever the order of the checks they pass. */
class DefensesTest {
    @Test
    void wideTemplateGetsTheCellsLength() {
        Cell cell = new Cell("hs", "badnets", "cf", "gba").with("width", "16").with("max_length", "64").with("lambda", "2.0");
        PromptConfig config = new Defenses(null, Profile.QUICK, null, 42).promptConfig(cell, PaperDataset.HS);
        assertEquals(16, config.templateWidth()); // 2 x 16 + 4 > 32, the quick cap: needs the cell's 64 first
        assertEquals(64, config.maxLength());
        assertEquals(2.0, config.lambda());
        assertEquals(32, new Defenses(null, Profile.QUICK, null, 42)
                .promptConfig(new Cell("hs", "badnets", "cf", "pt-soft"), PaperDataset.HS).maxLength());
    }
}
