package org.gba4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.gba4j.attack.Attacks;
import org.gba4j.data.ProjectDatasets;
import org.gba4j.experiment.AimedExperiment;
import org.gba4j.experiment.Cell;
import org.gba4j.experiment.CellResult;
import org.gba4j.experiment.Experiment;
import org.gba4j.experiment.GridRunner;
import org.gba4j.experiment.PaperDataset;
import org.gba4j.experiment.Profile;
import org.gba4j.experiment.ReportReader;
import org.gba4j.experiment.ReportWriter;
import org.gba4j.prompt.TriggerScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code table2}, {@code table12}, ...: runs one experiment's grid and writes its reports. One
 * instance per experiment, registered under the experiment's name.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false, footer = {"",
    "Finished cells are stored one file each under --out; a rerun skips them, so a killed run resumes with the same"
            + " command. Shared models (one backdoored model per attack and task, NeuBA's pre-training, Clean-FT as"
            + " NAD's teacher) are kept under --out/<run>/models. Reports: --reports/NAME.csv, NAME.md (and PNG and SVG"
            + " plots for figures); NAME is the experiment's (table12, table12-aimed, ...) for the quick profile on its"
            + " own model, else with the profile and model after it (table12-aimed-medium-bert-base), so a run of"
            + " another size never replaces the quick reports; --name overrides it."})
final class GridCommand implements Callable<Integer> {
    private final Experiment experiment;

    @Option(names = "--profile", defaultValue = "quick", description = "quick (MiniLM, samples of each task, two CPU"
            + " cores), medium (bert-base-uncased with its masked-LM head, prompts on 5%% of the split, Table 1 lengths;"
            + " hours per task), paper (bert-base-uncased, full splits, Tables 6-9; a GPU job) or smoke (a minute-scale"
            + " check);"
            + " default: ${DEFAULT-VALUE}")
    String profile;

    @Option(names = "--datasets", split = ",", description = "tasks to run, from yelp, mr, hs, agnews, fakeddit (Table 1) and cola, sst2, mrpc, rte, stsb (GLUE);"
            + " default: the experiment's")
    List<String> datasets;

    @Mixin
    SeedOption seedOption;

    @Option(names = "--seeds", split = ",", description = "run the grid once per seed (each its own data sample, backdoor"
            + " and initialisation) and report them together: mean +/- std over seeds, one CSV row per cell and seed;"
            + " overrides --seed")
    List<Long> seeds;

    @Option(names = "--defenses", split = ",", description = "run only these defenses' cells (e.g. none,gba; floor rows"
            + " included), the other rows stay empty in the report; default: every row")
    List<String> defenses;

    @Option(names = "--attacks", split = ",", description = "run only these attacks' cells (e.g. badnets,ep; their"
            + " never-attacked floor cells included), the others stay empty in the report; default: every attack")
    List<String> attacks;

    @Option(names = "--model", description = "override the profile's model: minilm, bert-base or a path")
    String model;

    @Option(names = "--aim", description = "GBA cells run gba4j's aimed broadcast (GBA, then the dev-chosen trigger"
            + " scan; not the paper's literal form): stored apart, reported as NAME-aimed.md/csv")
    boolean aim;

    @Option(names = "--aim-held-out", description = "as --aim, but the scan checks clean rows the adaptation never saw"
            + " (as many as the profile's prompt rows, 200 on quick, whatever a figure's fraction; from the dev split's rows"
            + " no dev score counts): reported as NAME-aimed-held-out.md/csv")
    boolean aimHeldOut;

    @Option(names = "--aim-both", description = "as --aim-held-out, and the adaptation's own rows are scanned too; the"
            + " suspects of both scans are moved (neither alone found Embedding Poisoning's trigger at every Figure 2"
            + " fraction on MR): reported as NAME-aimed-both.md/csv")
    boolean aimBoth;

    @Option(names = "--aim-consistent", paramLabel = "N", defaultValue = "0", description = "with an --aim option:"
            + " the scan also moves the N tokens most consistent in the downloaded encoder (NeuBA's triggers, which the"
            + " scan misses; reports/gba-diagnosis-cls-consistency-seed43.md): stored apart, reported as"
            + " NAME-aimed[-held-out|-both]-clsN.md/csv; default: ${DEFAULT-VALUE} (none)")
    int aimConsistent;

    @Option(names = "--aim-pull", paramLabel = "TARGET", defaultValue = "centre", description = "with an --aim option:"
            + " where the scan moves its suspects: centre (the label words' mean, where Eq. 4 pulls) or pad (the [PAD]"
            + " row, which carries no class: on Yelp the centre itself turned never-attacked rows positive,"
            + " reports/gba-diagnosis-pull-floor-seed42.md); pad is stored apart, reported as NAME-aimed...-pad.md/csv;"
            + " default: ${DEFAULT-VALUE}")
    String aimPull;

    @Option(names = "--resume-from", split = ",", paramLabel = "REPORT.csv", description = "take finished cells from"
            + " report CSVs written before (e.g. the committed reports/NAME.csv, when its work folder went with another"
            + " machine; a report of another grid gives the cells the grids share): a row of the same cell and seed whose"
            + " recorded settings all equal the cell's current ones is stored under --out as finished instead of being"
            + " recomputed; other rows are ignored")
    List<Path> resumeFrom;

    @Option(names = "--force", description = "recompute cells already stored (shared models are reused)")
    boolean force;

    @Option(names = "--report-only", description = "compute nothing: write the reports from the cells already stored"
            + " under --out (e.g. while a run of the same grid is still computing); cells not stored stay empty and the"
            + " report says how many are finished")
    boolean reportOnly;

    @Option(names = "--name", description = "the reports' file name (without .csv/.md); default: the experiment's"
            + " name, followed by -PROFILE-MODEL unless the profile is quick on its own model")
    String name;

    @Option(names = "--out", defaultValue = "experiments/out", description = "work folder for cells and shared models;"
            + " default: ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--reports", defaultValue = "reports", description = "where the reports go; default: ${DEFAULT-VALUE}")
    Path reports;

    GridCommand(Experiment experiment) {
        this.experiment = experiment;
    }

    @Override
    public Integer call() {
        OptionChecks.plainFileName("--name", name);
        org.gba4j.io.AtomicFiles.checkFolderWritable(out, "--out");
        org.gba4j.io.AtomicFiles.checkFolderWritable(reports, "--reports");
        Profile chosen = Profile.of(profile);
        if (model == null && experiment.requiredModel() != null) {
            throw new IllegalArgumentException(experiment.name() + " needs --model: " + experiment.requiredModel());
        }
        if (model != null) {
            chosen = chosen.withModel(model);
        }
        List<PaperDataset> tasks = datasets == null ? experiment.defaultDatasets()
                : datasets.stream().map(PaperDataset::of).toList();
        if (force && resumeFrom != null) {
            throw new IllegalArgumentException("give --force (recompute stored cells) or --resume-from (take finished"
                    + " ones), not both");
        }
        List<AimedExperiment.Scan> scans = new java.util.ArrayList<>();
        if (aim) {
            scans.add(AimedExperiment.Scan.OWN);
        }
        if (aimHeldOut) {
            scans.add(AimedExperiment.Scan.HELD_OUT);
        }
        if (aimBoth) {
            scans.add(AimedExperiment.Scan.BOTH);
        }
        if (scans.size() > 1) {
            throw new IllegalArgumentException("give one of --aim, --aim-held-out and --aim-both, not "
                    + scans.stream().map(AimedExperiment.Scan::option).collect(java.util.stream.Collectors.joining(" and ")));
        }
        if (aimConsistent != 0 && scans.isEmpty()) {
            throw new IllegalArgumentException("--aim-consistent adds to the aimed scan: give --aim, --aim-held-out or"
                    + " --aim-both too");
        }
        OptionChecks.nonNegative("--aim-consistent", aimConsistent);
        TriggerScan.PullTarget pull = PromptOptions.pullTarget(aimPull);
        if (pull != TriggerScan.PullTarget.CENTRE && scans.isEmpty()) {
            throw new IllegalArgumentException("--aim-pull says where the aimed scan moves its suspects: give --aim,"
                    + " --aim-held-out or --aim-both too");
        }
        Experiment chosenExperiment = scans.isEmpty() ? experiment
                : new AimedExperiment(experiment, scans.get(0), aimConsistent, pull);
        List<Long> runSeeds = seeds == null || seeds.isEmpty() ? List.of(seedOption.seed) : List.copyOf(seeds);
        if (runSeeds.stream().distinct().count() != runSeeds.size()) {
            throw new IllegalArgumentException("--seeds lists a seed twice: " + runSeeds);
        }
        List<Cell> cells = chosenCells(chosenExperiment.cells(tasks));
        String command = "java -jar experiments.jar " + experiment.name()
                + (scans.isEmpty() ? "" : " " + scans.get(0).option())
                + (aimConsistent > 0 ? " --aim-consistent " + aimConsistent : "")
                + (pull == TriggerScan.PullTarget.CENTRE ? "" : " --aim-pull " + aimPull.toLowerCase(java.util.Locale.ROOT))
                + " --profile " + profile
                + (datasets == null ? "" : " --datasets " + String.join(",", datasets))
                + (attacks == null ? "" : " --attacks " + String.join(",", attacks))
                + (defenses == null ? "" : " --defenses " + String.join(",", defenses))
                + (runSeeds.size() == 1 ? " --seed " + runSeeds.get(0) : " --seeds " + runSeeds.stream()
                .map(String::valueOf).collect(java.util.stream.Collectors.joining(",")))
                + (model == null ? "" : " --model " + model);
        List<CellResult> earlier = earlierCells();
        List<CellResult> results = new java.util.ArrayList<>();
        for (long seed : runSeeds) {
            GridRunner runner = new GridRunner(chosen, seed, ProjectDatasets.locate(), GridRunner.workFolder(out, chosen, seed),
                    force);
            if (!earlier.isEmpty()) {
                System.out.printf("seed %d: %d cells taken from %s (same cell, seed and settings)%n", seed,
                        runner.restore(cells, earlier), resumeFrom.stream().map(Path::toString)
                                .collect(java.util.stream.Collectors.joining(", ")));
            }
            results.addAll(reportOnly ? runner.stored(cells) : runner.compute(chosenExperiment, cells, System.out));
        }
        if (reportOnly) {
            if (results.isEmpty()) {
                throw new IllegalArgumentException("--report-only: no cell of " + chosenExperiment.name() + " with these"
                        + " settings is stored under " + out + "; run the same command without --report-only to compute them");
            }
            System.out.printf("%s: %d of %d cells stored, reporting those (nothing computed)%n", chosenExperiment.name(),
                    results.size(), cells.size() * runSeeds.size());
        }
        String reportName = name != null ? name : reportName(chosenExperiment.name(), chosen);
        String markdown = ReportWriter.write(chosenExperiment, reportName, results, tasks, reports, command
                + (name == null ? "" : " --name " + name), chosen, cells.size() * runSeeds.size());
        System.out.println();
        System.out.println(markdown);
        System.out.println("wrote " + reports.resolve(reportName + ".csv") + " and " + reportName + ".md");
        return 0;
    }

    /**
     * The rows of the --resume-from reports. A report of another grid is welcome: a cell is the same cell whichever grid
     * ran it (the work folder shares it by its settings' fingerprint), and only rows whose settings equal this grid's
     * cells are taken (table12's BadNets cells are table2's).
     */
    private List<CellResult> earlierCells() {
        List<CellResult> rows = new java.util.ArrayList<>();
        for (Path file : resumeFrom == null ? List.<Path>of() : resumeFrom) {
            rows.addAll(ReportReader.read(file).results());
        }
        return rows;
    }

    /** The experiment's name for the quick profile on its own model, else followed by the profile and model. */
    static String reportName(String experimentName, Profile profile) {
        boolean quickAsShipped = profile.name().equals(Profile.QUICK.name()) && profile.model().equals(Profile.QUICK.model());
        return quickAsShipped ? experimentName : experimentName + "-" + profile.name() + "-" + GridRunner.modelName(profile);
    }

    /**
     * The grid's cells, or with --attacks and --defenses only those attacks' and defenses' cells (an attack's floor cells
     * count as the attack's); an attack or defense the grid does not have is an error.
     */
    private List<Cell> chosenCells(List<Cell> cells) {
        List<Cell> chosen = only(cells, "--attacks", attacks, c -> Attacks.isFloor(c.attack()) ? Attacks.attackOf(c.attack())
                : c.attack());
        return only(chosen, "--defenses", defenses, Cell::defense);
    }

    private List<Cell> only(List<Cell> cells, String option, List<String> wanted, java.util.function.Function<Cell, String> key) {
        if (wanted == null) {
            return cells;
        }
        Set<String> known = new TreeSet<>();
        cells.forEach(c -> known.add(key.apply(c)));
        for (String w : wanted) {
            if (!known.contains(w)) {
                throw new IllegalArgumentException(option + ": " + experiment.name() + " has no '" + w + "' cells; it has "
                        + String.join(", ", known));
            }
        }
        return cells.stream().filter(c -> wanted.contains(key.apply(c))).toList();
    }
}
