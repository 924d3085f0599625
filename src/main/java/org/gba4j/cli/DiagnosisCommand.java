package org.gba4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.gba4j.data.ProjectDatasets;
import org.gba4j.experiment.GbaDiagnosis;
import org.gba4j.experiment.GbaDiagnosisReport;
import org.gba4j.experiment.GridData;
import org.gba4j.experiment.GridRunner;
import org.gba4j.experiment.PaperDataset;
import org.gba4j.experiment.Profile;
import org.gba4j.experiment.RunLock;
import org.gba4j.io.AtomicFiles;
import org.gba4j.io.PretrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gba-diagnosis}: why the broadcast is inert, and which form of it defends (issue 13). */
@Command(name = "gba-diagnosis", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Diagnoses the gradient broadcast on stored backdoors: step-0 gradient figures, an oracle that"
                + " replaces the trigger's embedding row, and a ladder of broadcast forms scored on dev and test.",
            "Each finished unit is stored under --out/<run>/diagnosis; a rerun resumes. Writes"
                + " --reports/gba-diagnosis.csv and gba-diagnosis.md (another profile or model: gba-diagnosis-<profile>-<model>.*)."})
final class DiagnosisCommand implements Callable<Integer> {
    @Option(names = "--attacks", split = ",", defaultValue = "badnets,ep,ripple",
            description = "attacks to diagnose; default: ${DEFAULT-VALUE}")
    List<String> attacks;

    @Option(names = "--datasets", split = ",", defaultValue = "mr,hs", description = "tasks; default: ${DEFAULT-VALUE}")
    List<String> datasets;

    @Option(names = "--profile", defaultValue = "quick", description = "quick, medium (bert-base) or smoke; default: ${DEFAULT-VALUE}")
    String profile;

    @Option(names = "--model", description = "override the profile's model: minilm, bert-base or a path; a model other"
            + " than quick's MiniLM writes gba-diagnosis-<profile>-<model>.csv and .md")
    String model;

    @Option(names = "--test-rows", defaultValue = "1000", description = "test and dev rows scored per task;"
            + " default: ${DEFAULT-VALUE}")
    int testRows;

    @Option(names = "--broadcast-lrs", split = ",", defaultValue = "0.01,0.1,1",
            description = "eta_b of the decoupled rungs; default: ${DEFAULT-VALUE}")
    List<Double> broadcastRates;

    @Option(names = "--rungs", split = ",", description = "only these ladder rungs, in this order (names as in the report); default: all")
    List<String> rungs;

    @Option(names = "--report-only", description = "compute nothing: rewrite the reports from the stored units")
    boolean reportOnly;

    @Option(names = "--ladder-only", description = "run only the ladder and the floor, not step 0 and the oracle"
            + " (for further seeds)")
    boolean ladderOnly;

    @Option(names = "--report-seeds", split = ",", description = "seeds whose stored units the report pools in its"
            + " 'Across seeds' section; default: --seed only")
    List<Long> reportSeeds;

    @Option(names = "--resume-from", split = ",", paramLabel = "REPORT.csv", description = "take the units of --seed"
            + " from diagnosis report CSVs written before (e.g. the committed reports/gba-diagnosis-*.csv, when the"
            + " work folder that held them went with another machine): each unit not stored under --out is stored as"
            + " finished, so it is not recomputed and the report pools it with the new ones")
    List<Path> resumeFrom;

    @Option(names = "--name", description = "the reports' file name (without .csv/.md); default: gba-diagnosis,"
            + " followed by -PROFILE-MODEL unless the profile is quick on its own model")
    String name;

    @Mixin
    SeedOption seedOption;

    @Option(names = "--out", defaultValue = "experiments/out", description = "work folder (shared with the grids);"
            + " default: ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--reports", defaultValue = "reports", description = "default: ${DEFAULT-VALUE}")
    Path reports;

    @Override
    public Integer call() {
        org.gba4j.io.AtomicFiles.checkFolderWritable(out, "--out");
        org.gba4j.io.AtomicFiles.checkFolderWritable(reports, "--reports");
        OptionChecks.plainFileName("--name", name);
        Profile chosen = Profile.of(profile).withTestRows(testRows);
        if (model != null) {
            chosen = chosen.withModel(model);
        }
        // the committed quick MiniLM report keeps its name; any other profile or model gets its own files
        String reportName = name != null ? name
                : chosen.name().equals(Profile.QUICK.name()) && chosen.model().equals(Profile.QUICK.model())
                ? "gba-diagnosis" : "gba-diagnosis-" + chosen.name() + "-" + GridRunner.modelName(chosen);
        List<PaperDataset> tasks = datasets.stream().map(PaperDataset::of).toList();
        GridData data = new GridData(ProjectDatasets.locate(), chosen, seedOption.seed);
        data.verify(tasks);
        List<GbaDiagnosis.Rung> all = GbaDiagnosis.ladder(chosen.learningRate(), broadcastRates);
        List<GbaDiagnosis.Rung> ladder = rungs == null ? all : rungs.stream().map(name -> all.stream()
                .filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "unknown rung '" + name + "'; choose from " + all.stream().map(GbaDiagnosis.Rung::name).toList())))
                .toList();
        // every report given is read, and so checked, before anything is stored or loaded
        List<List<GbaDiagnosis.Value>> earlier = resumeFrom == null ? List.of()
                : resumeFrom.stream().map(GbaDiagnosisReport::read).toList();
        Path run = GridRunner.workFolder(out, chosen, seedOption.seed);
        try (RunLock lock = RunLock.acquire(run); PretrainedModel base = PretrainedModel.load(chosen.model())) {
            GbaDiagnosis diagnosis = new GbaDiagnosis(base, chosen, seedOption.seed, data, run, System.out);
            for (int i = 0; i < earlier.size(); i++) {
                System.out.println("took " + diagnosis.restore(earlier.get(i)) + " units of seed " + seedOption.seed
                        + " from " + resumeFrom.get(i));
            }
            List<GbaDiagnosis.Value> values = new java.util.ArrayList<>(reportOnly ? diagnosis.stored()
                    : diagnosis.run(attacks, tasks, ladder, !ladderOnly));
            for (long other : reportSeeds == null ? List.<Long>of() : reportSeeds) {
                if (other != seedOption.seed) {
                    values.addAll(new GbaDiagnosis(base, chosen, other, new GridData(ProjectDatasets.locate(), chosen, other),
                            GridRunner.workFolder(out, chosen, other), System.out).stored());
                }
            }
            String command = "java -jar experiments.jar gba-diagnosis --attacks " + String.join(",", attacks)
                    + " --datasets " + String.join(",", datasets) + " --profile " + profile
                    + (model == null ? "" : " --model " + model) + " --test-rows " + testRows
                    + " --broadcast-lrs " + broadcastRates.stream().map(String::valueOf).collect(Collectors.joining(","))
                    + (rungs == null ? "" : " --rungs " + String.join(",", rungs)) + (reportOnly ? " --report-only" : "")
                    + (resumeFrom == null ? "" : " --resume-from " + resumeFrom.stream().map(Path::toString)
                    .collect(Collectors.joining(","))) + (name == null ? "" : " --name " + name)
                    + (ladderOnly ? " --ladder-only" : "") + " --seed " + seedOption.seed + (reportSeeds == null ? ""
                    : " --report-seeds " + reportSeeds.stream().map(String::valueOf).collect(Collectors.joining(",")));
            String markdown = GbaDiagnosisReport.markdown(values, seedOption.seed, command, chosen.toString(),
                    reportName + ".csv");
            AtomicFiles.writeBytes(reports.resolve(reportName + ".csv"),
                    GbaDiagnosisReport.csv(values).getBytes(StandardCharsets.UTF_8));
            AtomicFiles.writeBytes(reports.resolve(reportName + ".md"), markdown.getBytes(StandardCharsets.UTF_8));
            System.out.println(markdown);
            System.out.println("wrote " + reports.resolve(reportName + ".csv") + " and " + reportName + ".md");
        }
        return 0;
    }
}
