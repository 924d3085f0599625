package org.gba4j.experiment;

import java.util.List;

/**
 * One downstream task of section 4.3 with its prompt settings from Table 1: the label words (one
 * per class, in label order), the maximum sequence length, and the attacker's target class.
 *
 * @param name        folder under {@code datasets/}
 * @param title       the paper's column title
 * @param labelWords  Table 1's class tokens
 * @param maxLength   Table 1's maximum sequence length
 * @param target      the class every attack flips to: class 1 (positive / not hateful / sports /
 *                    real); the paper does not name its targets, so we fix one per task and write it
 *                    into every cell
 */
public record PaperDataset(String name, String title, List<String> labelWords, int maxLength, int target) {

    public static final PaperDataset YELP = new PaperDataset("yelp", "Yelp", List.of("terrible", "good"), 64, 1);
    public static final PaperDataset MR = new PaperDataset("mr", "MR", List.of("terrible", "good"), 64, 1);
    public static final PaperDataset HS = new PaperDataset("hs", "HS", List.of("hate", "friendly"), 32, 1);
    public static final PaperDataset AG_NEWS = new PaperDataset("agnews", "AG News",
            List.of("world", "sports", "business", "tech"), 64, 1);
    public static final PaperDataset FAKEDDIT = new PaperDataset("fakeddit", "Fakeddit", List.of("fake", "real"), 64, 1);

    /** The five tasks in the column order of Tables 2 and 12. */
    public static final List<PaperDataset> TABLE1 = List.of(YELP, MR, HS, AG_NEWS, FAKEDDIT);

    public PaperDataset {
        labelWords = List.copyOf(labelWords);
        if (target < 0 || target >= labelWords.size()) {
            throw new IllegalArgumentException(name + ": target " + target + " is not one of its classes");
        }
    }

    public int classes() {
        return labelWords.size();
    }

    /** A task by folder name; an unknown name is a one-line error listing the known ones. */
    public static PaperDataset of(String name) {
        return TABLE1.stream().filter(d -> d.name.equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown dataset '" + name + "'; choose from " + TABLE1.stream().map(PaperDataset::name).toList()));
    }
}
