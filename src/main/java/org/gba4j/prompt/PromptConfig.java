package org.gba4j.prompt;

import org.gba4j.train.TrainingConfig;

/**
 * Settings of prompt-based adaptation (sections 3.3-3.4).
 *
 * @param mode          PT, PT+soft or PT+soft+GB (Table 12)
 * @param templateWidth k soft tokens on each side of [MASK] (paper default 2; 0 = none; at most 16)
 * @param broadcast     the gradient broadcast (lambda, form, reading); {@link BroadcastSettings#NONE} without one
 * @param aim           after training, scan for trigger rows and pull them to the class-token centre
 *                      ({@link TriggerScan}; not in the paper); {@link TriggerScan.Config#OFF} = no scan
 * @param temperature   T of Eq. 1 (the paper gives no value; 1)
 * @param optimizer     "adam" (default, as every training stage in the paper) or "sgd" (Eq. 2)
 * @param learningRate  step size (2e-5, as the paper's fine-tuning stages)
 * @param embeddingLearningRate the word-embedding matrix's own step size; 0 = {@code learningRate}
 * @param epochs        passes over the training data (3, section 5.3)
 * @param batchSize     examples per step (32)
 * @param maxLength     tokens per input, template and specials included (Table 1: 64, HS 32)
 * @param seed          shuffling seed
 */
public record PromptConfig(PromptMode mode, int templateWidth, BroadcastSettings broadcast, TriggerScan.Config aim,
                           double temperature,
                           String optimizer, double learningRate, double embeddingLearningRate, int epochs, int batchSize,
                           int maxLength, long seed) {

    public PromptConfig {
        if (templateWidth < 0 || templateWidth > 16) {
            throw new IllegalArgumentException("template width must be in [0, 16], got " + templateWidth);
        }
        if (mode.usesTemplate() != (templateWidth > 0)) {
            throw new IllegalArgumentException(mode + " " + (mode.usesTemplate() ? "needs" : "has no") + " a soft template");
        }
        if (mode.usesBroadcast() != broadcast.active()) {
            throw new IllegalArgumentException("lambda must be positive with the broadcast and 0 without, got "
                    + broadcast.lambda());
        }
        if (!(temperature > 0) || !(learningRate > 0) || embeddingLearningRate < 0 || epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("temperature, learning rate, epochs and batch size must be positive");
        }
        if (maxLength < 2 * templateWidth + 4) {
            throw new IllegalArgumentException("max length " + maxLength + " leaves no room for text beside a template of "
                    + templateWidth + " tokens per side");
        }
    }

    /** The paper's defaults for a mode: width 2, lambda 0.5 coupled, Adam 2e-5, 3 epochs, batch 32, length 64. */
    public static PromptConfig defaults(PromptMode mode) {
        return new PromptConfig(mode, mode.usesTemplate() ? 2 : 0,
                mode.usesBroadcast() ? BroadcastSettings.literal(0.5) : BroadcastSettings.NONE, TriggerScan.Config.OFF, 1.0, "adam", 2e-5, 0, 3,
                32, 64, 42);
    }

    public double lambda() {
        return broadcast.lambda();
    }

    public PromptConfig withTraining(double newLearningRate, int newEpochs, int newBatchSize, int newMaxLength) {
        return new PromptConfig(mode, templateWidth, broadcast, aim, temperature, optimizer, newLearningRate,
                embeddingLearningRate, newEpochs, newBatchSize, newMaxLength, seed);
    }

    public PromptConfig withOptimizer(String newOptimizer) {
        return new PromptConfig(mode, templateWidth, broadcast, aim, temperature, newOptimizer, learningRate,
                embeddingLearningRate, epochs, batchSize, maxLength, seed);
    }

    public PromptConfig withEmbeddingLearningRate(double rate) {
        return new PromptConfig(mode, templateWidth, broadcast, aim, temperature, optimizer, learningRate, rate, epochs,
                batchSize, maxLength, seed);
    }

    public PromptConfig withBroadcast(BroadcastSettings newBroadcast) {
        return new PromptConfig(mode, templateWidth, newBroadcast, aim, temperature, optimizer, learningRate,
                embeddingLearningRate, epochs, batchSize, maxLength, seed);
    }

    public PromptConfig withAim(TriggerScan.Config newAim) {
        return new PromptConfig(mode, templateWidth, broadcast, newAim, temperature, optimizer, learningRate,
                embeddingLearningRate, epochs, batchSize, maxLength, seed);
    }

    public PromptConfig withLambda(double newLambda) {
        return withBroadcast(broadcast.withLambda(newLambda));
    }

    public PromptConfig withTemplateWidth(int width) {
        return new PromptConfig(mode, width, broadcast, aim, temperature, optimizer, learningRate, embeddingLearningRate,
                epochs, batchSize, maxLength, seed);
    }

    /** The optimiser settings of a run. */
    public TrainingConfig training() {
        TrainingConfig base = optimizer.equals("sgd") ? TrainingConfig.sgd(learningRate) : TrainingConfig.adam(learningRate);
        return base.withEmbeddingLearningRate(embeddingLearningRate);
    }
}
