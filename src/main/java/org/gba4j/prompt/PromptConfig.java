package org.gba4j.prompt;

/**
 * Settings of prompt-based adaptation (sections 3.3-3.4).
 *
 * @param mode         PT, PT+soft or PT+soft+GB (Table 12)
 * @param templateWidth k soft tokens on each side of [MASK] (paper default 2; 0 = none; at most 16)
 * @param lambda       weight of the broadcast term Q in Eq. 3 (0.5, the value of section 5.3)
 * @param temperature  T of Eq. 1 (the paper gives no value; 1)
 * @param ratioCap     optional cap on p(w|x)/p(y|x) in Eq. 4; 0 = off (the paper's formula, default)
 * @param optimizer    "adam" (default, as every training stage in the paper) or "sgd" (Eq. 2)
 * @param learningRate step size (2e-5, as the paper's fine-tuning stages)
 * @param epochs       passes over the training data (3, section 5.3)
 * @param batchSize    examples per step (32)
 * @param maxLength    tokens per input, template and specials included (Table 1: 64, HS 32)
 * @param seed         shuffling seed
 */
public record PromptConfig(PromptMode mode, int templateWidth, double lambda, double temperature, double ratioCap,
                           String optimizer, double learningRate, int epochs, int batchSize, int maxLength, long seed) {

    public PromptConfig {
        if (templateWidth < 0 || templateWidth > 16) {
            throw new IllegalArgumentException("template width must be in [0, 16], got " + templateWidth);
        }
        if (mode.usesTemplate() != (templateWidth > 0)) {
            throw new IllegalArgumentException(mode + " " + (mode.usesTemplate() ? "needs" : "has no") + " a soft template");
        }
        if (lambda < 0 || (mode.usesBroadcast() && lambda == 0)) {
            throw new IllegalArgumentException("lambda must be positive with the broadcast and 0 without, got " + lambda);
        }
        if (!(temperature > 0) || ratioCap < 0 || !(learningRate > 0) || epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("temperature, learning rate, epochs and batch size must be positive");
        }
        if (maxLength < 2 * templateWidth + 4) {
            throw new IllegalArgumentException("max length " + maxLength + " leaves no room for text beside a template of "
                    + templateWidth + " tokens per side");
        }
    }

    /** The paper's defaults for a mode. */
    public static PromptConfig defaults(PromptMode mode) {
        return new PromptConfig(mode, mode.usesTemplate() ? 2 : 0, mode.usesBroadcast() ? 0.5 : 0, 1.0, 0, "adam", 2e-5, 3,
                32, 64, 42);
    }

    public PromptConfig withTraining(double newLearningRate, int newEpochs, int newBatchSize, int newMaxLength) {
        return new PromptConfig(mode, templateWidth, lambda, temperature, ratioCap, optimizer, newLearningRate, newEpochs,
                newBatchSize, newMaxLength, seed);
    }

    public PromptConfig withOptimizer(String newOptimizer) {
        return new PromptConfig(mode, templateWidth, lambda, temperature, ratioCap, newOptimizer, learningRate, epochs,
                batchSize, maxLength, seed);
    }

    /** The optimiser settings of a run. */
    public org.gba4j.train.TrainingConfig training() {
        return optimizer.equals("sgd") ? org.gba4j.train.TrainingConfig.sgd(learningRate)
                : org.gba4j.train.TrainingConfig.adam(learningRate);
    }

    public PromptConfig withLambda(double newLambda) {
        return new PromptConfig(mode, templateWidth, newLambda, temperature, ratioCap, optimizer, learningRate, epochs, batchSize,
                maxLength, seed);
    }

    public PromptConfig withTemplateWidth(int width) {
        return new PromptConfig(mode, width, lambda, temperature, ratioCap, optimizer, learningRate, epochs, batchSize, maxLength,
                seed);
    }
}
