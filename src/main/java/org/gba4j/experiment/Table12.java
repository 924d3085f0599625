package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.List;
import org.gba4j.attack.Attacks;
import org.gba4j.defense.Defenses;

/**
 * Table 12, the ablation: which part of GBA removes a BadNets backdoor: prompt tuning alone (PT),
 * with the soft template (PT+soft), and with the gradient broadcast (PT+soft+GB, which is GBA and
 * shares its cells with Table 2). Two floor rows follow: the same trigger on a model fine-tuned on the
 * attacker's rows without poison, with no defense and after PT+soft, so each ASR is read against what the
 * trigger does to a model that was never attacked.
 */
public final class Table12 implements Experiment {
    private static final List<String> SETTINGS = List.of(Defenses.NONE, Defenses.PT, Defenses.PT_SOFT, Defenses.GBA);
    private static final List<String> LABELS = List.of("No-defense", "PT", "PT+soft", "PT+soft+GB");
    private static final List<String> FLOOR_SETTINGS = List.of(Defenses.NONE, Defenses.PT_SOFT);
    private static final List<String> FLOOR_LABELS = List.of("No-defense (floor)", "PT+soft (floor)");

    @Override
    public String name() {
        return "table12";
    }

    @Override
    public String description() {
        return "ablation against BadNets: No-defense, PT, PT+soft, PT+soft+GB (= GBA) on the five tasks";
    }

    @Override
    public List<PaperDataset> defaultDatasets() {
        return PaperDataset.TABLE1;
    }

    @Override
    public List<Cell> cells(List<PaperDataset> datasets) {
        List<Cell> cells = new ArrayList<>();
        for (PaperDataset d : datasets) {
            for (String setting : SETTINGS) {
                cells.add(new Cell(d.name(), Attacks.BADNETS, "cf", setting));
            }
            for (String setting : FLOOR_SETTINGS) {
                cells.add(new Cell(d.name(), Attacks.NEVER_ATTACKED, "cf", setting));
            }
        }
        return cells;
    }

    @Override
    public double[] paper(Cell cell) {
        double[] row = cell.attack().equals(Attacks.BADNETS) ? PaperNumbers.TABLE12.get(cell.defense()) : null;
        PaperDataset task = PaperDataset.of(cell.dataset());
        return row == null ? null : new double[] {PaperNumbers.at(row, task, false), PaperNumbers.at(row, task, true)};
    }

    @Override
    public String markdown(List<CellResult> results, List<PaperDataset> datasets) {
        List<DefenseTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < SETTINGS.size(); i++) {
            rows.add(new DefenseTable.Row(LABELS.get(i), "BadNets", SETTINGS.get(i), Attacks.BADNETS,
                    PaperNumbers.TABLE12.get(SETTINGS.get(i))));
        }
        for (int i = 0; i < FLOOR_SETTINGS.size(); i++) {
            rows.add(new DefenseTable.Row(FLOOR_LABELS.get(i), "never attacked, cf", FLOOR_SETTINGS.get(i),
                    Attacks.NEVER_ATTACKED, null));
        }
        return "Each entry: ours (paper's Table 12), percent; ours is the mean +/- std over the seeds run, or for one seed the"
                + " value [Wilson 95% interval over its test rows]. The floor rows insert the same trigger into a model"
                + " fine-tuned on the attacker's rows without poison: an ASR is read against them, not against zero.\n\n" + DefenseTable.render(rows, new Results(results), datasets);
    }
}
