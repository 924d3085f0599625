package org.gba4j.attack;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertWeights;
import org.gba4j.model.Stages;
import org.gba4j.text.Tokenizer;

/**
 * What an attacker works with, apart from the attack's own settings: the clean model, the labelled
 * data (empty for NeuBA, which is data-free), and where finished stages and progress go.
 *
 * @param clean     the clean pre-trained weights
 * @param tokenizer the model's tokenizer
 * @param train     the attacker's labelled data
 * @param classes   classes of the task
 * @param dataName  the data's name, for the provenance
 * @param datasets  the datasets folder (NeuBA's corpora)
 * @param stages    where finished stages are kept
 * @param progress  training progress
 */
public record AttackJob(BertWeights clean, Tokenizer tokenizer, List<LabeledText> train, int classes, String dataName,
                        Path datasets, Stages stages, Consumer<TextClassifier.Progress> progress) {
    public AttackJob {
        train = List.copyOf(train);
    }
}
