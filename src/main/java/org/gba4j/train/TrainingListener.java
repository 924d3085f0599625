package org.gba4j.train;

import org.gba4j.model.BertModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A hook into each training step, called after the gradients are complete and before the
 * optimiser turns them into updates: attacks and defenses (GBA's broadcast, NAD's extra terms,
 * Embedding Poisoning's row mask) rewrite {@link StepContext#gradients()} in place here.
 * The arrays of a step (its feed, gradients and probabilities) are freed when the step ends: a
 * listener copies what it keeps.
 */
public interface TrainingListener {

    /**
     * Called before the forward pass: a loss term's inputs (NAD's teacher maps, NeuBA's [CLS]
     * targets) are added to {@code feed} here, as fresh arrays: the step frees them.
     */
    default void beforeStep(BertModel model, MaskedTokenBatch batch, java.util.Map<String, INDArray> feed) {
    }

    default void beforeUpdate(StepContext step) {
    }

    /** Called after the weights changed, e.g. to renormalise a row or log progress. */
    default void afterUpdate(StepContext step) {
    }
}
