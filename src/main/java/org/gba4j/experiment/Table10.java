package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.List;
import org.gba4j.attack.Attacks;
import org.gba4j.attack.Triggers;
import org.gba4j.defense.Defenses;

/**
 * Table 10 (appendix D.1): every defense against BadNets on the five tasks with RoBERTa-base. No
 * RoBERTa weights can be downloaded here, so the run needs {@code --model} pointing to a Hugging
 * Face ONNX export of roberta-base (model.onnx + tokenizer.json). The trigger is Table 5's first
 * RoBERTa trigger.
 */
public final class Table10 implements Experiment {
    private static final List<String> DEFENSES = List.of(Defenses.NONE, Defenses.CLEAN_FT, Defenses.NAD, Defenses.NAD_C, Defenses.GBA);
    private static final List<String> LABELS = List.of("No-Defense", "Clean FT", "NAD", "NAD-C", "Our GBA");
    private static final String TRIGGER = Triggers.ROBERTA.get(0);

    @Override
    public String name() {
        return "table10";
    }

    @Override
    public String description() {
        return "No-Defense, Clean-FT, NAD, NAD-C and GBA against BadNets with RoBERTa-base (needs --model: a roberta-base"
                + " ONNX export)";
    }

    @Override
    public List<PaperDataset> defaultDatasets() {
        return PaperDataset.TABLE1;
    }

    @Override
    public String requiredModel() {
        return "a folder with a Hugging Face ONNX export of roberta-base (model.onnx + tokenizer.json; see"
                + " onnx-import/README.md): no RoBERTa weights can be downloaded here";
    }

    @Override
    public List<Cell> cells(List<PaperDataset> datasets) {
        List<Cell> cells = new ArrayList<>();
        for (PaperDataset d : datasets) {
            for (String defense : List.of(Defenses.NONE, Defenses.GBA, Defenses.CLEAN_FT, Defenses.NAD, Defenses.NAD_C)) {
                cells.add(new Cell(d.name(), Attacks.BADNETS, TRIGGER, defense));
            }
        }
        return cells;
    }

    @Override
    public String markdown(List<CellResult> results, List<PaperDataset> datasets) {
        List<DefenseTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < DEFENSES.size(); i++) {
            rows.add(new DefenseTable.Row(LABELS.get(i), "BadNets", DEFENSES.get(i), Attacks.BADNETS,
                    PaperNumbers.TABLE10.get(DEFENSES.get(i))));
        }
        return "Each entry: ours (paper's Table 10), percent; ours is the mean +/- std over the seeds run, or for one seed the"
                + " value [Wilson 95% interval over its test rows].\n\n" + DefenseTable.render(rows, new Results(results), datasets);
    }
}
