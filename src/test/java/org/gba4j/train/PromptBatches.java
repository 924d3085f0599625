package org.gba4j.train;

import org.gba4j.model.TokenBatch;
import org.gba4j.text.Tokenizer;

/** Test batches: each text as {@code [CLS] text [SEP] [MASK]}, the label word as the target at [MASK]. */
public final class PromptBatches {
    private PromptBatches() {
    }

    public static MaskedTokenBatch of(Tokenizer tok, String[] texts, String[] labelWords, int seqLen) {
        int[][] rows = new int[texts.length][];
        int[] positions = new int[texts.length];
        int[] targets = new int[texts.length];
        for (int i = 0; i < texts.length; i++) {
            int[] text = tok.ids(texts[i]);
            rows[i] = new int[text.length + 3];
            rows[i][0] = tok.clsId();
            System.arraycopy(text, 0, rows[i], 1, text.length);
            rows[i][text.length + 1] = tok.sepId();
            rows[i][text.length + 2] = tok.maskId();
            positions[i] = text.length + 2;
            targets[i] = tok.tokenId(labelWords[i]);
        }
        return new MaskedTokenBatch(TokenBatch.padded(rows, seqLen, tok.padId()), positions, targets);
    }
}
