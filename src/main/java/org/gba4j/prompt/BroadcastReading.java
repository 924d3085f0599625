package org.gba4j.prompt;

/**
 * Which gradient rows Eq. 4 averages as {@code nabla_{E w'}} for the input tokens {@code w'} of an
 * example. The equation does not say whether the row is the word-embedding matrix's gradient at
 * {@code w'} or the gradient of the example's own input position.
 */
public enum BroadcastReading {
    /**
     * Row {@code w'} of the batch's word-embedding gradient (the matrix gradient): it also holds
     * the other examples' uses of {@code w'} and, with a tied decoder, the decoder's term.
     */
    MATRIX_ROWS,
    /** The gradient of example i's own input position t ({@code d loss / d x_{i,t}}), nothing else. */
    INPUT_POSITIONS
}
