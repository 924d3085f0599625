package org.gba4j.experiment;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.gba4j.eval.Metrics;

/**
 * Lookups over finished cells, of one seed or several: a cell's metric is its mean over the seeds that ran it,
 * shown with the seeds' spread, or, for one seed, with a 95% interval from its number of test rows.
 */
public final class Results {
    private final List<CellResult> results;

    public Results(List<CellResult> results) {
        this.results = List.copyOf(results);
    }

    /** The metric of the matching cells (one per seed), averaged over seeds; NaN when none is finished. */
    public double metric(Predicate<Cell> which, String metric) {
        return mean(which, metric);
    }

    /** Mean of the metric over matching cells that have it (tasks and seeds alike); NaN when none has. */
    public double mean(Predicate<Cell> which, String metric) {
        return values(which, metric).average().orElse(Double.NaN);
    }

    /**
     * The mean over matching cells as a percentage (two decimals), and where two or more seeds ran, " +/- " the sample
     * standard deviation of the seeds' own means: how much a headline average moves from one seed to the next.
     */
    public String meanWithSeedSpread(Predicate<Cell> which, String metric) {
        double mean = 100 * mean(which, metric);
        java.util.Map<String, java.util.List<Double>> bySeed = new java.util.TreeMap<>();
        results.stream().filter(r -> which.test(r.cell()) && !Double.isNaN(r.metric(metric))).forEach(r -> bySeed
                .computeIfAbsent(r.run().getOrDefault("seed", "?"), k -> new java.util.ArrayList<>()).add(r.metric(metric)));
        if (bySeed.size() < 2) {
            return MarkdownTable.number(mean);
        }
        double[] seedMeans = bySeed.values().stream()
                .mapToDouble(v -> 100 * v.stream().mapToDouble(Double::doubleValue).average().orElseThrow()).toArray();
        return MarkdownTable.number(mean) + " +/- " + MarkdownTable.number(sampleStd(seedMeans));
    }

    private java.util.stream.DoubleStream values(Predicate<Cell> which, String metric) {
        return results.stream().filter(r -> which.test(r.cell())).mapToDouble(r -> r.metric(metric))
                .filter(v -> !Double.isNaN(v));
    }

    /**
     * A rate (a fraction) as a percentage with its uncertainty: "mean +/- std" over two or more seeds (sample standard
     * deviation), else the Wilson 95% interval "x [lo, hi]" from the cell's {@code rowsMetric} (its test rows) where
     * stored, else the value alone; "-" when the cell is not finished.
     */
    public String rateWithSpread(Predicate<Cell> which, String metric, String rowsMetric) {
        List<CellResult> cells = results.stream().filter(r -> which.test(r.cell()) && !Double.isNaN(r.metric(metric)))
                .toList();
        if (cells.isEmpty()) {
            return "-";
        }
        double[] xs = cells.stream().mapToDouble(r -> 100 * r.metric(metric)).toArray();
        double mean = java.util.Arrays.stream(xs).average().orElseThrow();
        if (xs.length > 1) {
            return String.format(Locale.ROOT, "%.1f +/- %.1f", mean, sampleStd(xs));
        }
        double n = cells.get(0).metric(rowsMetric);
        if (Double.isNaN(n) || n <= 0) {
            return String.format(Locale.ROOT, "%.2f", mean);
        }
        double[] ci = Metrics.wilson(mean / 100, n);
        return String.format(Locale.ROOT, "%.1f [%.1f, %.1f]", mean, 100 * ci[0], 100 * ci[1]);
    }

    /**
     * Whether a matching cell (of any seed) is at chance: the lower end of its ACC's Wilson 95% interval over its test
     * rows is at or below its majority-class rate, so it cannot be told from always predicting the most frequent class,
     * and its ASR says nothing about a defense. Cells stored without a majority rate or test rows are not judged.
     */
    public boolean atChance(Predicate<Cell> which) {
        return results.stream().filter(r -> which.test(r.cell())).anyMatch(r -> {
            double acc = r.metric("acc");
            double majority = r.metric("majority");
            double n = r.metric("test_rows");
            return !Double.isNaN(acc) && !Double.isNaN(majority) && n > 0 && Metrics.atChance(acc, majority, n);
        });
    }

    /** The sample standard deviation (n - 1) of two or more values. */
    private static double sampleStd(double[] xs) {
        double mean = java.util.Arrays.stream(xs).average().orElseThrow();
        double ss = java.util.Arrays.stream(xs).map(x -> (x - mean) * (x - mean)).sum();
        return Math.sqrt(ss / (xs.length - 1));
    }

    public static Predicate<Cell> cell(String dataset, String attack, String defense) {
        return c -> (dataset == null || c.dataset().equals(dataset)) && c.attack().equals(attack)
                && c.defense().equals(defense);
    }
}
