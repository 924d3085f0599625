package org.gba4j.cli;

import org.gba4j.io.ModelFileException;
import org.gba4j.experiment.Experiment;
import org.gba4j.experiment.PaperExperiments;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar experiments.jar COMMAND}: the entry point. Bad input (a model or data file that
 * cannot be used) ends with its one-line message and exit code 2, not a stack trace.
 */
@Command(name = "experiments.jar", mixinStandardHelpOptions = true, version = "gba4j 0.1.0",
        description = {"gba4j: Gradient Broadcast Adaptation of pre-trained language models, on SameDiff."},
        subcommands = {BenchCommand.class, AttackCommand.class, DefendCommand.class, EvaluateCommand.class,
            ListCommand.class, DiagnosisCommand.class, CommandLine.HelpCommand.class})
public final class Experiments {

    public static void main(String[] args) {
        boundNativeMemory();
        System.setProperty("java.awt.headless", "true"); // plots are drawn without a display
        System.exit(run(args));
    }

    /**
     * ND4J's arrays live off-heap and are freed only when the GC collects their small Java owners; with
     * little heap pressure that can wait until the machine runs out of memory (a MiniLM training run
     * reached 13 GB). JavaCPP runs the GC itself when its tracked off-heap bytes or the process's
     * physical memory pass these ceilings. Set before any ND4J class loads; -D flags override them.
     */
    static void boundNativeMemory() {
        setDefault("org.bytedeco.javacpp.maxbytes", "6G");
        setDefault("org.bytedeco.javacpp.maxphysicalbytes", "10G");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Experiments());
        for (Experiment experiment : PaperExperiments.all()) {
            CommandLine sub = new CommandLine(new GridCommand(experiment));
            sub.getCommandSpec().usageMessage().description(experiment.description() + ".");
            commandLine.addSubcommand(experiment.name(), sub);
        }
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = e;
            while (cause != null && !(cause instanceof ModelFileException)) {
                cause = cause.getCause();
            }
            if (cause != null) {
                cmd.getErr().println("error: " + cause.getMessage());
                return 2;
            }
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            commandLine.getErr().println("error: out of memory (" + e.getMessage() + "). Use a smaller --batch or"
                    + " --seq-len, or raise the ceiling, e.g. java -Dorg.bytedeco.javacpp.maxphysicalbytes=20G -jar ...");
            return 3;
        }
    }
}
