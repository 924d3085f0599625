package org.gba4j.prompt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.gba4j.data.LabeledText;
import org.gba4j.defense.GradientBroadcast;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.text.Tokenizer;
import org.gba4j.train.MaskedTokenBatch;
import org.gba4j.train.Trainer;
import org.gba4j.train.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The prompt-based classifier of section 3.3: cross-entropy of the class token over the whole
 * vocabulary at [MASK] (Eq. 1) for training, argmax over the task's label words for prediction.
 * With {@link PromptMode#GBA} the training adds {@link GradientBroadcast}.
 */
public final class PromptClassifier {
    private final BertModel model;
    private final PromptEncoder encoder;
    private final LabelWords labels;
    private final PromptConfig config;

    public PromptClassifier(BertWeights weights, Tokenizer tokenizer, LabelWords labels, PromptConfig config) {
        this.model = BertModel.of(weights, config.maxLength(), config.temperature());
        this.encoder = new PromptEncoder(tokenizer, config.templateWidth(), config.maxLength());
        this.labels = labels;
        this.config = config;
    }

    public BertModel model() {
        return model;
    }

    public PromptEncoder encoder() {
        return encoder;
    }

    public LabelWords labels() {
        return labels;
    }

    /** Progress of one training step. */
    public record Progress(int epoch, int step, int stepsPerEpoch, double loss, double secondsPerStep) {
    }

    /**
     * Adapts the model on {@code train} for the configured epochs; {@code extra} listeners run after
     * the broadcast. Returns the mean loss of the last epoch.
     */
    public double train(List<LabeledText> train, List<TrainingListener> extra, Consumer<Progress> progress) {
        for (LabeledText example : train) {
            labels.id(example.label());
        }
        List<TrainingListener> listeners = new ArrayList<>();
        if (config.mode().usesBroadcast()) {
            listeners.add(new GradientBroadcast(config.lambda(), config.ratioCap()));
        }
        listeners.addAll(extra);
        Trainer trainer = new Trainer(model, config.training(), listeners);
        List<LabeledText> order = new ArrayList<>(train);
        Random random = new Random(config.seed());
        int steps = (order.size() + config.batchSize() - 1) / config.batchSize();
        double epochLoss = Double.NaN;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            Collections.shuffle(order, random);
            double sum = 0;
            for (int s = 0; s < steps; s++) {
                long start = System.nanoTime();
                List<LabeledText> slice = order.subList(s * config.batchSize(),
                        Math.min(order.size(), (s + 1) * config.batchSize()));
                double loss = trainer.step(encoder.batch(slice, labels));
                sum += loss;
                progress.accept(new Progress(epoch + 1, s + 1, steps, loss, (System.nanoTime() - start) / 1e9));
            }
            epochLoss = sum / steps;
        }
        return epochLoss;
    }

    /** Predicted class of each example: the label word with the highest logit at [MASK]. */
    public int[] predict(List<LabeledText> examples) {
        int[] out = new int[examples.size()];
        for (int start = 0; start < examples.size(); start += config.batchSize()) {
            List<LabeledText> slice = examples.subList(start, Math.min(examples.size(), start + config.batchSize()));
            MaskedTokenBatch batch = encoder.batch(slice.stream().map(e -> e.withText(e.text(), 0)).toList(), labels);
            INDArray logits = model.logits(batch.tokens(), batch.positions());
            for (int i = 0; i < slice.size(); i++) {
                int best = 0;
                for (int c = 1; c < labels.classes(); c++) {
                    if (logits.getDouble(i, labels.ids()[c]) > logits.getDouble(i, labels.ids()[best])) {
                        best = c;
                    }
                }
                out[start + i] = best;
            }
        }
        return out;
    }
}
