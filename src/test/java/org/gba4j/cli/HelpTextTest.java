package org.gba4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help is formatted by picocli: a stray '%' in a description prints a warning instead of help. */
class HelpTextTest {
    @Test
    void everyCommandsHelpPrintsWithoutAPicocliWarning() {
        List<String> names = List.copyOf(new CommandLine(new Experiments()).getSubcommands().keySet());
        assertTrue(names.contains("defend"), "the top-level commands are registered: " + names);
        for (String name : Stream.concat(names.stream(), Stream.of("table12", "table2")).toList()) {
            Cli.Result r = Cli.run(name, "--help");
            assertEquals(0, r.code(), name + " --help: " + r.err());
            assertFalse(r.err().contains("picocli WARN") || r.out().contains("picocli WARN"),
                    name + " --help: " + r.err());
            assertTrue(r.out().contains("Usage:"), name + " --help prints its usage");
        }
    }
}
