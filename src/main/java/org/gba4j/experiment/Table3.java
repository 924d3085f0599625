package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.List;
import org.gba4j.attack.Attacks;
import org.gba4j.defense.Defenses;

/**
 * Table 3 (section 5.4): GBA against BadNets on HS with soft-template widths 2 to 16, lambda 0.5,
 * 3 epochs, 5% of the clean training data. Width 16 needs 2 x 16 template tokens plus the text, so
 * every width runs at 64 tokens (Table 1 gives HS 32, which cannot hold it); the cells say so.
 */
public final class Table3 implements Experiment {
    static final List<Integer> WIDTHS = List.of(2, 4, 8, 12, 16);

    @Override
    public String name() {
        return "table3";
    }

    @Override
    public String description() {
        return "GBA against BadNets on HS with prompt widths 2, 4, 8, 12, 16 (5% of the clean data)";
    }

    @Override
    public List<PaperDataset> defaultDatasets() {
        return List.of(PaperDataset.HS);
    }

    @Override
    public List<Cell> cells(List<PaperDataset> datasets) {
        List<Cell> cells = new ArrayList<>();
        for (PaperDataset d : datasets) {
            for (int width : WIDTHS) {
                cells.add(new Cell(d.name(), Attacks.BADNETS, "cf", Defenses.GBA).with("width", Integer.toString(width))
                        .with("fraction", "0.05").with("max_length", "64"));
            }
        }
        return cells;
    }

    @Override
    public String markdown(List<CellResult> results, List<PaperDataset> datasets) {
        Results r = new Results(results);
        StringBuilder out = new StringBuilder("Each entry: ours (paper's Table 3, where its text is legible), percent.\n\n");
        for (PaperDataset d : datasets) {
            List<String> header = new ArrayList<>(List.of(d.title()));
            List<String> asr = new ArrayList<>(List.of("ASR"));
            List<String> acc = new ArrayList<>(List.of("ACC"));
            for (int width : WIDTHS) {
                header.add("width " + width);
                double[] paper = PaperNumbers.TABLE3.get(width);
                var which = (java.util.function.Predicate<Cell>) c -> c.dataset().equals(d.name())
                        && c.param("width", "").equals(Integer.toString(width));
                asr.add(MarkdownTable.versus(r.metric(which, "asr"), paper == null ? Double.NaN : paper[0]));
                acc.add(MarkdownTable.versus(r.metric(which, "acc"), paper == null ? Double.NaN : paper[1]));
            }
            out.append(new MarkdownTable(header).row(asr).row(acc).render()).append('\n');
        }
        return out.toString();
    }
}
