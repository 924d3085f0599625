package org.gba4j.train;

import java.util.function.Predicate;

/**
 * Optimiser settings of a training run. Adam as in every table of the paper (Tables 6-9).
 *
 * @param learningRate Adam step size
 * @param beta1        Adam first-moment decay
 * @param beta2        Adam second-moment decay
 * @param epsilon      Adam denominator guard
 * @param trainable    which canonical weight names are updated (all by default)
 */
public record TrainingConfig(double learningRate, double beta1, double beta2, double epsilon,
                             Predicate<String> trainable) {

    public TrainingConfig {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
    }

    /** Adam with PyTorch's defaults (beta 0.9/0.999, eps 1e-8), every weight trainable. */
    public static TrainingConfig adam(double learningRate) {
        return new TrainingConfig(learningRate, 0.9, 0.999, 1e-8, name -> true);
    }

    public TrainingConfig onlyTraining(Predicate<String> names) {
        return new TrainingConfig(learningRate, beta1, beta2, epsilon, names);
    }
}
