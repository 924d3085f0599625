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
 * Figure 3 (section 5.2): how far each trigger's embedding sits from the class tokens (the label
 * words, the class centres of a prompt model) before and after GBA, as an RMSE averaged over label
 * words and tasks. Four BadNets backdoors with the triggers cf, mn, tq and bb, and each trigger's floor: the
 * same word inserted into a never-attacked model (one per task, shared by the four) after the same GBA, so an
 * ASR after GBA is read against what the word does to a model that never learned it.
 */
public final class Fig3 implements Experiment {
    static final List<String> TRIGGERS = List.of("cf", "mn", "tq", "bb");
    private static final String FLOOR = Attacks.floorOf(Attacks.BADNETS);

    @Override
    public String name() {
        return "fig3";
    }

    @Override
    public String description() {
        return "RMSE from trigger embeddings (cf, mn, tq, bb) to the class tokens before and after GBA";
    }

    @Override
    public List<PaperDataset> defaultDatasets() {
        return PaperDataset.TABLE1;
    }

    @Override
    public List<Cell> cells(List<PaperDataset> datasets) {
        List<Cell> cells = new ArrayList<>();
        for (PaperDataset d : datasets) {
            for (String trigger : TRIGGERS) {
                cells.add(new Cell(d.name(), Attacks.BADNETS, trigger, Defenses.GBA));
            }
            for (String trigger : TRIGGERS) { // one after another: they share one defended never-attacked model
                cells.add(new Cell(d.name(), FLOOR, trigger, Defenses.GBA));
            }
        }
        return cells;
    }

    private static double mean(Results r, String trigger, String metric) {
        return mean(r, Attacks.BADNETS, trigger, metric);
    }

    private static double mean(Results r, String attack, String trigger, String metric) {
        return r.mean(gba(null, attack, trigger), metric);
    }

    /** The GBA cells of {@code attack} (a backdoor or its floor) with {@code trigger}, on one task or (null) all. */
    private static Predicate<Cell> gba(String dataset, String attack, String trigger) {
        return Results.cell(dataset, attack, Defenses.GBA).and(c -> c.trigger().equals(trigger));
    }

    @Override
    public String markdown(List<CellResult> results, List<PaperDataset> datasets) {
        Results r = new Results(results);
        MarkdownTable table = new MarkdownTable(List.of("Trigger", "RMSE before", "RMSE after", "ASR after",
                "floor ASR after", "ACC after"));
        for (String trigger : TRIGGERS) {
            table.row(List.of(trigger, rmse(mean(r, trigger, "rmse_before")), rmse(mean(r, trigger, "rmse_after")),
                    MarkdownTable.percent(mean(r, trigger, "asr")), MarkdownTable.percent(mean(r, FLOOR, trigger, "asr")),
                    MarkdownTable.percent(mean(r, trigger, "acc"))));
        }
        // The means hide which task a trigger survived on; each cell, with the uncertainty of its ASR and ACC and the
        // clean target rate (how often clean rows already land on the target class: the rate an ASR must beat)
        MarkdownTable cells = new MarkdownTable(List.of("Task", "Trigger", "RMSE before", "RMSE after", "ASR after",
                "clean target rate", "ACC after", "floor ASR after", "floor ACC after"));
        for (PaperDataset d : datasets) {
            for (String trigger : TRIGGERS) {
                Predicate<Cell> cell = gba(d.name(), Attacks.BADNETS, trigger);
                Predicate<Cell> floor = gba(d.name(), FLOOR, trigger);
                cells.row(List.of(d.name(), trigger, rmse(r.mean(cell, "rmse_before")), rmse(r.mean(cell, "rmse_after")),
                        r.rateWithSpread(cell, "asr", "asr_rows"), r.rateWithSpread(cell, "clean_target_rate", "test_rows"),
                        r.rateWithSpread(cell, "acc", "test_rows"), r.rateWithSpread(floor, "asr", "asr_rows"),
                        r.rateWithSpread(floor, "acc", "test_rows")));
            }
        }
        return "Means over the tasks run. The paper plots this only: after GBA the triggers sit closer to the class"
                + " tokens. Plot: `fig3.png`. The floor: the same word inserted into a model fine-tuned on the attacker's"
                + " rows without poison (`never-attacked-badnets`), after the same GBA.\n\n" + table.render()
                + "\nEach cell (one seed: the value [Wilson 95% interval over its test rows]; several: mean +/- std over"
                + " seeds):\n\n" + cells.render();
    }

    private static String rmse(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.5f", value);
    }

    @Override
    public Map<String, Chart<?, ?>> plots(List<CellResult> results, List<PaperDataset> datasets) {
        Results r = new Results(results);
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("before", TRIGGERS.stream().map(t -> mean(r, t, "rmse_before")).toList());
        series.put("after GBA", TRIGGERS.stream().map(t -> mean(r, t, "rmse_after")).toList());
        return Map.of("fig3.png", Plots.bars("Figure 3: trigger-to-class-token RMSE", "trigger", "RMSE", TRIGGERS, series));
    }
}
