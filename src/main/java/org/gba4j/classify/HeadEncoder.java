package org.gba4j.classify;

import java.util.List;
import org.gba4j.data.LabeledText;
import org.gba4j.model.TokenBatch;
import org.gba4j.text.Tokenizer;
import org.gba4j.train.MaskedTokenBatch;

/**
 * Standard fine-tuning input {@code [CLS] x [SEP]} (or {@code [CLS] x1 [SEP] x2 [SEP]}), truncated
 * to the max length; the classification head reads the [CLS] position and the target is the class.
 */
public final class HeadEncoder implements BatchEncoder {
    private final Tokenizer tokenizer;
    private final int maxLength;

    public HeadEncoder(Tokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    @Override
    public MaskedTokenBatch batch(List<LabeledText> examples) {
        int n = examples.size();
        int[][] rows = new int[n][];
        int[][] types = new int[n][maxLength];
        int[][] inputs = new int[n][];
        for (int i = 0; i < n; i++) {
            LabeledText e = examples.get(i);
            Tokenizer.Encoding encoding = e.isPair() ? tokenizer.encode(e.text(), e.second(), maxLength)
                    : tokenizer.encode(e.text(), maxLength);
            rows[i] = encoding.ids();
            System.arraycopy(encoding.typeIds(), 0, types[i], 0, encoding.length());
            inputs[i] = textPositions(encoding.ids());
        }
        TokenBatch padded = TokenBatch.padded(rows, maxLength, tokenizer.padId());
        TokenBatch tokens = new TokenBatch(padded.ids(), types, padded.lengths());
        return new MaskedTokenBatch(tokens, new int[n], examples.stream().mapToInt(LabeledText::label).toArray(), inputs);
    }

    private int[] textPositions(int[] ids) {
        return java.util.stream.IntStream.range(0, ids.length)
                .filter(p -> ids[p] != tokenizer.clsId() && ids[p] != tokenizer.sepId()).toArray();
    }
}
