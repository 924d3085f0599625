package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.gba4j.attack.Attacks;
import org.gba4j.defense.Defenses;

/**
 * Table 2: four attacks x five tasks x No-Defense, Clean-FT, NAD, NAD-C and GBA. BadNets and
 * Embedding Poisoning plant "cf"; RIPPLe and NeuBA Table 5's list. Floor rows follow, which the paper
 * does not have: each attack's test on a model that was never attacked ({@link Attacks#floorOf}), with no
 * defense and after GBA, so each ASR is read against what its triggers do without a backdoor.
 */
public final class Table2 implements Experiment {
    static final List<String> DEFENSES = List.of(Defenses.NONE, Defenses.CLEAN_FT, Defenses.NAD, Defenses.NAD_C, Defenses.GBA);
    private static final List<String> LABELS = List.of("No-Defense", "Clean-FT", "NAD", "NAD-C", "GBA");
    /** Run order: GBA right after No-Defense, Clean-FT just before NAD and NAD-C (its teacher). */
    private static final List<String> RUN_ORDER = List.of(Defenses.NONE, Defenses.GBA, Defenses.CLEAN_FT, Defenses.NAD, Defenses.NAD_C);
    /** The defenses each attack's floor is measured after. */
    private static final List<String> FLOOR_DEFENSES = List.of(Defenses.NONE, Defenses.GBA);
    /**
     * The floors' run order: BadNets', RIPPLe's and Embedding Poisoning's adapt the same model alike, so they
     * run one after another and share one training ({@link SharedFloorDefense}); NeuBA's adapts the base model.
     */
    private static final List<String> FLOOR_ORDER = List.of(Attacks.BADNETS, Attacks.RIPPLE, Attacks.EP, Attacks.NEUBA);
    private static final List<String> FLOOR_LABELS = List.of("No-Defense (floor)", "GBA (floor)");

    @Override
    public String name() {
        return "table2";
    }

    @Override
    public String description() {
        return "ASR and ACC of No-Defense, Clean-FT, NAD, NAD-C and GBA against BadNets, NeuBA, RIPPLe and"
                + " Embedding Poisoning on Yelp, MR, HS, AG News and Fakeddit";
    }

    @Override
    public List<PaperDataset> defaultDatasets() {
        return PaperDataset.TABLE1;
    }

    @Override
    public List<Cell> cells(List<PaperDataset> datasets) {
        List<Cell> cells = new ArrayList<>();
        for (PaperDataset d : datasets) { // task by task, so a partial run still has whole columns
            for (String attack : PaperNumbers.ATTACKS) {
                for (String defense : RUN_ORDER) {
                    cells.add(new Cell(d.name(), attack, DefenseTable.trigger(attack), defense));
                }
            }
            for (String defense : FLOOR_DEFENSES) {
                for (String attack : FLOOR_ORDER) {
                    cells.add(new Cell(d.name(), Attacks.floorOf(attack), DefenseTable.trigger(attack), defense));
                }
            }
        }
        return cells;
    }

    @Override
    public double[] paper(Cell cell) {
        Map<String, double[]> byAttack = PaperNumbers.TABLE2.get(cell.defense());
        double[] row = byAttack == null ? null : byAttack.get(cell.attack());
        PaperDataset task = PaperDataset.of(cell.dataset());
        return row == null ? null : new double[] {PaperNumbers.at(row, task, false), PaperNumbers.at(row, task, true)};
    }

    @Override
    public String markdown(List<CellResult> results, List<PaperDataset> datasets) {
        List<DefenseTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < DEFENSES.size(); i++) {
            for (String attack : PaperNumbers.ATTACKS) {
                rows.add(new DefenseTable.Row(LABELS.get(i), DefenseTable.attackLabel(attack), DEFENSES.get(i), attack,
                        PaperNumbers.TABLE2.get(DEFENSES.get(i)).get(attack)));
            }
        }
        for (int i = 0; i < FLOOR_DEFENSES.size(); i++) {
            for (String attack : PaperNumbers.ATTACKS) {
                rows.add(new DefenseTable.Row(FLOOR_LABELS.get(i), DefenseTable.attackLabel(Attacks.floorOf(attack)),
                        FLOOR_DEFENSES.get(i), Attacks.floorOf(attack), null));
            }
        }
        return "Each entry: ours (paper's Table 2), percent; ours is the mean +/- std over the seeds run, or for one seed the"
                + " value [Wilson 95% interval over its test rows]. The floor rows repeat each attack's test (its triggers,"
                + " positions and targets) on a model fine-tuned on the attacker's rows without poison: an ASR is read"
                + " against them, not against zero.\n\n" + untunedRowsNote(results)
                + DefenseTable.render(rows, new Results(results), datasets);
    }

    /**
     * Says how many clean rows GBA had against NeuBA (and on its floor) where that differs from the other GBA cells
     * ({@link Profile#untunedAdaptsOnAttackerRows()}), read from the cells' own records; otherwise nothing.
     */
    static String untunedRowsNote(List<CellResult> results) {
        Set<String> untuned = new TreeSet<>();
        Set<String> tuned = new TreeSet<>();
        for (CellResult r : results) {
            String rows = r.config().get("train_rows");
            if (rows != null && Defenses.promptBased(r.cell().defense())) {
                (Backdoors.adaptsUntunedEncoder(r.cell().attack()) ? untuned : tuned).add(rows);
            }
        }
        if (untuned.isEmpty() || untuned.equals(tuned)) {
            return "";
        }
        return "GBA against NeuBA, and on its floor, adapts a pre-trained encoder that has not learned the task (NeuBA's,"
                + " the clean model) on " + String.join(" or ", untuned) + " clean rows, the attacker's, on which NeuBA's"
                + " victim was fine-tuned" + (tuned.isEmpty() ? "" : "; the other GBA cells adapt a fine-tuned classifier on "
                + String.join(" or ", tuned)) + " (reports/neuba-budget.md).\n\n";
    }
}
