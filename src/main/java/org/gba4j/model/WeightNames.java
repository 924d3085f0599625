package org.gba4j.model;

/**
 * Canonical tensor names, the Hugging Face PyTorch names of a BERT checkpoint. Every reader maps
 * its source's names onto these, so the encoder has one vocabulary of weights.
 *
 * <p>Layout convention: a linear layer's {@code .weight} is stored {@code [in, out]} (the ONNX
 * MatMul and TensorFlow kernel layout), so a layer computes {@code x . W + b}. Embedding matrices
 * are {@code [rows, hidden]}. LayerNorm gain is {@code .weight}, shift {@code .bias}.
 */
public final class WeightNames {
    public static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";
    public static final String POSITION_EMBEDDINGS = "embeddings.position_embeddings.weight";
    public static final String TOKEN_TYPE_EMBEDDINGS = "embeddings.token_type_embeddings.weight";
    public static final String EMBEDDINGS_LN_WEIGHT = "embeddings.LayerNorm.weight";
    public static final String EMBEDDINGS_LN_BIAS = "embeddings.LayerNorm.bias";

    /** Per-layer suffixes, prefixed by {@link #layer(int, String)}. */
    public static final String QUERY = "attention.self.query";
    public static final String KEY = "attention.self.key";
    public static final String VALUE = "attention.self.value";
    public static final String ATTENTION_OUTPUT = "attention.output.dense";
    public static final String ATTENTION_LN = "attention.output.LayerNorm";
    public static final String INTERMEDIATE = "intermediate.dense";
    public static final String OUTPUT = "output.dense";
    public static final String OUTPUT_LN = "output.LayerNorm";

    /** Masked-LM head: transform dense + GELU + LayerNorm, decoder tied to the word embeddings, bias. */
    public static final String MLM_DENSE = "cls.predictions.transform.dense";
    public static final String MLM_LN = "cls.predictions.transform.LayerNorm";
    public static final String MLM_BIAS = "cls.predictions.bias";

    public static final String WEIGHT = ".weight";
    public static final String BIAS = ".bias";

    private WeightNames() {
    }

    /** {@code encoder.layer.<i>.<suffix>}. */
    public static String layer(int index, String suffix) {
        return "encoder.layer." + index + "." + suffix;
    }
}
