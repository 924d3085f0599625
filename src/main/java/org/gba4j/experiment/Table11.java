package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.List;
import org.gba4j.attack.Attacks;
import org.gba4j.defense.Defenses;

/**
 * Table 11 (appendix D.2): No-Defense, Clean-FT and GBA against BadNets on the GLUE tasks
 * obtainable offline: CoLA (Matthews, ASRR), SST-2, MRPC, RTE (ACC, ASR) and STS-B (Pearson,
 * ASRR). QNLI, QQP and MNLI are not in {@code datasets/} (no offline source), so their columns are
 * absent. Pairs use the template {@code [CLS] x1 [SEP] x2 [SEP] [a]^k [MASK] [a]^k}.
 */
public final class Table11 implements Experiment {
    private static final List<String> DEFENSES = List.of(Defenses.NONE, Defenses.CLEAN_FT, Defenses.GBA);
    private static final List<String> LABELS = List.of("No-Defense", "Clean FT", "Our GBA");

    @Override
    public String name() {
        return "table11";
    }

    @Override
    public String description() {
        return "No-Defense, Clean-FT and GBA against BadNets on GLUE: CoLA, SST-2, MRPC, RTE, STS-B"
                + " (QNLI, QQP, MNLI are not obtainable offline)";
    }

    @Override
    public List<PaperDataset> defaultDatasets() {
        return PaperDataset.GLUE;
    }

    @Override
    public List<Cell> cells(List<PaperDataset> datasets) {
        List<Cell> cells = new ArrayList<>();
        for (PaperDataset d : datasets) {
            for (String defense : List.of(Defenses.NONE, Defenses.GBA, Defenses.CLEAN_FT)) {
                cells.add(new Cell(d.name(), Attacks.BADNETS, "cf", defense));
            }
        }
        return cells;
    }

    @Override
    public String markdown(List<CellResult> results, List<PaperDataset> datasets) {
        Results r = new Results(results);
        List<String> header = new ArrayList<>(List.of("Method"));
        for (PaperDataset d : datasets) {
            boolean correlation = !d.metric().equals("acc");
            header.add(d.title() + (correlation ? " ASRR" : " ASR"));
            header.add(d.title() + switch (d.metric()) {
                case "mcc" -> " Matt.";
                case "pearson" -> " Pear.";
                default -> " ACC";
            });
        }
        MarkdownTable table = new MarkdownTable(header);
        for (int i = 0; i < DEFENSES.size(); i++) {
            String defense = DEFENSES.get(i);
            List<String> row = new ArrayList<>(List.of(LABELS.get(i)));
            double[] paper = PaperNumbers.TABLE11.get(defense);
            for (PaperDataset d : datasets) {
                var which = Results.cell(d.name(), Attacks.BADNETS, defense);
                if (d.metric().equals("acc")) {
                    row.add(MarkdownTable.versus(r.metric(which, "asr"), PaperNumbers.at(paper, d, false)));
                    row.add(MarkdownTable.versus(r.metric(which, "acc"), PaperNumbers.at(paper, d, true)));
                } else {
                    row.add(MarkdownTable.versusAsIs(r.metric(which, "asrr"), PaperNumbers.at(paper, d, false)));
                    row.add(MarkdownTable.versusAsIs(r.metric(which, d.metric()), PaperNumbers.at(paper, d, true)));
                }
            }
            table.row(row);
        }
        return "Each entry: ours (paper's Table 11). ASR and ACC in percent; ASRR (Eq. 6), Matthews and Pearson"
                + " correlations as fractions, as the paper prints them. QNLI, QQP and MNLI: not obtainable offline, not"
                + " run.\n\n" + table.render();
    }
}
