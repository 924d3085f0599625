package org.gba4j.io;

import static org.gba4j.model.WeightNames.MLM_BIAS;

import java.util.regex.Pattern;

/**
 * Hugging Face tensor names of BERT and RoBERTa checkpoints ({@code BertModel}, {@code BertForMaskedLM},
 * {@code RobertaForMaskedLM}, ...) mapped to gba4j's canonical names ({@link org.gba4j.model.WeightNames}):
 * the {@code bert.}/{@code roberta.} prefix dropped, RoBERTa's {@code lm_head.*} read as
 * {@code cls.predictions.*}. Shared by every reader of Hugging Face names (ONNX initializers, safetensors).
 */
final class HfTensorNames {
    private static final Pattern CANONICAL = Pattern.compile(
            "embeddings\\.(word_embeddings|position_embeddings|token_type_embeddings)\\.weight"
            + "|embeddings\\.LayerNorm\\.(weight|bias)"
            + "|encoder\\.layer\\.\\d+\\.(attention\\.self\\.(query|key|value)|attention\\.output\\.(dense|LayerNorm)"
            + "|intermediate\\.dense|output\\.(dense|LayerNorm))\\.(weight|bias)"
            + "|cls\\.predictions\\.transform\\.(dense|LayerNorm)\\.(weight|bias)|cls\\.predictions\\.bias");
    private static final Pattern LAYER_INDEX = Pattern.compile("encoder\\.layer\\.(\\d+)\\..*");
    private static final Pattern LINEAR_WEIGHT = Pattern.compile(".*(query|key|value|dense)\\.weight");

    private HfTensorNames() {
    }

    /** The canonical name of {@code raw}, or null for a tensor the encoder does not use (a task head, a buffer). */
    static String canonical(String raw) {
        String n = raw;
        if (n.startsWith("roberta.")) {
            n = n.substring("roberta.".length());
        } else if (n.startsWith("bert.")) {
            n = n.substring("bert.".length());
        }
        if (n.startsWith("lm_head.")) {
            n = n.replace("lm_head.dense.", "cls.predictions.transform.dense.")
                    .replace("lm_head.layer_norm.", "cls.predictions.transform.LayerNorm.");
            if (n.equals("lm_head.bias") || n.equals("lm_head.decoder.bias")) {
                n = MLM_BIAS;
            }
        }
        if (n.equals("cls.predictions.decoder.bias")) {
            n = MLM_BIAS;
        }
        return CANONICAL.matcher(n).matches() ? n : null;
    }

    /** The number of transformer blocks among canonical names: one more than the largest {@code encoder.layer.N}. */
    static int layers(java.util.Collection<String> canonicalNames) {
        int layers = 0;
        for (String name : canonicalNames) {
            java.util.regex.Matcher m = LAYER_INDEX.matcher(name);
            if (m.matches()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        return layers;
    }

    /** Whether the name carries RoBERTa's prefix. */
    static boolean roberta(String raw) {
        return raw.startsWith("roberta.");
    }

    /** A linear layer's weight: stored {@code [out, in]} by PyTorch, {@code [in, out]} by gba4j. */
    static boolean linearWeight(String canonical) {
        return LINEAR_WEIGHT.matcher(canonical).matches();
    }
}
