package org.gba4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code gba-diagnosis}: one clear line, exit code 2, before any model is loaded or unit stored. */
class DiagnosisBadInputTest {
    @TempDir
    Path dir;

    @Test
    void aForgedReportToResumeFromOrANameWithAPathIsRefused() throws Exception {
        Path forged = Files.writeString(dir.resolve("forged.csv"), "seed,attack,task,section,variant,metric,value\n"
                + "42,../badnets,mr,ladder,floor,test_asr,0.1\n");
        Cli.Result result = run("--resume-from", forged.toString());
        assertEquals(2, result.code(), result.err());
        assertEquals(List.of("error: " + forged + ": line 2 does not name a unit (attack, task, section, variant:"
                + " lower-case letters, digits, '.', hyphens only in the attack and variant). Give the report as"
                + " gba-diagnosis wrote it"), result.errors());
        result = run("--name", "../gba-diagnosis");
        assertEquals(2, result.code(), result.err());
        assertEquals(1, result.errors().size(), result.err());
        assertTrue(result.errors().get(0).startsWith("error: --name must be a plain file name"), result.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing may be stored");
    }

    private Cli.Result run(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("gba-diagnosis", "--attacks", "badnets", "--datasets", "mr",
                "--ladder-only", "--rungs", "pt-soft", "--out", dir.resolve("out").toString(), "--reports",
                dir.resolve("reports").toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }
}
