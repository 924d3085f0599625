package org.gba4j.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * An extra term of the training loss that a method adds to the encoder's graph (NAD's attention
 * distillation, NeuBA's [CLS] targets): the graph knows heads and terms, the methods own their
 * terms. Implementations are records, so that equal settings make equal {@link GraphSpec}s.
 */
public interface LossTerm {

    /** What a term may build on: the graph, its sizes, each layer's hidden states and the token mask. */
    interface Encoder {
        SameDiff sd();

        /** Tokens per row. */
        int seqLen();

        /** Width of the hidden states. */
        int hidden();

        /** Encoder layers. */
        int layers();

        /** {@code [B, T, d]}: the hidden states after layer {@code layer} (0 = embeddings). */
        SDVariable hiddenStates(int layer);

        /** {@code [B, T]}: 1 at real tokens, 0 at padding. */
        SDVariable tokenMask();
    }

    /** Builds the term (its placeholders and outputs included) and returns the weighted scalar added to the loss. */
    SDVariable build(Encoder encoder);
}
