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
        java.util.Set<Integer> special = java.util.Set.of(tokenizer.clsId(), tokenizer.sepId(), tokenizer.maskId(),
                tokenizer.padId(), tokenizer.unkId());
        for (int i = 0; i < ids.length; i++) {
            String word = words.get(i).trim();
            checkNotSpecial(word);
            if (special.contains(tokenizer.tokenId(word))) {
                throw new IllegalArgumentException("label word '" + word + "' is a special token of this vocabulary;"
                        + " choose a word");
            }
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

    /**
     * Refuses a word written as a special token ({@code [MASK]}, {@code <s>}): the prompt itself uses
     * them, so a class scored on one means nothing. Checked before any model is loaded.
     */
    public static void checkNotSpecial(String word) {
        String w = word.trim();
        if (w.isEmpty() || w.matches("\\[[A-Za-z_]+[0-9]*]") || w.matches("</?[A-Za-z_]+>")) {
            throw new IllegalArgumentException("label word '" + word + "' is " + (w.isEmpty() ? "empty" : "a special token")
                    + "; choose a word");
        }
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
