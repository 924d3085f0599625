package org.gba4j.train;

/**
 * A hook into each training step, called after the gradients are complete and before the
 * optimiser turns them into updates: attacks and defenses (GBA's broadcast, NAD's extra terms,
 * Embedding Poisoning's row mask) rewrite {@link StepContext#gradients()} in place here.
 */
public interface TrainingListener {

    void beforeUpdate(StepContext step);

    /** Called after the weights changed, e.g. to renormalise a row or log progress. */
    default void afterUpdate(StepContext step) {
    }
}
