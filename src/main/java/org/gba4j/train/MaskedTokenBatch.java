package org.gba4j.train;

import org.gba4j.model.TokenBatch;

/**
 * A batch scored at one position per row against a target token over the whole vocabulary: the
 * objective of Eq. 1 (prompt tuning: the [MASK] position and the class token) and of masked-LM
 * training.
 *
 * @param tokens    the padded token ids
 * @param positions the scored position of each row (a real token, e.g. [MASK])
 * @param targets   the target token id of each row
 */
public record MaskedTokenBatch(TokenBatch tokens, int[] positions, int[] targets) {

    public MaskedTokenBatch {
        if (positions.length != tokens.batchSize() || targets.length != tokens.batchSize()) {
            throw new IllegalArgumentException("need one position and one target per row");
        }
    }

    public int batchSize() {
        return tokens.batchSize();
    }
}
