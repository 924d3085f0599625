package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.List;
import org.gba4j.attack.Attacks;
import org.gba4j.defense.Defenses;

/**
 * Table 12, the ablation: which part of GBA removes a BadNets backdoor: prompt tuning alone (PT),
 * with the soft template (PT+soft), and with the gradient broadcast (PT+soft+GB, which is GBA and
 * shares its cells with Table 2).
 */
public final class Table12 implements Experiment {
    private static final List<String> SETTINGS = List.of(Defenses.NONE, Defenses.PT, Defenses.PT_SOFT, Defenses.GBA);
    private static final List<String> LABELS = List.of("No-defense", "PT", "PT+soft", "PT+soft+GB");

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
        }
        return cells;
    }

    @Override
    public double[] paper(Cell cell) {
        double[] row = PaperNumbers.TABLE12.get(cell.defense());
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
        return "Each entry: ours (paper's Table 12), percent; ours is the mean +/- std over the seeds run, or for one seed the"
                + " value [Wilson 95% interval over its test rows].\n\n" + DefenseTable.render(rows, new Results(results), datasets);
    }
}
