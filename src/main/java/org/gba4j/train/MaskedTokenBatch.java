package org.gba4j.train;

import org.gba4j.model.TokenBatch;

/**
 * A batch scored at one position per row against a target token over the whole vocabulary: the
 * objective of Eq. 1 (prompt tuning: the [MASK] position and the class token) and of masked-LM
 * training.
 *
 * @param tokens         the padded token ids
 * @param positions      the scored position of each row (a real token, e.g. [MASK])
 * @param targets        the target token id of each row
 * @param inputPositions per row, the positions of the input text's own tokens (not special,
 *                       template or padding tokens): the {@code x_i} of the gradient broadcast
 */
public record MaskedTokenBatch(TokenBatch tokens, int[] positions, int[] targets, int[][] inputPositions) {

    public MaskedTokenBatch {
        if (positions.length != tokens.batchSize() || targets.length != tokens.batchSize()
                || inputPositions.length != tokens.batchSize()) {
            throw new IllegalArgumentException("need one position, one target and one input span per row");
        }
        for (int b = 0; b < inputPositions.length; b++) {
            for (int p : inputPositions[b]) {
                if (p < 0 || p >= tokens.lengths()[b]) {
                    throw new IllegalArgumentException("input position " + p + " is not a real token of row " + b);
                }
            }
        }
    }

    /** Every real token counts as input. */
    public MaskedTokenBatch(TokenBatch tokens, int[] positions, int[] targets) {
        this(tokens, positions, targets, allReal(tokens));
    }

    private static int[][] allReal(TokenBatch tokens) {
        int[][] out = new int[tokens.batchSize()][];
        for (int b = 0; b < out.length; b++) {
            out[b] = java.util.stream.IntStream.range(0, tokens.lengths()[b]).toArray();
        }
        return out;
    }

    public int batchSize() {
        return tokens.batchSize();
    }
}
