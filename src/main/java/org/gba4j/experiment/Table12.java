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
    /** The table's rows in order; each is also one cell per task (trigger {@code cf}). */
    private static final List<DefenseTable.Row> ROWS = List.of(
            row("No-defense", Defenses.NONE), row("PT", Defenses.PT), row("PT+soft", Defenses.PT_SOFT),
            row("PT+soft+GB", Defenses.GBA),
            floor("No-defense (floor)", Defenses.NONE), floor("PT+soft (floor)", Defenses.PT_SOFT));

    private static DefenseTable.Row row(String label, String defense) {
        return new DefenseTable.Row(label, "BadNets", defense, Attacks.BADNETS, PaperNumbers.TABLE12.get(defense));
    }

    /** A floor row: the paper has none. */
    private static DefenseTable.Row floor(String label, String defense) {
        return new DefenseTable.Row(label, "never attacked, cf", defense, Attacks.floorOf(Attacks.BADNETS), null);
    }

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
            for (DefenseTable.Row row : ROWS) {
                cells.add(new Cell(d.name(), row.attack(), "cf", row.defense()));
            }
        }
        return cells;
    }

    @Override
    public double[] paper(Cell cell) {
        double[] row = ROWS.stream().filter(r -> r.attack().equals(cell.attack()) && r.defense().equals(cell.defense()))
                .findFirst().map(DefenseTable.Row::paper).orElse(null);
        PaperDataset task = PaperDataset.of(cell.dataset());
        return row == null ? null : new double[] {PaperNumbers.at(row, task, false), PaperNumbers.at(row, task, true)};
    }

    @Override
    public String markdown(List<CellResult> results, List<PaperDataset> datasets) {
        return "Each entry: ours (paper's Table 12), percent; ours is the mean +/- std over the seeds run, or for one seed the"
                + " value [Wilson 95% interval over its test rows]. The floor rows insert the same trigger into a model"
                + " fine-tuned on the attacker's rows without poison: an ASR is read against them, not against zero.\n\n"
                + DefenseTable.render(ROWS, new Results(results), datasets);
    }
}
