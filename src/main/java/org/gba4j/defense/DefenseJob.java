package org.gba4j.defense;

import java.util.List;
import java.util.function.Consumer;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertWeights;
import org.gba4j.model.Stages;
import org.gba4j.text.Tokenizer;

/**
 * What a defender works with, apart from the defense's own settings.
 *
 * @param backdoored the downloaded model as a classifier (with its head, if it has one)
 * @param encoder    what prompt-based adaptation starts from: the same weights, or a backdoored
 *                   pre-trained encoder (NeuBA's; a user adapts the downloaded model)
 * @param tokenizer  the model's tokenizer
 * @param clean      the defender's clean labelled data
 * @param classes    classes of the task
 * @param labelWords one word per class (prompt-based defenses)
 * @param cleanModel NAD-C's clean pre-trained student; null for the other defenses
 * @param stages     where finished stages (NAD's teacher) are kept
 * @param progress   training progress
 * @param scanRows   clean rows held out from {@code clean} for the aimed scan (empty: it scans {@code clean})
 */
public record DefenseJob(BertWeights backdoored, BertWeights encoder, Tokenizer tokenizer, List<LabeledText> clean,
                         int classes, List<String> labelWords, BertWeights cleanModel, Stages stages,
                         Consumer<TextClassifier.Progress> progress, List<LabeledText> scanRows) {
    public DefenseJob {
        clean = List.copyOf(clean);
        scanRows = List.copyOf(scanRows);
        labelWords = List.copyOf(labelWords);
    }

    /** A job whose aimed scan, if any, checks the adaptation's own rows. */
    public DefenseJob(BertWeights backdoored, BertWeights encoder, Tokenizer tokenizer, List<LabeledText> clean,
                      int classes, List<String> labelWords, BertWeights cleanModel, Stages stages,
                      Consumer<TextClassifier.Progress> progress) {
        this(backdoored, encoder, tokenizer, clean, classes, labelWords, cleanModel, stages, progress, List.of());
    }
}
