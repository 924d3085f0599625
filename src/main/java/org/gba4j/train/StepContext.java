package org.gba4j.train;

import java.util.Map;
import org.gba4j.model.BertModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link TrainingListener} sees of one step.
 *
 * @param iteration     0-based step counter of the trainer
 * @param model         the model being trained (its live weights)
 * @param batch         the batch of this step
 * @param loss          the batch's mean loss before the update
 * @param probabilities the vocabulary distribution at the scored positions, {@code [B, V]}
 * @param gradients     the gradients under canonical names; mutable arrays, rewritten in place
 * @param inputRowGradients {@code [B, T, d]}: the gradient of each input position's word-embedding row
 *                      (null when the word embeddings are not trained)
 */
public record StepContext(int iteration, BertModel model, MaskedTokenBatch batch, double loss,
                          INDArray probabilities, Map<String, INDArray> gradients, INDArray inputRowGradients) {
}
