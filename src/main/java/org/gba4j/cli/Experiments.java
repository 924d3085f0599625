package org.gba4j.cli;

import org.gba4j.experiment.Experiment;
import org.gba4j.experiment.PaperExperiments;
import org.gba4j.files.ModelFileException;
import org.gba4j.io.OutputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar experiments.jar COMMAND}: the entry point. Every failure ends in one {@code error:}
 * line, no stack trace (unless {@code --debug}): exit 2 for bad input (an option, a model or data
 * file that cannot be used), 3 for the environment (disk, permissions, memory, and anything else).
 */
@Command(name = "experiments.jar", mixinStandardHelpOptions = true, versionProvider = Experiments.Version.class,
        description = {"gba4j: Gradient Broadcast Adaptation of pre-trained language models, on SameDiff."},
        footer = {"", "Any command also takes --debug (a failure then prints its stack trace). Exit codes: 0 done, 2 bad"
            + " input (an option, a model or data file), 3 the environment (disk, permissions, memory)."},
        subcommands = {BenchCommand.class, AttackCommand.class, DefendCommand.class, EvaluateCommand.class,
            ListCommand.class, DiagnosisCommand.class, CombineCommand.class, SampleCommand.class,
            CommandLine.HelpCommand.class})
public final class Experiments {

    /** {@code --version}: the release and the commit the jar was built from. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gba4j 0.1.0 (commit " + org.gba4j.experiment.CodeVersion.current() + ")"};
        }
    }

    public static void main(String[] args) {
        boundNativeMemory();
        System.setProperty("java.awt.headless", "true"); // plots are drawn without a display
        // DJL's tokenizer library probes for CUDA and warns on every run of a CPU machine
        setDefault("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "off");
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

    /** Exit codes beyond picocli's 0 (success), 1 and 2 (usage). */
    public static final int INPUT = 2;
    public static final int ENVIRONMENT = 3;

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... argv) {
        boolean debug = java.util.Arrays.asList(argv).contains("--debug");
        String[] args = java.util.Arrays.stream(argv).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        CommandLine commandLine = new CommandLine(new Experiments());
        for (Experiment experiment : PaperExperiments.all()) {
            CommandLine sub = new CommandLine(new GridCommand(experiment));
            sub.getCommandSpec().usageMessage().description(experiment.description().replace("%", "%%") + "."); // picocli formats descriptions
            commandLine.addSubcommand(experiment.name(), sub);
        }
        commandLine.setParameterExceptionHandler((e, rest) -> { // a mistyped option: one line and a hint, no usage dump
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("error: " + firstLine(e.getMessage()));
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            return INPUT;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (debug) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().println("error: " + message(e));
            return exitCode(e);
        });
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            commandLine.getErr().println("error: " + message(e));
            return ENVIRONMENT;
        }
    }

    /** 2 when the input is at fault, 3 when the environment is (or nobody knows). */
    static int exitCode(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof OutputException || c instanceof OutOfMemoryError || c instanceof java.io.IOException) {
                return ENVIRONMENT;
            }
            if (c instanceof ModelFileException || c instanceof IllegalArgumentException) {
                return INPUT;
            }
        }
        return ENVIRONMENT;
    }

    /** One line: the message of the most specific cause we wrote ourselves, else the exception itself. */
    static String message(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ModelFileException || c instanceof OutputException || c instanceof IllegalArgumentException
                    || c instanceof java.io.UncheckedIOException) {
                return firstLine(c.getMessage());
            }
        }
        if (e instanceof OutOfMemoryError || (e.getMessage() != null && e.getMessage().contains("allocate"))) {
            return "out of memory (" + firstLine(e.getMessage()) + "). Use a smaller --batch or --max-length, or raise"
                    + " the ceiling, e.g. java -Dorg.bytedeco.javacpp.maxphysicalbytes=20G -jar ...";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(e.getMessage() != null ? e.getMessage() : root.toString())
                + " (an unexpected failure; rerun with --debug for the stack trace)";
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
