package org.gba4j.model;

import java.util.Arrays;

/**
 * A right-padded batch of token ids, all rows {@code seqLen} long. Positions at or beyond a row's
 * length are padding: attention ignores them and they send no gradient to the embedding matrix.
 *
 * @param ids     token ids, {@code [B][seqLen]}
 * @param typeIds token type (segment) ids, {@code [B][seqLen]}
 * @param lengths real tokens per row, each in {@code [1, seqLen]}
 */
public record TokenBatch(int[][] ids, int[][] typeIds, int[] lengths) {

    public TokenBatch {
        if (ids.length == 0 || ids.length != typeIds.length || ids.length != lengths.length) {
            throw new IllegalArgumentException("batch needs the same positive number of ids, typeIds and lengths rows");
        }
        int seqLen = ids[0].length;
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != seqLen || typeIds[b].length != seqLen) {
                throw new IllegalArgumentException("row " + b + " is not " + seqLen + " long");
            }
            if (lengths[b] < 1 || lengths[b] > seqLen) {
                throw new IllegalArgumentException("row " + b + " length " + lengths[b] + " outside [1, " + seqLen + "]");
            }
        }
    }

    /** Pads rows of different lengths to {@code seqLen} with {@code padId}; token types all 0. */
    public static TokenBatch padded(int[][] rows, int seqLen, int padId) {
        int[][] ids = new int[rows.length][];
        int[][] types = new int[rows.length][seqLen];
        int[] lengths = new int[rows.length];
        for (int b = 0; b < rows.length; b++) {
            if (rows[b].length > seqLen) {
                throw new IllegalArgumentException("row " + b + " has " + rows[b].length + " tokens, more than " + seqLen);
            }
            ids[b] = Arrays.copyOf(rows[b], seqLen);
            Arrays.fill(ids[b], rows[b].length, seqLen, padId);
            lengths[b] = rows[b].length;
        }
        return new TokenBatch(ids, types, lengths);
    }

    public int batchSize() {
        return ids.length;
    }

    public int seqLen() {
        return ids[0].length;
    }

    /** Real (non-padding) token count of the whole batch. */
    public int tokenCount() {
        return Arrays.stream(lengths).sum();
    }
}
