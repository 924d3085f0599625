package org.gba4j.model;

/**
 * Shape and variant points of a BERT-family encoder. Every field is inferred from a checkpoint's
 * tensors (see the readers in {@code org.gba4j.io}); {@link #heads} is the one number a weight file
 * does not carry, so readers take it from the graph or a config file beside the weights.
 *
 * <p>RoBERTa is a configuration, not a copy: position ids start at {@code positionOffset}
 * (padding index + 1 = 2 for RoBERTa, 0 for BERT) and it has a single token type.
 *
 * @param architecture   "bert" or "roberta", for messages and metadata
 * @param vocabSize      rows of the word-embedding matrix
 * @param hidden         model width d
 * @param layers         number of transformer blocks
 * @param heads          attention heads; {@code hidden % heads == 0}
 * @param intermediate   feed-forward width
 * @param maxPositions   rows of the position-embedding matrix
 * @param typeVocabSize  rows of the token-type embedding matrix (2 for BERT, 1 for RoBERTa)
 * @param layerNormEps   LayerNorm epsilon (1e-12 for BERT, 1e-5 for RoBERTa)
 * @param hasMlmHead     whether the checkpoint carries the masked-LM transform and output bias
 * @param positionOffset first position id (0 for BERT, padding index + 1 for RoBERTa)
 */
public record BertConfig(String architecture, int vocabSize, int hidden, int layers, int heads,
                         int intermediate, int maxPositions, int typeVocabSize, double layerNormEps,
                         boolean hasMlmHead, int positionOffset) {

    public BertConfig {
        if (architecture == null || architecture.isBlank()) {
            throw new IllegalArgumentException("architecture must be named");
        }
        requirePositive("vocabSize", vocabSize);
        requirePositive("hidden", hidden);
        requirePositive("layers", layers);
        requirePositive("heads", heads);
        requirePositive("intermediate", intermediate);
        requirePositive("maxPositions", maxPositions);
        requirePositive("typeVocabSize", typeVocabSize);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden " + hidden + " is not divisible by heads " + heads);
        }
        if (!(layerNormEps > 0 && layerNormEps < 1)) {
            throw new IllegalArgumentException("layerNormEps must be in (0, 1), got " + layerNormEps);
        }
        if (positionOffset < 0 || positionOffset >= maxPositions) {
            throw new IllegalArgumentException("positionOffset " + positionOffset + " outside [0, " + maxPositions + ")");
        }
    }

    /** Longest sequence the position embeddings allow. */
    public int maxSequenceLength() {
        return maxPositions - positionOffset;
    }

    public int headSize() {
        return hidden / heads;
    }

    public BertConfig withHeads(int newHeads) {
        return new BertConfig(architecture, vocabSize, hidden, layers, newHeads, intermediate, maxPositions,
                typeVocabSize, layerNormEps, hasMlmHead, positionOffset);
    }

    /** The same encoder with {@code rows} word-embedding rows (e.g. after appending soft-template rows). */
    public BertConfig withVocabSize(int rows) {
        return new BertConfig(architecture, rows, hidden, layers, heads, intermediate, maxPositions, typeVocabSize,
                layerNormEps, hasMlmHead, positionOffset);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
