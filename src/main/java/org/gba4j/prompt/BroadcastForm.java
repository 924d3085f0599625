package org.gba4j.prompt;

/**
 * Where the broadcast term {@code lambda * Q} of Eq. 3 enters the update.
 *
 * <p>Why there is a choice: with Adam, a term added to the gradient (the paper's literal Eq. 3)
 * passes through Adam's per-element normalisation, so every row moves at most about the learning
 * rate per element per step whatever Q's size, and Eq. 4's {@code p(w|x)/p(y|x)} weighting is lost
 * for rows whose only gradient is Q. A decoupled step keeps Q's magnitudes, as AdamW keeps weight
 * decay out of Adam's moments.
 */
public enum BroadcastForm {
    /** The paper's literal Eq. 3: {@code g_w = grad_E + lambda Q} is what the optimiser sees. */
    COUPLED,
    /** The optimiser updates on {@code grad_E}; then {@code E -= eta_b * lambda * Q} as a separate step. */
    DECOUPLED
}
