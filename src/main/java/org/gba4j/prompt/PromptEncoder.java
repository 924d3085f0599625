package org.gba4j.prompt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gba4j.data.LabeledText;
import org.gba4j.model.TokenBatch;
import org.gba4j.text.Tokenizer;
import org.gba4j.train.MaskedTokenBatch;

/**
 * Lays out the prompt of section 3.3: {@code [CLS] x [SEP] [a]^k [MASK] [a]^k}, or
 * {@code [CLS] x1 [SEP] x2 [SEP] [a]^k [MASK] [a]^k} for pairs. Only the text is truncated (the
 * longer text of a pair first), never the template or the mask.
 *
 * <p>Soft template tokens: the k x 2 learnable vectors are the embedding rows of the vocabulary's
 * reserved tokens {@code [unused0] ...} (BERT vocabularies reserve 994). They are trained by the
 * same embedding gradient as every other row, so no extra parameter or graph input is needed; a
 * vocabulary without reserved tokens can only run without a template.
 */
public final class PromptEncoder {
    private final Tokenizer tokenizer;
    private final int maxLength;
    private final int[] template;

    public PromptEncoder(Tokenizer tokenizer, int templateWidth, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.template = new int[2 * templateWidth];
        for (int i = 0; i < template.length; i++) {
            template[i] = tokenizer.tokenId("[unused" + i + "]");
            if (template[i] < 0) {
                throw new IllegalArgumentException("the vocabulary has no reserved token [unused" + i + "] to hold a soft"
                        + " template of width " + templateWidth + "; use a template width of 0");
            }
        }
    }

    /** Ids of the soft template tokens, left side then right side. */
    public int[] templateIds() {
        return template.clone();
    }

    /** One encoded prompt: ids, the [MASK] position and the positions of the text's own tokens. */
    public record Prompt(int[] ids, int maskPosition, int[] inputPositions, boolean truncated) {
    }

    public Prompt encode(LabeledText example) {
        int k = template.length / 2;
        int[] first = tokenizer.ids(example.text());
        int[] second = example.isPair() ? tokenizer.ids(example.second()) : new int[0];
        int specials = (example.isPair() ? 3 : 2) + 1; // [CLS] [SEP] ([SEP]) [MASK]
        int room = maxLength - specials - template.length;
        int a = first.length;
        int b = second.length;
        while (a + b > room) { // longest first, as BERT's reference code
            if (a >= b && a > 0) {
                a--;
            } else {
                b--;
            }
        }
        List<Integer> ids = new ArrayList<>();
        List<Integer> input = new ArrayList<>();
        ids.add(tokenizer.clsId());
        for (int i = 0; i < a; i++) {
            input.add(ids.size());
            ids.add(first[i]);
        }
        ids.add(tokenizer.sepId());
        if (example.isPair()) {
            for (int i = 0; i < b; i++) {
                input.add(ids.size());
                ids.add(second[i]);
            }
            ids.add(tokenizer.sepId());
        }
        for (int i = 0; i < k; i++) {
            ids.add(template[i]);
        }
        int mask = ids.size();
        ids.add(tokenizer.maskId());
        for (int i = k; i < 2 * k; i++) {
            ids.add(template[i]);
        }
        return new Prompt(ids.stream().mapToInt(Integer::intValue).toArray(), mask,
                input.stream().mapToInt(Integer::intValue).toArray(), a + b < first.length + second.length);
    }

    /** A padded training batch whose target is each example's label word. */
    public MaskedTokenBatch batch(List<LabeledText> examples, LabelWords labels) {
        int n = examples.size();
        int[][] rows = new int[n][];
        int[] masks = new int[n];
        int[] targets = new int[n];
        int[][] inputs = new int[n][];
        for (int i = 0; i < n; i++) {
            Prompt prompt = encode(examples.get(i));
            rows[i] = prompt.ids();
            masks[i] = prompt.maskPosition();
            inputs[i] = prompt.inputPositions();
            targets[i] = labels.id(examples.get(i).label());
        }
        TokenBatch tokens = TokenBatch.padded(rows, maxLength, tokenizer.padId());
        return new MaskedTokenBatch(tokens, masks, targets, inputs);
    }

    /** How many of the examples lose text to the max length. */
    public long countTruncated(List<LabeledText> examples) {
        return examples.stream().filter(e -> encode(e).truncated()).count();
    }

    public int maxLength() {
        return maxLength;
    }

    @Override
    public String toString() {
        return "PromptEncoder[k=" + template.length / 2 + ", maxLength=" + maxLength + ", template=" + Arrays.toString(template) + "]";
    }
}
