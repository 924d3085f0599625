package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gba4j.defense.Defenses;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Figure 4 (section 5.3): GBA's ASR and ACC against each attack as lambda varies. The paper plots
 * a "coarse tuning" without listing its values; we sweep 0.1, 0.25, 0.5 (the paper's default), 1
 * and 2, so the default sits in the middle of a log-spaced range.
 */
public final class Fig4 implements Experiment {
    static final double[] LAMBDAS = {0.1, 0.25, 0.5, 1.0, 2.0};

    @Override
    public String name() {
        return "fig4";
    }

    @Override
    public String description() {
        return "GBA's ASR and ACC against each attack for lambda 0.1, 0.25, 0.5, 1, 2";
    }

    @Override
    public List<PaperDataset> defaultDatasets() {
        return List.of(PaperDataset.MR);
    }

    @Override
    public List<Cell> cells(List<PaperDataset> datasets) {
        List<Cell> cells = new ArrayList<>();
        for (PaperDataset d : datasets) {
            for (String attack : PaperNumbers.ATTACKS) {
                for (double lambda : LAMBDAS) {
                    Cell cell = new Cell(d.name(), attack, DefenseTable.trigger(attack), Defenses.GBA);
                    // lambda 0.5 is Table 2's GBA cell: shared, not recomputed
                    cells.add(lambda == 0.5 ? cell : cell.with("lambda", Double.toString(lambda)));
                }
            }
        }
        return cells;
    }

    private static double mean(Results r, String attack, double lambda, String metric) {
        String key = lambda == 0.5 ? "" : Double.toString(lambda);
        return r.mean(c -> c.attack().equals(attack) && c.param("lambda", "").equals(key), metric);
    }

    @Override
    public String markdown(List<CellResult> results, List<PaperDataset> datasets) {
        Results r = new Results(results);
        List<String> header = new ArrayList<>(List.of("lambda"));
        PaperNumbers.ATTACKS.forEach(a -> {
            header.add(DefenseTable.attackLabel(a) + " ASR");
            header.add(DefenseTable.attackLabel(a) + " ACC");
        });
        MarkdownTable table = new MarkdownTable(header);
        for (double lambda : LAMBDAS) {
            List<String> row = new ArrayList<>(List.of(Double.toString(lambda)));
            for (String attack : PaperNumbers.ATTACKS) {
                row.add(MarkdownTable.percent(mean(r, attack, lambda, "asr")));
                row.add(MarkdownTable.percent(mean(r, attack, lambda, "acc")));
            }
            table.row(row);
        }
        return "Means over the tasks run. The paper gives this as a plot only (larger lambda, lower ASR, at some cost in"
                + " ACC). Plots: `fig4-asr.png`, `fig4-acc.png`.\n\n" + table.render();
    }

    @Override
    public Map<String, Chart<?, ?>> plots(List<CellResult> results, List<PaperDataset> datasets) {
        Results r = new Results(results);
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        for (String metric : List.of("asr", "acc")) {
            Map<String, double[]> series = new LinkedHashMap<>();
            for (String attack : PaperNumbers.ATTACKS) {
                double[] y = new double[LAMBDAS.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = 100 * mean(r, attack, LAMBDAS[i], metric);
                }
                series.put(DefenseTable.attackLabel(attack), y);
            }
            charts.put("fig4-" + metric + ".png", Plots.lines("Figure 4: GBA " + metric.toUpperCase(Locale.ROOT)
                    + " by lambda", "lambda", metric.toUpperCase(Locale.ROOT) + " (%)", LAMBDAS, series));
        }
        return charts;
    }
}
