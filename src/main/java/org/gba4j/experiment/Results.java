package org.gba4j.experiment;

import java.util.List;
import java.util.function.Predicate;

/** Lookups over finished cells: one cell's metric, or a mean over several. */
public final class Results {
    private final List<CellResult> results;

    public Results(List<CellResult> results) {
        this.results = List.copyOf(results);
    }

    /** The metric of the first cell matching, NaN when none is finished. */
    public double metric(Predicate<Cell> which, String metric) {
        return results.stream().filter(r -> which.test(r.cell())).mapToDouble(r -> r.metric(metric)).findFirst()
                .orElse(Double.NaN);
    }

    /** Mean of the metric over matching cells that have it; NaN when none has. */
    public double mean(Predicate<Cell> which, String metric) {
        return results.stream().filter(r -> which.test(r.cell())).mapToDouble(r -> r.metric(metric))
                .filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    public static Predicate<Cell> cell(String dataset, String attack, String defense) {
        return c -> (dataset == null || c.dataset().equals(dataset)) && c.attack().equals(attack)
                && c.defense().equals(defense);
    }
}
