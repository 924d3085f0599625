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
 * Figure 2 (section 5.1): Clean-FT, NAD-C and GBA with 1%, 5%, 10% and 20% of each task's clean
 * training split, ASR and ACC averaged over the four attacks (and the tasks run), and each attack's beside its
 * No-Defense cell and its floor. The backdoors, No-Defense and floor cells are Table 2's, shared with it. GBA also has
 * its own floor at each fraction, the same adaptation of the never-attacked model: the level a GBA cell is read
 * against (GBA's rows move the trigger's row too, so the undefended floor is not that level).
 */
public final class Fig2 implements Experiment {
    static final double[] FRACTIONS = {0.01, 0.05, 0.10, 0.20};
    private static final List<String> DEFENSES = List.of(Defenses.CLEAN_FT, Defenses.NAD_C, Defenses.GBA);
    /** A group of table rows, one per fraction: a defense's cells on the backdoored or the never-attacked models. */
    private record RowGroup(String label, String defense, boolean floor) {
        /** The group's cells at this fraction. */
        Predicate<Cell> at(double fraction) {
            return c -> Attacks.isFloor(c.attack()) == floor && c.defense().equals(defense)
                    && c.param("fraction", "").equals(fraction(fraction));
        }

        /** The cell of this group scored with {@code attack}'s trigger. */
        Predicate<Cell> at(double fraction, String attack) {
            return at(fraction).and(c -> c.attack().equals(floor ? Attacks.floorOf(attack) : attack));
        }
    }

    /** Each defense on the backdoored models, then GBA's floors. */
    private static final List<RowGroup> ROWS = java.util.stream.Stream.concat(
            DEFENSES.stream().map(d -> new RowGroup(d, d, false)),
            java.util.stream.Stream.of(new RowGroup(DefenseTable.GBA_FLOOR_ROW, Defenses.GBA, true))).toList();
    /** The one number section 5.1 gives: GBA's mean ASR over the four attacks with 1% of the clean data. */
    static final double PAPER_GBA_ASR_AT_1 = 1.17;

    @Override
    public String name() {
        return "fig2";
    }

    @Override
    public String description() {
        return "Clean-FT, NAD-C and GBA with 1%, 5%, 10%, 20% of the clean data, averaged over the four attacks";
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
                for (double fraction : FRACTIONS) {
                    for (String defense : List.of(Defenses.GBA, Defenses.CLEAN_FT, Defenses.NAD_C)) {
                        cells.add(new Cell(d.name(), attack, DefenseTable.trigger(attack), defense)
                                .with("fraction", fraction(fraction)));
                    }
                }
            }
            // the attacks' floors of one fraction follow each other: they adapt one never-attacked model alike, so they
            // share one defense (SharedFloorDefense) and differ only in the trigger they are scored with
            for (double fraction : FRACTIONS) {
                for (String attack : PaperNumbers.ATTACKS) {
                    cells.add(new Cell(d.name(), Attacks.floorOf(attack), DefenseTable.trigger(attack), Defenses.GBA)
                            .with("fraction", fraction(fraction)));
                }
            }
        }
        return cells;
    }

    private static String fraction(double f) {
        return String.format(Locale.ROOT, "%.2f", f);
    }

    /** "5%": a fraction as the tables show it. */
    private static String percentLabel(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    /** The mean of {@code metric} over {@code cells}, in percent, at each fraction. */
    private static double[] perFraction(Results r, java.util.function.DoubleFunction<Predicate<Cell>> cells, String metric) {
        double[] y = new double[FRACTIONS.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = 100 * r.mean(cells.apply(FRACTIONS[i]), metric);
        }
        return y;
    }

    /** The attacks with a finished cell among {@code cells}: a mean over fewer than four says so. */
    private static long attacksRun(List<CellResult> results, Predicate<Cell> cells) {
        return results.stream().filter(c -> cells.test(c.cell()) && !Double.isNaN(c.metric("asr")))
                .map(c -> c.cell().attack()).distinct().count();
    }

    @Override
    public String markdown(List<CellResult> results, List<PaperDataset> datasets) {
        Results r = new Results(results);
        MarkdownTable means = new MarkdownTable(List.of("Defense", "Clean data", "attacks run", "mean ASR", "mean ACC",
                "paper: mean ASR"));
        for (RowGroup group : ROWS) {
            for (double f : FRACTIONS) {
                Predicate<Cell> cells = group.at(f);
                boolean paper = !group.floor() && group.defense().equals(Defenses.GBA) && f == FRACTIONS[0];
                means.row(List.of(group.label(), percentLabel(f), Long.toString(attacksRun(results, cells)),
                        MarkdownTable.percent(r.mean(cells, "asr")), MarkdownTable.percent(r.mean(cells, "acc")),
                        paper ? MarkdownTable.number(PAPER_GBA_ASR_AT_1) : "-"));
            }
        }
        List<String> header = new ArrayList<>(List.of("Defense", "Clean data"));
        PaperNumbers.ATTACKS.forEach(a -> {
            header.add(DefenseTable.attackLabel(a) + " ASR");
            header.add(DefenseTable.attackLabel(a) + " ACC");
        });
        MarkdownTable each = new MarkdownTable(header);
        for (boolean floor : new boolean[] {false, true}) {
            List<String> none = new ArrayList<>(List.of(floor ? DefenseTable.FLOOR_ROW : Defenses.NONE, "-"));
            none.addAll(DefenseTable.referenceRow(r, floor));
            each.row(none);
        }
        for (RowGroup group : ROWS) {
            for (double f : FRACTIONS) {
                List<String> row = new ArrayList<>(List.of(group.label(), percentLabel(f)));
                row.addAll(DefenseTable.attackColumns(r, a -> group.at(f, a)));
                each.row(row);
            }
        }
        return "Means over the attacks run (a mean over fewer than four says how many) and the tasks run. The paper gives"
                + " this as a plot only, with one number: GBA at 1% of the data brings the mean ASR to 1.17% for 2.56 points"
                + " of ACC; Clean-FT keeps ACC but not the backdoor's removal. Plots: `fig2-asr.png`, `fig2-acc.png`"
                + " (and `.svg`).\n\n" + means.render() + "\nEach attack, percent [Wilson 95% interval over the test rows"
                + " for one seed; mean +/- std over seeds]; `none` is the backdoored model before any defense, the floor"
                + " the same test on a model fine-tuned on the attacker's rows without poison (Table 2's No-Defense cells);"
                + " GBA's floor is GBA with the same fraction of the data on that never-attacked model, the level a GBA"
                + " cell is read against:\n\n" + each.render()
                + DefenseTable.atChanceNote(results);
    }

    @Override
    public Map<String, Chart<?, ?>> plots(List<CellResult> results, List<PaperDataset> datasets) {
        Results r = new Results(results);
        double[] x = new double[FRACTIONS.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = 100 * FRACTIONS[i];
        }
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        for (String metric : List.of("asr", "acc")) {
            Map<String, double[]> series = new LinkedHashMap<>();
            for (RowGroup group : ROWS) {
                series.put(group.floor() ? "GBA's floor (never attacked)" : group.defense(), perFraction(r, group::at, metric));
            }
            if (metric.equals("asr")) {
                double[] paper = new double[FRACTIONS.length];
                java.util.Arrays.fill(paper, Double.NaN);
                paper[0] = PAPER_GBA_ASR_AT_1;
                series.put("paper: GBA at 1%", paper);
            }
            charts.put("fig2-" + metric + ".png", Plots.lines("Figure 2: mean " + metric.toUpperCase(Locale.ROOT)
                    + " over the attacks run", "% of clean training data", metric.toUpperCase(Locale.ROOT) + " (%)", x, series));
        }
        return charts;
    }
}
