package org.gba4j.attack;

import java.nio.file.Path;
import java.util.List;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.data.ProjectDatasets;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertWeights;

/**
 * The small real slice the attack tests share: MR (first 400 training and 200 test sentences) on
 * MiniLM, max length 32, and a clean fine-tune of it with BadNets' quick settings as the baseline.
 */
final class AttackSlice {
    static final int MAX_LENGTH = 32;
    static final List<LabeledText> TRAIN = new ProjectDatasets(Path.of("datasets")).load("mr", "train").subList(0, 400);
    static final List<LabeledText> TEST = new ProjectDatasets(Path.of("datasets")).load("mr", "test").subList(0, 200);

    private AttackSlice() {
    }

    static TextClassifier classifier(BertWeights weights, PretrainedModel pretrained) {
        return BadNets.Config.quick("cf", 1).fineTuning().classifier(weights, pretrained.tokenizer(), 2);
    }

    /** Clean fine-tune with the same budget as the quick BadNets (lr, epochs, batch). */
    static TextClassifier cleanFineTune(PretrainedModel pretrained) {
        return BadNets.Config.quick("cf", 1).fineTuning().run(pretrained.weights(), pretrained.tokenizer(), TRAIN, 2,
                List.of(), p -> { });
    }
}
