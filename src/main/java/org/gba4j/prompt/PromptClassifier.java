package org.gba4j.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.text.Tokenizer;
import org.gba4j.train.TrainingListener;

/**
 * The prompt-based classifier of section 3.3: cross-entropy of the class token over the whole
 * vocabulary at [MASK] (Eq. 1) for training, argmax over the task's label words for prediction.
 * With {@link PromptMode#GBA} the training adds {@link GradientBroadcast}; with {@link PromptConfig#aim()} on,
 * training ends with a {@link TriggerScan} (and, if the scan asks, a {@link RepresentationProbe} of the encoder as
 * it was before training).
 *
 * <p>The soft template's rows come from {@link SoftTemplate}: for a vocabulary without reserved
 * tokens (RoBERTa) the model trains, and {@link #model()}{@code .weights()} returns, a word-embedding
 * matrix with the template rows appended.
 */
public final class PromptClassifier extends TextClassifier {
    private final PromptEncoder encoder;
    private final LabelWords labels;
    private final PromptConfig config;
    private List<TriggerScan.Suspect> suspects = List.of();

    public PromptClassifier(BertWeights weights, Tokenizer tokenizer, LabelWords labels, PromptConfig config) {
        this(SoftTemplate.of(weights, tokenizer, config.templateWidth()), tokenizer, labels, config);
    }

    private PromptClassifier(SoftTemplate template, Tokenizer tokenizer, LabelWords labels, PromptConfig config) {
        this(BertModel.of(template.weights(), config.maxLength(), config.temperature()),
                new PromptEncoder(tokenizer, template.ids(), config.maxLength()), labels, config);
    }

    private PromptClassifier(BertModel model, PromptEncoder encoder, LabelWords labels, PromptConfig config) {
        super(model, examples -> encoder.batch(examples, labels), labels.ids());
        this.encoder = encoder;
        this.labels = labels;
        this.config = config;
    }

    /**
     * A classifier over a copy of the current weights that reads inputs of {@code maxLength} tokens:
     * short probes cost a fraction of a full-length batch.
     */
    public PromptClassifier resized(int maxLength) {
        PromptConfig shorter = config.withTraining(config.learningRate(), config.epochs(), config.batchSize(), maxLength);
        return new PromptClassifier(BertModel.of(model().weights(), maxLength, config.temperature()),
                encoder.withMaxLength(maxLength), labels, shorter);
    }

    public PromptConfig config() {
        return config;
    }

    public PromptEncoder encoder() {
        return encoder;
    }

    public LabelWords labels() {
        return labels;
    }

    /**
     * Adapts the model on {@code train} as the config says; {@code extra} listeners run after the
     * broadcast. Returns the mean loss of the last epoch.
     */
    public double train(List<LabeledText> train, List<TrainingListener> extra, Consumer<Progress> progress) {
        return train(train, List.of(), extra, progress);
    }

    /**
     * As {@link #train(List, List, Consumer)}; an aimed training's scan probes and checks {@code scanRows}, clean rows
     * held out from {@code train} ({@link TriggerScan#scan(PromptClassifier, Tokenizer, List, List, TriggerScan.Config,
     * Consumer)}), or {@code train} itself when there are none; with {@link TriggerScan.Config#alsoAdapted()} both.
     */
    public double train(List<LabeledText> train, List<LabeledText> scanRows, List<TrainingListener> extra,
                        Consumer<Progress> progress) {
        List<TrainingListener> listeners = new ArrayList<>();
        if (config.mode().usesBroadcast()) {
            listeners.add(new GradientBroadcast(config.broadcast()));
        }
        listeners.addAll(extra);
        int consistent = config.aim().consistent();
        List<Integer> probed = List.of();
        double[] consistency = new double[0];
        if (consistent > 0) {
            // the downloaded encoder, before adaptation: a planted mapping is whole there (RepresentationProbe)
            probed = TriggerScan.ids(TriggerScan.eligible(this, encoder.tokenizer(), train, scanRows));
            consistency = RepresentationProbe.consistency(model().weights(), encoder.tokenizer(), probed,
                    scanRows.isEmpty() ? train : scanRows, RepresentationProbe.Rows.DISTINCT, progress);
        }
        double loss = train(train, config.training(), config.epochs(), config.batchSize(), config.seed(), listeners, progress);
        if (config.aim().enabled()) {
            List<TriggerScan.Suspect> found = TriggerScan.scan(this, encoder.tokenizer(), train, scanRows, config.aim(),
                    progress);
            suspects = List.copyOf(RepresentationProbe.withMostConsistent(found, consistency, probed, consistent,
                    encoder.tokenizer()));
            config.aim().pull().pull(model().wordEmbeddings(), suspects, labels.ids(), encoder.tokenizer().padId());
        }
        return loss;
    }

    /** The rows the last aimed training moved ({@link PromptConfig#aim()}); empty otherwise. */
    public List<TriggerScan.Suspect> suspects() {
        return suspects;
    }
}
