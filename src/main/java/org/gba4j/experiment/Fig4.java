package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.gba4j.attack.Attacks;
import org.gba4j.defense.Defenses;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Figure 4 (section 5.3): GBA's ASR and ACC against each attack as lambda varies. The paper plots
 * a "coarse tuning" without listing its values; we sweep 0.1, 0.25, 0.5 (the paper's default), 1
 * and 2, so the default sits in the middle of a log-spaced range. Each attack's No-Defense cell and its floor (Table
 * 2's, shared) are shown beside, and GBA's own floor (GBA with lambda 0.5 on the never-attacked model, also Table
 * 2's), so a flat line can be told from a removed backdoor.
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
                cells.addAll(DefenseTable.referenceCells(d, attack));
                cells.add(new Cell(d.name(), Attacks.floorOf(attack), DefenseTable.trigger(attack), Defenses.GBA));
                for (double lambda : LAMBDAS) {
                    Cell cell = new Cell(d.name(), attack, DefenseTable.trigger(attack), Defenses.GBA);
                    // lambda 0.5 is Table 2's GBA cell: shared, not recomputed
                    cells.add(lambda == 0.5 ? cell : cell.with("lambda", Double.toString(lambda)));
                }
            }
        }
        return cells;
    }

    /** The label of the row of GBA's floors: GBA with the default lambda on never-attacked models. */
    static final String GBA_FLOOR_ROW = DefenseTable.GBA_FLOOR_ROW + " (lambda 0.5)";

    /** GBA's cells at this lambda (0.5 is the default: Table 2's cell, no parameter). */
    private static Predicate<Cell> at(double lambda) {
        String key = lambda == 0.5 ? "" : Double.toString(lambda);
        return c -> c.defense().equals(Defenses.GBA) && c.param("lambda", "").equals(key);
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
        for (boolean floor : new boolean[] {false, true}) {
            List<String> row = new ArrayList<>(List.of(floor ? DefenseTable.FLOOR_ROW : Defenses.NONE));
            row.addAll(DefenseTable.referenceRow(r, floor));
            table.row(row);
        }
        List<String> gbaFloor = new ArrayList<>(List.of(GBA_FLOOR_ROW));
        gbaFloor.addAll(DefenseTable.attackColumns(r, a -> Results.cell(null, Attacks.floorOf(a), Defenses.GBA)));
        table.row(gbaFloor);
        for (double lambda : LAMBDAS) {
            List<String> row = new ArrayList<>(List.of(Double.toString(lambda)));
            row.addAll(DefenseTable.attackColumns(r, a -> at(lambda).and(c -> c.attack().equals(a))));
            table.row(row);
        }
        return "The paper gives this as a plot only (larger lambda, lower ASR, at some cost in ACC). Plots: `fig4-asr.png`,"
                + " `fig4-acc.png` (and `.svg`). Percent [Wilson 95% interval over the test rows for one seed and task;"
                + " mean +/- std over the cells otherwise]; `none` is the backdoored model before any defense, the floors"
                + " the same test on a model fine-tuned on the attacker's rows without poison, as it is and after GBA with"
                + " lambda 0.5 (Table 2's cells): a GBA cell is read against its own floor, the level the same adaptation"
                + " leaves on a model that never had the backdoor:\n\n" + table.render() + DefenseTable.atChanceNote(results);
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
                    y[i] = 100 * r.mean(at(LAMBDAS[i]).and(c -> c.attack().equals(attack)), metric);
                }
                series.put(DefenseTable.attackLabel(attack), y);
            }
            if (metric.equals("asr")) {
                // the reference levels: before any defense, the trigger on the never-attacked model, and what GBA
                // leaves there (the level a GBA cell is read against)
                series.put("none, mean over the attacks run", level(r.mean(c -> c.defense().equals(Defenses.NONE)
                        && !Attacks.isFloor(c.attack()), metric)));
                series.put("floor, mean over the attacks run", level(r.mean(c -> c.defense().equals(Defenses.NONE)
                        && Attacks.isFloor(c.attack()), metric)));
                series.put("GBA's floor (lambda 0.5), mean over the attacks run", level(r.mean(c -> c.defense()
                        .equals(Defenses.GBA) && Attacks.isFloor(c.attack()), metric)));
            }
            charts.put("fig4-" + metric + ".png", Plots.lines("Figure 4: GBA " + metric.toUpperCase(Locale.ROOT)
                    + " by lambda", "lambda", metric.toUpperCase(Locale.ROOT) + " (%)", LAMBDAS, series));
        }
        return charts;
    }

    /** A flat line at a percentage of this fraction across the lambdas; NaN (no line) where nothing is finished. */
    private static double[] level(double fraction) {
        double[] y = new double[LAMBDAS.length];
        java.util.Arrays.fill(y, 100 * fraction);
        return y;
    }
}
