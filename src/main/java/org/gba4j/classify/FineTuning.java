package org.gba4j.classify;

import java.util.List;
import java.util.function.Consumer;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.ClassifierHead;
import org.gba4j.model.GraphSpec;
import org.gba4j.text.Tokenizer;
import org.gba4j.train.TrainingConfig;
import org.gba4j.train.TrainingListener;

/**
 * Standard fine-tuning with a classification head on [CLS], every weight trainable: how victims
 * adapt a model, how the attacker builds a proxy, and the Clean-FT defense. A model without a head
 * gets a fresh one; a model with one (a backdoored classifier) keeps it.
 *
 * @param learningRate Adam step size
 * @param epochs       passes over the data
 * @param batchSize    examples per step
 * @param maxLength    tokens per input
 * @param seed         head initialisation and shuffling
 */
public record FineTuning(double learningRate, int epochs, int batchSize, int maxLength, long seed) {

    /** A classifier over {@code weights} (adding a head for {@code classes} if it has none), untrained. */
    public TextClassifier classifier(BertWeights weights, Tokenizer tokenizer, int classes) {
        return classifier(weights, tokenizer, classes, GraphSpec.classifier(classes));
    }

    public TextClassifier classifier(BertWeights weights, Tokenizer tokenizer, int classes, GraphSpec spec) {
        BertWeights withHead = ClassifierHead.has(weights) ? weights : ClassifierHead.initialise(weights, classes, seed);
        return new TextClassifier(BertModel.of(withHead, maxLength, spec), new HeadEncoder(tokenizer, maxLength),
                java.util.stream.IntStream.range(0, classes).toArray());
    }

    /** Fine-tunes on {@code data}; returns the trained classifier. */
    public TextClassifier run(BertWeights weights, Tokenizer tokenizer, List<LabeledText> data, int classes,
                              List<TrainingListener> listeners, Consumer<TextClassifier.Progress> progress) {
        TextClassifier classifier = classifier(weights, tokenizer, classes);
        train(classifier, data, listeners, progress);
        return classifier;
    }

    public void train(TextClassifier classifier, List<LabeledText> data, List<TrainingListener> listeners,
                      Consumer<TextClassifier.Progress> progress) {
        classifier.train(data, TrainingConfig.adam(learningRate), epochs, batchSize, seed, listeners, progress);
    }
}
