package org.gba4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gba4j.experiment.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A grid of another profile or model reports under its own name, so it never replaces the quick reports. */
class GridReportNameTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheQuickProfileOnItsOwnModelKeepsTheExperimentsName() {
        assertEquals("table12-aimed", GridCommand.reportName("table12-aimed", Profile.QUICK));
        assertEquals("table12-aimed-medium-bert-base", GridCommand.reportName("table12-aimed", Profile.MEDIUM));
        assertEquals("table2-quick-bert-base", GridCommand.reportName("table2", Profile.QUICK.withModel("bert-base")));
        assertEquals("table12-smoke-minilm", GridCommand.reportName("table12", Profile.SMOKE));
    }

    @Test
    void aNameWithAPathIsRefusedBeforeAnythingRuns() {
        Cli.Result result = Cli.run("table12", "--profile", "smoke", "--datasets", "mr", "--name", "../x", "--out",
                dir.resolve("out").toString(), "--reports", dir.resolve("reports").toString());
        assertEquals(2, result.code(), result.err());
        assertEquals(java.util.List.of("error: --name must be a plain file name (letters, digits, '_', '.', '-'): ../x"),
                result.errors());
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
