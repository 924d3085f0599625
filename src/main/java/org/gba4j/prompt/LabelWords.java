package org.gba4j.prompt;

import java.util.List;
import org.gba4j.text.Tokenizer;

/**
 * The class tokens of a task (Table 1): class {@code i} is predicted when the [MASK] position's
 * distribution prefers {@code words.get(i)} over the other label words. Each must be a single
 * vocabulary token, because Eq. 1 scores one embedding row per class.
 */
public record LabelWords(List<String> words, int[] ids) {

    public LabelWords {
        words = List.copyOf(words);
        if (words.size() < 2 || words.size() != ids.length) {
            throw new IllegalArgumentException("need at least two label words, one id each");
        }
    }

    /**
     * Resolves the words with the model's tokenizer; a word that is not one token is a clear error.
     * A word is taken in the form it has after another word ({@link Tokenizer#tokenizeAfterSpace}),
     * as at the prompt's mask: the same token for BERT, {@code Ġgood} rather than {@code good} for
     * RoBERTa's byte-level BPE (as LM-BFF's label words " great" / " terrible").
     */
    public static LabelWords of(List<String> words, Tokenizer tokenizer) {
        if (words.size() < 2) {
            throw new IllegalArgumentException("need at least two label words, got " + words);
        }
        int[] ids = new int[words.size()];
        for (int i = 0; i < ids.length; i++) {
            String word = words.get(i).trim();
            List<String> bare = tokenizer.tokenize(word);
            List<String> spaced = tokenizer.tokenizeAfterSpace(word);
            // BERT ignores the space (spaced == bare): then the token must be the word itself, so that
            // an uncased vocabulary does not silently turn "Good" into "good"
            boolean marksSpace = !spaced.equals(bare);
            List<String> pieces = marksSpace ? spaced : bare;
            int id = pieces.size() == 1 ? tokenizer.tokenId(pieces.get(0)) : -1;
            if (id < 0 || !marksSpace && !pieces.get(0).equals(word)) {
                throw new IllegalArgumentException("label word '" + word + "' is not a single token of this vocabulary"
                        + " (it tokenizes as " + pieces + "); choose a word that is one token");
            }
            ids[i] = id;
        }
        if (java.util.Arrays.stream(ids).distinct().count() != ids.length) {
            throw new IllegalArgumentException("label words must differ: " + words);
        }
        return new LabelWords(words, ids);
    }

    public int classes() {
        return ids.length;
    }

    public int id(int label) {
        if (label < 0 || label >= ids.length) {
            throw new IllegalArgumentException("label " + label + " outside the " + ids.length + " label words " + words);
        }
        return ids[label];
    }
}
