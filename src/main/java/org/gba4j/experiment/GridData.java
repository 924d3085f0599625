package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gba4j.data.LabeledText;
import org.gba4j.data.ProjectDatasets;

/**
 * The task data of a grid: each split verified against its checksum, then a seeded random sample
 * of the profile's size. {@link #verify} runs over every task before any training, so a damaged
 * file stops a run at once, not hours into it.
 */
public final class GridData {
    private final ProjectDatasets datasets;
    private final Profile profile;
    private final long seed;
    private final Map<String, List<LabeledText>> cache = new HashMap<>();

    public GridData(ProjectDatasets datasets, Profile profile, long seed) {
        this.datasets = datasets;
        this.profile = profile;
        this.seed = seed;
    }

    public ProjectDatasets datasets() {
        return datasets;
    }

    /** Loads and checks every split the tasks need (train and test). */
    public void verify(Collection<PaperDataset> tasks) {
        for (PaperDataset task : tasks) {
            split(task, "train");
            split(task, task.testSplit());
        }
    }

    /** The profile's clean training sample. */
    public List<LabeledText> train(PaperDataset task) {
        return trainSample(task, profile.trainRows());
    }

    /**
     * The attacker's clean sample: the profile's {@link Profile#attackerRows()} from the same seeded shuffle as
     * {@link #train}, so the defender's rows are among the attacker's.
     */
    public List<LabeledText> attackTrain(PaperDataset task) {
        return trainSample(task, profile.attackerRows());
    }

    /** The first {@code rows} of the train split's seeded shuffle (its two-pole classes drawn for regression). */
    private List<LabeledText> trainSample(PaperDataset task, int rows) {
        return poles(task, sample(split(task, "train"), rows, seed));
    }

    /** A share of the whole training split (Figure 2, Table 3): at least one example per class. */
    public List<LabeledText> trainFraction(PaperDataset task, double fraction) {
        List<LabeledText> all = split(task, "train");
        int rows = Math.max(task.classes(), (int) Math.round(all.size() * fraction));
        return poles(task, sample(all, rows, seed));
    }

    /**
     * The clean rows prompt-based adaptation (PT, PT+soft, GBA) uses: the profile's {@code promptFraction} of the whole
     * training split where it sets one (sections 5.4 and C: 5%), otherwise the same sample as every defense.
     */
    public List<LabeledText> promptTrain(PaperDataset task) {
        return profile.promptFraction() > 0 ? trainFraction(task, profile.promptFraction()) : train(task);
    }

    public List<LabeledText> test(PaperDataset task) {
        return sample(split(task, task.testSplit()), profile.testRows(), seed + 1);
    }

    /**
     * A sample of the dev split, as large as the test sample: where hyperparameters are chosen. A task
     * measured on its dev split (CoLA, RTE, STS-B) has none left and is refused.
     */
    public List<LabeledText> dev(PaperDataset task) {
        if (task.testSplit().equals("dev")) {
            throw new IllegalArgumentException(task.name() + " is measured on its dev split; it has no separate dev split");
        }
        return sample(split(task, "dev"), profile.testRows(), devSeed());
    }

    /**
     * The aimed scan's held-out clean rows ({@code aim=held-out} or {@code both}): as many as {@link #promptTrain} from
     * the dev split's seeded shuffle, after the rows {@link #dev} scores, so the scan never sees a row a dev score
     * counts (nor a test row). Refused where the dev split has no row left over.
     */
    public List<LabeledText> heldOutScan(PaperDataset task) {
        List<LabeledText> all = split(task, "dev");
        int scored = dev(task).size();
        if (scored >= all.size()) {
            throw new IllegalArgumentException(task.name() + "'s dev split (" + all.size() + " rows) is all scored by the "
                    + profile.name() + " profile: no rows are left for a held-out scan; use --aim");
        }
        List<LabeledText> shuffled = shuffled(all, devSeed());
        return List.copyOf(shuffled.subList(scored, Math.min(all.size(), scored + promptTrain(task).size())));
    }

    /** The seed of the dev split's shuffle: {@link #dev} scores its first rows, {@link #heldOutScan} takes the next. */
    private long devSeed() {
        return seed + 3;
    }

    /**
     * Regression rows train towards LM-BFF's two-pole target p(high) = score / max. Our training loss
     * is cross-entropy on one class token, so each row's class is drawn once from that target
     * (seeded): an unbiased one-sample estimate of the soft-target cross-entropy.
     */
    private List<LabeledText> poles(PaperDataset task, List<LabeledText> rows) {
        if (!task.isRegression()) {
            return rows;
        }
        Random random = new Random(seed + 2);
        return rows.stream().map(r -> new LabeledText(r.text(), r.second(),
                random.nextDouble() < r.score() / task.columns().scoreMax() ? 1 : 0, r.score())).toList();
    }

    private List<LabeledText> split(PaperDataset task, String split) {
        return cache.computeIfAbsent(task.name() + "/" + split, k -> {
            List<LabeledText> rows = datasets.load(task.folder(), split, task.columns());
            for (LabeledText row : rows) {
                if (row.label() < 0 || row.label() >= task.classes()) {
                    throw new IllegalArgumentException(task.name() + "/" + split + " has label " + row.label()
                            + ", outside the " + task.classes() + " classes of Table 1");
                }
            }
            return rows;
        });
    }

    static List<LabeledText> sample(List<LabeledText> rows, int size, long seed) {
        if (size <= 0 || size >= rows.size()) {
            return rows;
        }
        return List.copyOf(shuffled(rows, seed).subList(0, size));
    }

    private static List<LabeledText> shuffled(List<LabeledText> rows, long seed) {
        List<LabeledText> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(seed));
        return shuffled;
    }
}
