package org.gba4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.gba4j.experiment.CellResult;
import org.gba4j.experiment.Experiment;
import org.gba4j.experiment.PaperDataset;
import org.gba4j.experiment.PaperExperiments;
import org.gba4j.experiment.Profile;
import org.gba4j.experiment.ReportReader;
import org.gba4j.experiment.ReportWriter;
import org.gba4j.files.ModelFileException;
import org.gba4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code combine}: one report from the report CSVs of several runs of a grid, e.g. seeds run in different sessions,
 * whose work folders are gone. Nothing is recomputed: each cell keeps the numbers, code version and settings its run
 * stored, and the report shows mean +/- std over the seeds as {@code --seeds} would.
 */
@Command(name = "combine", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reports several runs of one grid together (seeds run in other sessions or on other machines): reads"
                + " the report CSVs their grid commands wrote and writes one report, mean +/- std over seeds, without"
                + " recomputing a cell.",
        footer = {"", "The inputs must be one experiment (e.g. table12-aimed), one profile and one model; a cell of a seed"
                + " may appear in one input only. Reports written before 2026-11-27 call BadNets' floor 'never-attacked';"
                + " it is read as never-attacked-badnets."})
final class CombineCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "REPORT.csv", description = "report CSVs written by a grid command")
    List<Path> inputs;

    @Option(names = "--name", description = "file name of the combined report (NAME.csv, NAME.md); default: the"
            + " experiment and its seeds, e.g. table12-aimed-seeds42-43-44")
    String name;

    @Option(names = "--reports", defaultValue = "reports", description = "where the report goes; default: ${DEFAULT-VALUE}")
    Path reports;

    @Override
    public Integer call() {
        OptionChecks.plainFileName("--name", name);
        AtomicFiles.checkFolderWritable(reports, "--reports");
        List<ReportReader.Report> read = inputs.stream().map(ReportReader::read).toList();
        ReportReader.Report first = read.get(0);
        for (ReportReader.Report report : read) {
            if (!report.experiment().equals(first.experiment())) {
                throw new IllegalArgumentException(report.file() + " is a report of " + report.experiment() + ", "
                        + first.file() + " of " + first.experiment() + ": combine one experiment's reports");
            }
        }
        Experiment experiment = PaperExperiments.named(first.experiment()).orElseThrow(() -> new ModelFileException(
                first.file(), "is a report of '" + first.experiment() + "', which this jar does not run",
                "Give reports of a grid that 'list' shows (or its -aimed form)"));
        List<CellResult> results = new ArrayList<>();
        read.forEach(r -> results.addAll(r.results()));
        String profileName = same(read, "profile");
        String model = same(read, "model");
        checkEachCellOnce(read);
        Set<Long> seeds = new TreeSet<>();
        results.forEach(r -> seeds.add(Long.parseLong(r.run().getOrDefault("seed", "0"))));
        String reportName = name != null ? name : experiment.name() + "-seeds"
                + seeds.stream().map(String::valueOf).collect(Collectors.joining("-"));
        for (String ext : List.of(".csv", ".md")) {
            Path target = reports.resolve(reportName + ext);
            for (Path input : inputs) {
                if (sameFile(input, target)) {
                    throw new IllegalArgumentException("the combined report " + target + " would replace its input "
                            + input + ": choose another --name or --reports");
                }
            }
        }
        Profile profile = Profile.of(profileName);
        if (!profile.model().equals(model)) {
            profile = profile.withModel(model);
        }
        List<PaperDataset> tasks = tasks(experiment, results);
        String command = "java -jar experiments.jar combine " + inputs.stream().map(Path::toString)
                .collect(Collectors.joining(" ")) + (name == null ? "" : " --name " + name);
        String markdown = ReportWriter.write(experiment, reportName, results, tasks, reports, command, profile,
                experiment.cells(tasks).size() * seeds.size());
        System.out.println(markdown);
        System.out.println("wrote " + reports.resolve(reportName + ".csv") + " and " + reportName + ".md");
        return 0;
    }

    /** The one value of a run setting (profile, model) across every row of every input. */
    private static String same(List<ReportReader.Report> read, String key) {
        Set<String> seen = new TreeSet<>();
        read.forEach(report -> report.results().forEach(r -> seen.add(r.run().getOrDefault(key, ""))));
        if (seen.size() != 1) {
            throw new IllegalArgumentException("the reports mix " + key + "s " + seen + ": combine runs of one " + key);
        }
        return seen.iterator().next();
    }

    /** A cell of a seed measured twice (in two inputs, or twice in one) would be counted twice in its mean. */
    private static void checkEachCellOnce(List<ReportReader.Report> read) {
        Map<String, Path> seen = new HashMap<>();
        for (ReportReader.Report report : read) {
            for (CellResult r : report.results()) {
                String key = r.cell().id() + " of seed " + r.run().getOrDefault("seed", "?");
                Path earlier = seen.putIfAbsent(key, report.file());
                if (earlier != null) {
                    throw new IllegalArgumentException("cell " + key + " is in " + earlier
                            + (earlier.equals(report.file()) ? " twice" : " and in " + report.file())
                            + ": give each seed's cells once");
                }
            }
        }
    }

    /** The tasks of the results, in the experiment's order, then any others in the order met. */
    private static List<PaperDataset> tasks(Experiment experiment, List<CellResult> results) {
        Set<String> present = new LinkedHashSet<>();
        results.forEach(r -> present.add(r.cell().dataset()));
        List<PaperDataset> tasks = new ArrayList<>();
        experiment.defaultDatasets().stream().filter(d -> present.remove(d.name())).forEach(tasks::add);
        present.forEach(d -> tasks.add(PaperDataset.of(d)));
        return tasks;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
