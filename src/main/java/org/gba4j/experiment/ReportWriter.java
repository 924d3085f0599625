package org.gba4j.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.gba4j.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;

/**
 * Writes an experiment's reports: {@code NAME.csv} (one row per finished cell and seed, named columns, rates in
 * percent beside the paper's, every hyperparameter), {@code NAME.md} (the paper-shaped table with the command that made it) and any
 * PNG plots, each written whole then renamed into place.
 */
public final class ReportWriter {
    static final List<String> FIXED = List.of("experiment", "model", "dataset", "attack", "trigger", "defense",
            "params", "profile", "seed", "ASR", "ACC", "paper_ASR", "paper_ACC", "clean_target_rate", "majority", "test_rows",
            "asr_rows", "ASRR", "MCC", "Pearson", "rmse_before", "rmse_after", "wall_s", "code_version", "finished_at");

    /**
     * A column holding a cell metric: the CSV's name, the metric's key, the factor from metric to column (100: a
     * fraction shown as a percentage) and whether it is a count. {@link ReportReader} reads the columns back by it.
     */
    record MetricColumn(String column, String metric, double scale, boolean count) {
        String format(double value) {
            return count ? ReportWriter.count(value) : number(scale * value);
        }
    }

    static final List<MetricColumn> METRIC_COLUMNS = List.of(new MetricColumn("ASR", "asr", 100, false),
            new MetricColumn("ACC", "acc", 100, false), new MetricColumn("clean_target_rate", "clean_target_rate", 100, false),
            new MetricColumn("majority", "majority", 100, false), new MetricColumn("test_rows", "test_rows", 1, true),
            new MetricColumn("asr_rows", "asr_rows", 1, true), new MetricColumn("ASRR", "asrr", 1, false),
            new MetricColumn("MCC", "mcc", 1, false), new MetricColumn("Pearson", "pearson", 1, false),
            new MetricColumn("rmse_before", "rmse_before", 1, false), new MetricColumn("rmse_after", "rmse_after", 1, false));

    private ReportWriter() {
    }

    /** Writes the reports; returns the Markdown text (also printed at the end of a run). */
    public static String write(Experiment experiment, List<CellResult> results, List<PaperDataset> datasets, Path folder,
                               String command, Profile profile, int cellsInGrid) {
        return write(experiment, experiment.name(), results, datasets, folder, command, profile, cellsInGrid);
    }

    /**
     * As {@link #write(Experiment, List, List, Path, String, Profile, int)}, into files named {@code name} instead of
     * the experiment's name (the CSV's experiment column still names the experiment, so it can be read back).
     */
    public static String write(Experiment experiment, String name, List<CellResult> results, List<PaperDataset> datasets,
                               Path folder, String command, Profile profile, int cellsInGrid) {
        writeCsv(folder.resolve(name + ".csv"), experiment, results);
        String markdown = markdown(experiment, name, results, datasets, command, profile, cellsInGrid);
        AtomicFiles.writeText(folder.resolve(name + ".md"), out -> out.write(markdown));
        String seeds = results.stream().map(r -> r.run().getOrDefault("seed", "?")).distinct().sorted()
                .collect(Collectors.joining(","));
        experiment.plots(results, datasets).forEach((plot, chart) -> {
            String file = name + plot.substring(plot.startsWith(experiment.name()) ? experiment.name().length() : 0);
            chart.setTitle(plotTitle(chart.getTitle(), datasets, profile, seeds));
            try {
                AtomicFiles.writeBytes(folder.resolve(file), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
                java.io.ByteArrayOutputStream svg = new java.io.ByteArrayOutputStream();
                VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
                AtomicFiles.writeBytes(folder.resolve(file.replaceFirst("\\.png$", "") + ".svg"), svg.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot draw " + file + ": " + e.getMessage(), e);
            }
        });
        return markdown;
    }

    /** The run in a plot's title (tasks, model, profile, seeds): a plot travels without its Markdown. */
    static String plotTitle(String title, List<PaperDataset> datasets, Profile profile, String seeds) {
        String tasks = datasets.stream().map(PaperDataset::title).collect(Collectors.joining(", "));
        return title + " (" + tasks + "; " + Path.of(profile.model()).getFileName() + ", " + profile.name()
                + " profile, seed" + (seeds.contains(",") ? "s " : " ") + seeds + ")";
    }

    /**
     * A metric column's value; a count no metric holds comes from the cell's configuration, where cells stored before
     * they scored it (Table 4's further adaptation) recorded it, since that column replaces the configuration's own.
     */
    private static String value(CellResult r, MetricColumn m) {
        double metric = r.metric(m.metric());
        return Double.isNaN(metric) && m.count() ? r.config().getOrDefault(m.column(), "") : m.format(metric);
    }

    static void writeCsv(Path file, Experiment experiment, List<CellResult> results) {
        TreeSet<String> configKeys = new TreeSet<>();
        results.forEach(r -> configKeys.addAll(r.config().keySet()));
        configKeys.removeIf(k -> FIXED.stream().anyMatch(k::equalsIgnoreCase)); // already a column of its own
        // every hyperparameter of the cell, one column each (CellConfiguration; empty for cells stored before it)
        TreeSet<String> settingKeys = new TreeSet<>();
        results.forEach(r -> settingKeys.addAll(r.settings().keySet()));
        List<String> header = new ArrayList<>(FIXED);
        header.addAll(configKeys);
        settingKeys.forEach(k -> header.add("setting." + k));
        boolean fingerprints = results.stream().anyMatch(r -> r.fingerprint() != null);
        if (fingerprints) {
            header.add("fingerprint");
        }
        AtomicFiles.writeText(file, out -> {
            try (CSVPrinter csv = CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).get().print(out)) {
                for (CellResult r : results) {
                    double[] paper = experiment.paper(r.cell());
                    Map<String, String> values = new java.util.HashMap<>(Map.of("experiment", experiment.name(), "model",
                            r.run().getOrDefault("model", ""), "dataset", r.cell().dataset(), "attack", r.cell().attack(),
                            "trigger", r.cell().trigger(), "defense", r.cell().defense(), "params", r.cell().params().entrySet()
                                    .stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue())
                                    .collect(Collectors.joining(";")), "profile", r.run().getOrDefault("profile", ""), "seed",
                            r.run().getOrDefault("seed", "")));
                    values.put("paper_ASR", number(paper == null ? Double.NaN : paper[0]));
                    values.put("paper_ACC", number(paper == null ? Double.NaN : paper[1]));
                    METRIC_COLUMNS.forEach(m -> values.put(m.column(), value(r, m)));
                    values.put("wall_s", String.format(Locale.ROOT, "%.1f", r.wallSeconds()));
                    values.put("code_version", r.codeVersion());
                    values.put("finished_at", r.finishedAt());
                    List<String> row = new ArrayList<>(FIXED.stream().map(values::get).toList());
                    configKeys.forEach(k -> row.add(r.config().getOrDefault(k, "")));
                    settingKeys.forEach(k -> row.add(r.settings().getOrDefault(k, "")));
                    if (fingerprints) {
                        row.add(r.fingerprint() == null ? "" : r.fingerprint());
                    }
                    csv.printRecord(row);
                }
            }
        });
    }

    private static String percent(double fraction) {
        return number(100 * fraction);
    }

    private static String count(double value) {
        return Double.isNaN(value) ? "" : Long.toString(Math.round(value));
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6f", value);
    }

    private static String markdown(Experiment experiment, String name, List<CellResult> results,
                                   List<PaperDataset> datasets, String command, Profile profile, int cellsInGrid) {
        double seconds = results.stream().mapToDouble(CellResult::wallSeconds).sum();
        String versions = results.stream().map(CellResult::codeVersion).distinct().sorted().collect(Collectors.joining(", "));
        StringBuilder out = new StringBuilder();
        out.append("# ").append(experiment.name()).append(": ").append(experiment.description()).append("\n\n");
        out.append("- Command: `").append(command).append("`\n");
        out.append("- Profile: ").append(profile).append("\n");
        out.append(String.format(Locale.ROOT, "- Cells: %d of %d finished; compute time (sum over cells, shared models"
                + " counted where built): %s%n", results.size(), cellsInGrid, GridProgress.clock(seconds)));
        out.append("- Code version(s): ").append(versions.isEmpty() ? "-" : versions).append("\n");
        out.append("- Seeds: ").append(results.stream().map(r -> r.run().getOrDefault("seed", "?")).distinct().sorted()
                .collect(Collectors.joining(", "))).append("\n");
        out.append("- Per-cell configuration, seed and wall time, rates in percent beside the paper's: `")
                .append(name).append(".csv`\n\n");
        out.append(experiment.markdown(results, datasets));
        return out.toString();
    }
}
