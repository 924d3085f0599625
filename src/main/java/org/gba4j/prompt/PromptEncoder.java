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
 * <p>The special tokens are the tokenizer's own ({@code <s> </s> <mask> <pad>} for RoBERTa), and so
 * is the separator between the texts of a pair ({@link Tokenizer#pairSeparator}: {@code [SEP]} for
 * BERT, {@code </s></s>} for RoBERTa), so the layout is the one the model was pre-trained on.
 *
 * <p>Soft template tokens: the k x 2 learnable vectors are embedding rows, chosen by
 * {@link SoftTemplate}: BERT's reserved {@code [unused0] ...} tokens, or for a vocabulary without
 * reserved tokens (RoBERTa) rows appended past the vocabulary. They are trained by the same
 * embedding gradient as every other row, so no extra parameter or graph input is needed.
 */
public final class PromptEncoder {
    private final Tokenizer tokenizer;
    private final int maxLength;
    private final int[] template;
    private final int[] separator;

    /**
     * A prompt whose template tokens are the vocabulary's reserved {@code [unused0] ...} tokens; a
     * vocabulary without them needs the weights to hold the template ({@link SoftTemplate#of} and
     * {@link #PromptEncoder(Tokenizer, int[], int)}).
     */
    public PromptEncoder(Tokenizer tokenizer, int templateWidth, int maxLength) {
        this(tokenizer, reservedOrFail(tokenizer, templateWidth), maxLength);
    }

    /** A prompt with the given template ids, left side then right side (an even number, 0 for none). */
    public PromptEncoder(Tokenizer tokenizer, int[] templateIds, int maxLength) {
        if (templateIds.length % 2 != 0) {
            throw new IllegalArgumentException("a template has as many tokens on each side of the mask, got "
                    + templateIds.length);
        }
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.template = templateIds.clone();
        this.separator = tokenizer.pairSeparator();
    }

    private static int[] reservedOrFail(Tokenizer tokenizer, int templateWidth) {
        int[] ids = SoftTemplate.reserved(tokenizer, templateWidth);
        if (ids == null) {
            throw new IllegalArgumentException("the vocabulary has no reserved tokens [unused0.." + (2 * templateWidth - 1)
                    + "] to hold a soft template of width " + templateWidth + "; build the prompt with"
                    + " SoftTemplate.of (as PromptClassifier does), which appends rows for it");
        }
        return ids;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The same prompt layout for another input length. */
    public PromptEncoder withMaxLength(int newMaxLength) {
        return new PromptEncoder(tokenizer, template, newMaxLength);
    }

    /** Ids of the soft template tokens, left side then right side. */
    public int[] templateIds() {
        return template.clone();
    }

    /** One encoded prompt: ids, the [MASK] position and the positions of the text's own tokens. */
    /** The ids after the text's {@code [SEP]}: the template's left half, {@code [MASK]}, its right half. */
    public int[] suffix() {
        int k = template.length / 2;
        int[] out = new int[template.length + 1];
        System.arraycopy(template, 0, out, 0, k);
        out[k] = tokenizer.maskId();
        System.arraycopy(template, k, out, k + 1, template.length - k);
        return out;
    }

    public record Prompt(int[] ids, int maskPosition, int[] inputPositions, boolean truncated) {
    }

    public Prompt encode(LabeledText example) {
        int k = template.length / 2;
        int[] first = tokenizer.ids(example.text());
        int[] second = example.isPair() ? tokenizer.ids(example.second()) : new int[0];
        int specials = (example.isPair() ? 2 + separator.length : 2) + 1; // [CLS] (x1 separator x2) [SEP] [MASK]
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
        if (example.isPair()) {
            for (int id : separator) {
                ids.add(id);
            }
            for (int i = 0; i < b; i++) {
                input.add(ids.size());
                ids.add(second[i]);
            }
        }
        ids.add(tokenizer.sepId());
        int mask = ids.size() + k;
        for (int id : suffix()) {
            ids.add(id);
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
