package org.gba4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gba4j.data.CsvDataset;
import org.gba4j.data.LabeledText;
import org.gba4j.data.ProjectDatasets;
import org.gba4j.experiment.GridData;
import org.gba4j.experiment.PaperDataset;
import org.gba4j.experiment.Profile;
import org.gba4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sample}: the rows a grid cell trains or is scored on, as a CSV {@code defend --train} and {@code evaluate
 * --test} read. A cell's number can then be reproduced and varied by hand (another shuffle, more epochs) without the
 * grid. Prompt adaptation of an encoder never tuned on the task gave ACC 77.9 on one 1,000-row sample and 66.3 on the
 * grid's (MR, {@code reports/neuba-mr-draws.md}): only the grid's own rows reproduce its cell.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes the seeded sample of a task's split that a grid uses, as a text,label CSV for defend"
                + " --train and evaluate --test, so one cell can be rerun by hand.",
        footer = {"", "Rows: attacker = the attacker's clean rows (also GBA's on an encoder never tuned on the task, e.g."
                + " NeuBA's, on the quick profile); train = every other defense's rows; prompt = PT, PT+soft and GBA's"
                + " rows (the profile's 5%% share where it sets one); test and dev = the scored rows. The same"
                + " --profile and --seed give the same rows as the grid; the file is written whole or not at all, and an"
                + " existing file is never replaced."})
final class SampleCommand implements Callable<Integer> {
    static final List<String> ROWS = List.of("attacker", "train", "prompt", "test", "dev");

    @Option(names = "--dataset", required = true, description = "the task: yelp, mr, hs, agnews, fakeddit, or a"
            + " single-text GLUE task (cola, sst2, stsb)")
    String dataset;

    @Option(names = "--rows", defaultValue = "attacker", description = "attacker, train, prompt, test or dev; default:"
            + " ${DEFAULT-VALUE}")
    String rows;

    @Option(names = "--profile", defaultValue = "quick", description = "quick, medium, paper or smoke; default:"
            + " ${DEFAULT-VALUE}")
    String profile;

    @Mixin
    SeedOption seedOption;

    @Option(names = "--out", required = true, description = "the CSV to write (a new file ending in .csv)")
    Path out;

    @Override
    public Integer call() throws Exception {
        OptionChecks.oneOf("--rows", rows, ROWS);
        PaperDataset task = PaperDataset.of(dataset);
        if (task.columns().second() != null) {
            throw new IllegalArgumentException("--dataset " + dataset + " has two texts per row, and defend and evaluate"
                    + " read one; choose a single-text task");
        }
        if (!out.getFileName().toString().endsWith(".csv")) {
            throw new IllegalArgumentException("--out " + out + " must end in .csv (the rows are written as plain CSV)");
        }
        if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + " already exists; choose a new file (it is never replaced)");
        }
        AtomicFiles.checkWritable(out, "--out", 0);
        GridData data = new GridData(ProjectDatasets.locate(), Profile.of(profile), seedOption.seed);
        List<LabeledText> sample = switch (rows) {
            case "attacker" -> data.attackTrain(task);
            case "train" -> data.train(task);
            case "prompt" -> data.promptTrain(task);
            case "test" -> data.test(task);
            default -> data.dev(task);
        };
        AtomicFiles.writeText(out, writer -> CsvDataset.write(writer, sample));
        System.out.println("wrote " + out + ": " + sample.size() + " " + rows + " rows of " + dataset + " (profile "
                + profile + ", seed " + seedOption.seed + ")");
        return 0;
    }
}
