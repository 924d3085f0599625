package org.gba4j.train;

import java.util.function.Predicate;

/**
 * Optimiser settings of a training run. Adam as in every table of the paper (Tables 6-9); plain
 * SGD as in Eq. 2, where the paper introduces the gradient broadcast.
 *
 * @param optimizer    "adam" or "sgd"
 * @param learningRate step size
 * @param beta1        Adam first-moment decay
 * @param beta2        Adam second-moment decay
 * @param epsilon      Adam denominator guard
 * @param trainable    which canonical weight names are updated (all by default)
 * @param embeddingLearningRate the word-embedding matrix's own step size; 0 = {@code learningRate}
 */
public record TrainingConfig(String optimizer, double learningRate, double beta1, double beta2, double epsilon,
                             Predicate<String> trainable, double embeddingLearningRate) {

    public TrainingConfig {
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("optimizer must be adam or sgd, got " + optimizer);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (embeddingLearningRate < 0) {
            throw new IllegalArgumentException("the embedding learning rate must not be negative, got " + embeddingLearningRate);
        }
    }

    /** Adam with PyTorch's defaults (beta 0.9/0.999, eps 1e-8), every weight trainable. */
    public static TrainingConfig adam(double learningRate) {
        return new TrainingConfig("adam", learningRate, 0.9, 0.999, 1e-8, name -> true, 0);
    }

    /** Plain SGD, {@code theta - eta g} (Eq. 2). */
    public static TrainingConfig sgd(double learningRate) {
        return new TrainingConfig("sgd", learningRate, 0, 0, 0, name -> true, 0);
    }

    /** The ND4J updater configuration of one weight. */
    public org.nd4j.linalg.learning.config.IUpdater updater(String weight) {
        double rate = embeddingLearningRate > 0 && weight.equals(org.gba4j.model.WeightNames.WORD_EMBEDDINGS)
                ? embeddingLearningRate : learningRate;
        return optimizer.equals("sgd") ? new org.nd4j.linalg.learning.config.Sgd(rate)
                : new org.nd4j.linalg.learning.config.Adam(rate, beta1, beta2, epsilon);
    }

    public TrainingConfig onlyTraining(Predicate<String> names) {
        return new TrainingConfig(optimizer, learningRate, beta1, beta2, epsilon, names, embeddingLearningRate);
    }

    /** The same, with the word-embedding matrix stepping at {@code rate} (0 = the common rate). */
    public TrainingConfig withEmbeddingLearningRate(double rate) {
        return new TrainingConfig(optimizer, learningRate, beta1, beta2, epsilon, trainable, rate);
    }
}
