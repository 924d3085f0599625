package org.gba4j.experiment;

import java.util.function.Supplier;
import org.gba4j.classify.TextClassifier;
import org.gba4j.model.BertWeights;

/**
 * The last floor cell's defended model, for the next floor cell: floors measured as different attacks
 * ({@link org.gba4j.attack.NeverAttacked}) share one never-attacked model, so a defense with the same
 * settings trains the same weights for each of them and only the scoring differs. One entry, matched by
 * the very weights the defense starts from and its settings; a grid runs such cells one after another.
 */
final class SharedFloorDefense {
    /** What a kept model was trained from, and the model. */
    private record Kept(BertWeights classifier, BertWeights encoder, String settings, TextClassifier defended) {
    }

    private Kept kept;

    /** The defended model for these inputs: the kept one if the inputs are the same objects and settings. */
    TextClassifier get(BertWeights classifier, BertWeights encoder, String settings, Supplier<TextClassifier> defend) {
        if (kept == null || classifier != kept.classifier() || encoder != kept.encoder()
                || !settings.equals(kept.settings())) {
            kept = null; // let the previous one go before training the next
            kept = new Kept(classifier, encoder, settings, defend.get());
        }
        return kept.defended();
    }

    /** Lets the kept model go (another kind of cell runs next; a bert-base one holds gigabytes). */
    void clear() {
        kept = null;
    }
}
