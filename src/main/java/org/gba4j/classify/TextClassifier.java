package org.gba4j.classify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertModel;
import org.gba4j.model.NativeMemory;
import org.gba4j.train.Trainer;
import org.gba4j.train.TrainingConfig;
import org.gba4j.train.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A classifier over a {@link BertModel}: class {@code c} is predicted when the head's logit for
 * {@code candidates[c]} is the largest of the candidates. The candidates are label-word ids for the
 * prompt classifier (Eq. 1) and class indices for a fine-tuned classification head. One training
 * loop serves both: shuffled mini-batches, epochs, listeners.
 */
public class TextClassifier {
    private final BertModel model;
    private final BatchEncoder encoder;
    private final int[] candidates;

    public TextClassifier(BertModel model, BatchEncoder encoder, int[] candidates) {
        this.model = model;
        this.encoder = encoder;
        this.candidates = candidates.clone();
    }

    public BertModel model() {
        return model;
    }

    public int classes() {
        return candidates.length;
    }

    /**
     * Progress of one step of a long stage: a training step ({@link #TRAINING}, with its loss), or a
     * chunk of other long work such as the aimed scan (a named stage, loss NaN).
     */
    public record Progress(String stage, int epoch, int epochs, int step, int stepsPerEpoch, double loss,
                           double secondsPerStep) {
        /** The stage name of a training step. */
        public static final String TRAINING = "training";

        /** A training step. */
        public Progress(int epoch, int epochs, int step, int stepsPerEpoch, double loss, double secondsPerStep) {
            this(TRAINING, epoch, epochs, step, stepsPerEpoch, loss, secondsPerStep);
        }

        /** Step {@code step} of {@code steps} of the one-pass stage {@code stage} (no loss). */
        public static Progress of(String stage, int step, int steps, double secondsPerStep) {
            return new Progress(stage, 1, 1, step, steps, Double.NaN, secondsPerStep);
        }

        /** Steps of the stage done, counting every epoch's. */
        public int done() {
            return (epoch - 1) * stepsPerEpoch + step;
        }

        /** Steps of the whole stage. */
        public int total() {
            return epochs * stepsPerEpoch;
        }

        /** "loss 0.1234" for a training step, the stage's name otherwise. */
        public String describe() {
            return Double.isNaN(loss) ? stage : String.format(java.util.Locale.ROOT, "loss %.4f", loss);
        }
    }

    /** Trains for {@code epochs} passes; returns the mean loss of the last epoch. */
    public double train(List<LabeledText> data, TrainingConfig training, int epochs, int batchSize, long seed,
                        List<TrainingListener> listeners, Consumer<Progress> progress) {
        if (epochs < 1 || batchSize < 1 || data.isEmpty()) {
            throw new IllegalArgumentException("training needs at least one epoch, a batch of at least one and some data;"
                    + " got " + epochs + " epochs, batch " + batchSize + ", " + data.size() + " examples");
        }
        for (LabeledText example : data) {
            if (example.label() >= candidates.length) {
                throw new IllegalArgumentException("label " + example.label() + " outside the " + candidates.length + " classes");
            }
        }
        List<LabeledText> order = new ArrayList<>(data);
        Random random = new Random(seed);
        int steps = (order.size() + batchSize - 1) / batchSize;
        double epochLoss = Double.NaN;
        try (Trainer trainer = new Trainer(model, training, listeners)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                Collections.shuffle(order, random);
                double sum = 0;
                for (int s = 0; s < steps; s++) {
                    long start = System.nanoTime();
                    double loss = trainer.step(encoder.batch(order.subList(s * batchSize, Math.min(order.size(), (s + 1) * batchSize))));
                    sum += loss;
                    progress.accept(new Progress(epoch + 1, epochs, s + 1, steps, loss, (System.nanoTime() - start) / 1e9));
                }
                epochLoss = sum / steps;
            }
        }
        return epochLoss;
    }

    /** Predicted class of each example. */
    public int[] predict(List<LabeledText> examples) {
        double[][] logits = candidateLogits(examples, 32);
        int[] out = new int[examples.size()];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int c = 1; c < candidates.length; c++) {
                if (logits[i][c] > logits[i][best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * Each example's distribution over the classes: a softmax over the candidates' logits only (for
     * a prompt model, over the label words, as LM-BFF's regression interpolates between two poles).
     */
    public double[][] probabilities(List<LabeledText> examples) {
        return probabilities(examples, 32);
    }

    /** As {@link #probabilities(List)}, {@code batchSize} rows per forward pass (short probes run faster in big batches). */
    public double[][] probabilities(List<LabeledText> examples, int batchSize) {
        double[][] logits = candidateLogits(examples, batchSize);
        for (double[] row : logits) {
            double max = java.util.Arrays.stream(row).max().orElse(0);
            double sum = 0;
            for (int c = 0; c < row.length; c++) {
                row[c] = Math.exp(row[c] - max);
                sum += row[c];
            }
            for (int c = 0; c < row.length; c++) {
                row[c] /= sum;
            }
        }
        return logits;
    }

    private double[][] candidateLogits(List<LabeledText> examples, int batchSize) {
        double[][] out = new double[examples.size()][candidates.length];
        for (int start = 0; start < examples.size(); start += batchSize) {
            List<LabeledText> slice = examples.subList(start, Math.min(examples.size(), start + batchSize))
                    .stream().map(e -> e.withText(e.text(), 0)).toList();
            var batch = encoder.batch(slice);
            INDArray logits = model.logits(batch.tokens(), batch.positions());
            for (int i = 0; i < slice.size(); i++) {
                for (int c = 0; c < candidates.length; c++) {
                    out[start + i][c] = logits.getDouble(i, candidates[c]);
                }
            }
            NativeMemory.close(logits);
        }
        return out;
    }
}
