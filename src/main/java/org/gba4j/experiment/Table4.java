package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.List;
import org.gba4j.attack.Attacks;
import org.gba4j.defense.Defenses;

/**
 * Table 4 (appendix A): a BadNets-backdoored Fakeddit classifier, raw, defended by GBA, or
 * defended by NAD-C (the section's text compares GBA with NAD-C; the table's row says NAD), then
 * fine-tuned on another task for the profile's epochs; ACC on that task. The tasks given with
 * {@code --datasets} are the adaptation targets.
 */
public final class Table4 implements Experiment {
    private static final List<String> MODELS = List.of(Defenses.NONE, Defenses.GBA, Defenses.NAD_C);
    private static final List<String> LABELS = List.of("Raw backdoored model", "Defended by GBA", "Defended by NAD-C");

    @Override
    public String name() {
        return "table4";
    }

    @Override
    public String description() {
        return "further adaptation of the raw, GBA- and NAD-C-defended Fakeddit model to Yelp, MR, HS and AG News";
    }

    @Override
    public List<PaperDataset> defaultDatasets() {
        return List.of(PaperDataset.YELP, PaperDataset.MR, PaperDataset.HS, PaperDataset.AG_NEWS);
    }

    @Override
    public List<Cell> cells(List<PaperDataset> targets) {
        List<Cell> cells = new ArrayList<>();
        for (PaperDataset target : targets) {
            for (String defense : MODELS) {
                cells.add(new Cell(PaperDataset.FAKEDDIT.name(), Attacks.BADNETS, "cf", defense).with("adapt_to", target.name()));
            }
        }
        return cells;
    }

    @Override
    public String markdown(List<CellResult> results, List<PaperDataset> targets) {
        Results r = new Results(results);
        List<String> header = new ArrayList<>(List.of("Adaptation scenario"));
        targets.forEach(t -> header.add("Fakeddit -> " + t.title()));
        MarkdownTable table = new MarkdownTable(header);
        List<PaperDataset> paperOrder = List.of(PaperDataset.YELP, PaperDataset.MR, PaperDataset.HS, PaperDataset.AG_NEWS);
        for (int i = 0; i < MODELS.size(); i++) {
            String model = MODELS.get(i);
            List<String> row = new ArrayList<>(List.of(LABELS.get(i)));
            for (PaperDataset t : targets) {
                int column = paperOrder.indexOf(t);
                double paper = column < 0 ? Double.NaN : PaperNumbers.TABLE4.get(model)[column];
                row.add(MarkdownTable.versus(r.metric(c -> c.defense().equals(model)
                        && c.param("adapt_to", "").equals(t.name()), "acc"), paper));
            }
            table.row(row);
        }
        return "ACC on the new task after fine-tuning; each entry: ours (paper's Table 4), percent. The three models"
                + " adapt on the same rows of the new task (how many: `further_adaptation` in the CSV); a defended"
                + " prompt model keeps adapting as a prompt model (PT+soft with the new task's label words), the raw"
                + " and NAD-C models get a fresh classification head.\n\n" + table.render();
    }
}
