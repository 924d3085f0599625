package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.List;
import org.gba4j.data.CsvDataset;

/**
 * One downstream task with its prompt settings: the five classification tasks of section 4.3 with
 * Table 1's label words and lengths, and the GLUE tasks of appendix D.2 with LM-BFF's label words
 * (Gao et al. 2021), lowercased for uncased vocabularies.
 *
 * @param name       the name used on the command line
 * @param title      the paper's column title
 * @param folder     folder under {@code datasets/}
 * @param columns    the CSV columns (text, optional second text, label or score)
 * @param labelWords one class token per class, in label order
 * @param maxLength  the maximum sequence length (Table 1; GLUE: 128, LM-BFF's)
 * @param target     the class every attack flips to: class 1 (positive / not hateful / sports /
 *                   real / acceptable / paraphrase / not entailment / high similarity); the paper does
 *                   not name its targets, so we fix one per task and write it into every cell
 * @param testSplit  the labelled split measured (GLUE's test labels are private: CoLA, RTE and
 *                   STS-B are measured on dev)
 * @param metric     acc (with ASR), mcc (Matthews, with ASRR) or pearson (STS-B, with ASRR)
 */
public record PaperDataset(String name, String title, String folder, CsvDataset.Columns columns, List<String> labelWords,
                           int maxLength, int target, String testSplit, String metric) {

    public static final PaperDataset YELP = table1("yelp", "Yelp", List.of("terrible", "good"), 64);
    public static final PaperDataset MR = table1("mr", "MR", List.of("terrible", "good"), 64);
    public static final PaperDataset HS = table1("hs", "HS", List.of("hate", "friendly"), 32);
    public static final PaperDataset AG_NEWS = table1("agnews", "AG News", List.of("world", "sports", "business", "tech"), 64);
    public static final PaperDataset FAKEDDIT = table1("fakeddit", "Fakeddit", List.of("fake", "real"), 64);

    /** The five tasks in the column order of Tables 2 and 12. */
    public static final List<PaperDataset> TABLE1 = List.of(YELP, MR, HS, AG_NEWS, FAKEDDIT);

    private static final CsvDataset.Columns SENTENCE = new CsvDataset.Columns("sentence", null, "label");
    private static final CsvDataset.Columns PAIR = new CsvDataset.Columns("sentence1", "sentence2", "label");

    public static final PaperDataset COLA = new PaperDataset("cola", "CoLA", "glue/cola", SENTENCE,
            List.of("incorrect", "correct"), 128, 1, "dev", "mcc");
    public static final PaperDataset SST2 = new PaperDataset("sst2", "SST-2", "glue/sst2", SENTENCE,
            List.of("terrible", "great"), 128, 1, "test", "acc");
    public static final PaperDataset MRPC = new PaperDataset("mrpc", "MRPC", "glue/mrpc", PAIR, List.of("no", "yes"),
            128, 1, "test", "acc");
    public static final PaperDataset RTE = new PaperDataset("rte", "RTE", "glue/rte",
            new CsvDataset.Columns("sentence1", "sentence2", "label", List.of("entailment", "not_entailment"), 0),
            List.of("yes", "no"), 128, 1, "dev", "acc");
    public static final PaperDataset STSB = new PaperDataset("stsb", "STS-B", "glue/stsb",
            new CsvDataset.Columns("sentence1", "sentence2", "score", null, 5), List.of("no", "yes"), 128, 1, "dev",
            "pearson");

    /** The GLUE tasks obtainable offline, in Table 11's column order (QNLI, QQP and MNLI are not). */
    public static final List<PaperDataset> GLUE = List.of(COLA, SST2, MRPC, RTE, STSB);

    public PaperDataset {
        labelWords = List.copyOf(labelWords);
        if (target < 0 || target >= labelWords.size()) {
            throw new IllegalArgumentException(name + ": target " + target + " is not one of its classes");
        }
    }

    private static PaperDataset table1(String name, String title, List<String> labelWords, int maxLength) {
        return new PaperDataset(name, title, name, CsvDataset.Columns.SINGLE, labelWords, maxLength, 1, "test", "acc");
    }

    public int classes() {
        return labelWords.size();
    }

    /** STS-B: a score in [0, scoreMax] predicted as scoreMax x p(high pole). */
    public boolean isRegression() {
        return columns.scoreMax() > 0;
    }

    /** A task by name; an unknown name is a one-line error listing the known ones. */
    public static PaperDataset of(String name) {
        List<PaperDataset> all = new ArrayList<>(TABLE1);
        all.addAll(GLUE);
        return all.stream().filter(d -> d.name.equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown dataset '" + name + "'; choose from " + all.stream().map(PaperDataset::name).toList()
                        + " (QNLI, QQP and MNLI are not obtainable offline)"));
    }
}
