package org.gba4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a command line in-process and keeps its exit code, stdout and stderr (tests of any package use it). */
public final class Cli {
    public record Result(int code, String out, String err) {
        /** The lines of stderr that start with {@code error:}. */
        public java.util.List<String> errors() {
            return err.lines().filter(l -> l.startsWith("error: ")).toList();
        }

        public boolean hasStackTrace() {
            return err.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in thread"));
        }
    }

    private Cli() {
    }

    public static Result run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Experiments.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
