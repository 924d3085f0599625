package org.gba4j.model;

import static org.gba4j.model.WeightNames.*;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds a BERT encoder, natively from SameDiff ops, for one sequence length.
 *
 * <p>Why the word embedding is looked up outside the graph: in DL4J 1.0.0-M2.1 the backward pass
 * of {@code gather}/{@code gatherNd}/indexing fails, and a one-hot matmul costs B*T*V*d, as much as
 * the whole encoder at V = 30,522. So the rows {@code E[ids]} are gathered with plain ND4J and fed
 * as the placeholder {@link #WORD_ROWS}; they enter the graph through {@link #EMBEDDING_SUM}, whose
 * gradient is the gradient of every looked-up row. The trainer scatter-adds those rows into the
 * matrix's gradient: O(B*T*d). The matrix itself is still a graph variable, because the masked-LM
 * decoder is tied to it.
 *
 * <p>Position and token-type embeddings have few rows, so a one-hot matmul costs little
 * ({@code T x maxPositions x d}) and gives their gradients inside the graph.
 */
public final class BertGraph {
    /** Placeholder {@code [B, T, d]}: the looked-up word-embedding rows. */
    public static final String WORD_ROWS = "input.word_rows";
    /** Placeholder {@code [B*T, typeVocab]}: one-hot token types. */
    public static final String TYPE_ONE_HOT = "input.type_one_hot";
    /** Placeholder {@code [B, T]}: 1 at the position whose vocabulary distribution is scored. */
    public static final String POSITION_SELECTOR = "input.position_selector";
    /** Placeholder {@code [B, V]} (or {@code [B, classes]}): one-hot target at the selected position. */
    public static final String TARGET_ONE_HOT = "input.target_one_hot";
    /** Placeholder {@code [B, T]}: 1 for real tokens, 0 for padding (attention's key mask, NAD's attention maps). */
    public static final String TOKEN_MASK = "input.token_mask";
    /** Classifier head weights (CLASSIFIER graphs): {@code [d, classes]} and {@code [classes]}. */
    public static final String CLASSIFIER_WEIGHT = "classifier.weight";
    public static final String CLASSIFIER_BIAS = "classifier.bias";

    /** Word rows + position + type embeddings, before LayerNorm; its gradient feeds the scatter-add. */
    public static final String EMBEDDING_SUM = "embeddings.sum";
    /** Output {@code [B, T, d]}: hidden states after layer {@code i} (0 = embeddings). */
    public static final String HIDDEN_PREFIX = "hidden_states.";
    /** Output {@code [B, d]}: hidden state at the selected position. */
    public static final String SELECTED = "selected_hidden";
    /** Output {@code [B, V]}: vocabulary logits at the selected position, divided by the temperature. */
    public static final String LOGITS = "vocab_logits";
    /** Output {@code [B, V]}: softmax of {@link #LOGITS}. */
    public static final String PROBABILITIES = "vocab_probabilities";
    /** Output scalar: the task loss (mean cross-entropy) plus any extra terms of the spec. */
    public static final String LOSS = "loss";
    /** Output prefix {@code [B, T]}: NAD's attention map of layer i (normalised mean of squared activations). */
    public static final String ATTENTION_MAP_PREFIX = "attention_map.";

    private final BertConfig config;
    private final GraphSpec spec;
    private final int seqLen;
    private final SameDiff sd;

    private BertGraph(BertConfig config, GraphSpec spec, int seqLen, SameDiff sd) {
        this.config = config;
        this.spec = spec;
        this.seqLen = seqLen;
        this.sd = sd;
    }

    public GraphSpec spec() {
        return spec;
    }

    public static String attentionMap(int layer) {
        return ATTENTION_MAP_PREFIX + layer;
    }

    public static String hidden(int layer) {
        return HIDDEN_PREFIX + layer;
    }

    /** Last hidden state output name. */
    public String lastHidden() {
        return hidden(config.layers());
    }

    public SameDiff sameDiff() {
        return sd;
    }

    public BertConfig config() {
        return config;
    }

    public int seqLen() {
        return seqLen;
    }

    /**
     * The graph with the given weights as variables; the weights are copied, so training this graph
     * leaves {@code weights} untouched, unless they were handed over ({@link BertWeights#handOver}): then the graph
     * trains their (contiguous) arrays themselves. Only the tensors the spec uses become variables (a classifier
     * graph leaves a masked-LM head out, a vocabulary graph a classifier), so every variable is
     * trainable by the spec's loss.
     */
    public static BertGraph build(BertWeights weights, int seqLen, GraphSpec spec) {
        NativeMemory.install();
        BertConfig c = weights.config();
        if (seqLen < 1 || seqLen > c.maxSequenceLength()) {
            throw new IllegalArgumentException("sequence length " + seqLen + " outside [1, " + c.maxSequenceLength() + "]");
        }
        boolean mlmHead = spec.head() == GraphSpec.Head.VOCABULARY && c.hasMlmHead();
        boolean classifier = spec.head() == GraphSpec.Head.CLASSIFIER;
        SameDiff sd = SameDiff.create();
        Map<String, INDArray> tensors = weights.tensors();
        boolean adopt = weights.takeArrays();
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            String name = e.getKey();
            boolean isMlm = name.startsWith("cls.predictions.");
            boolean isClassifier = name.startsWith("classifier.");
            if ((!isMlm || mlmHead) && (!isClassifier || classifier)) {
                INDArray array = e.getValue();
                boolean contiguous = !array.isView() && array.ordering() == 'c';
                sd.var(name, adopt && contiguous ? array : array.dup());
            }
        }
        if (classifier && (!sd.hasVariable(CLASSIFIER_WEIGHT) || !sd.hasVariable(CLASSIFIER_BIAS))) {
            throw new IllegalArgumentException("a classifier graph needs " + CLASSIFIER_WEIGHT + " and " + CLASSIFIER_BIAS
                    + " (see ClassifierHead.initialise)");
        }
        new Builder(sd, c, seqLen, spec, mlmHead).build();
        return new BertGraph(c, spec, seqLen, sd);
    }

    /** Graph construction, kept apart so the public class only holds names and the built graph. */
    private static final class Builder {
        private final SameDiff sd;
        private final BertConfig c;
        private final int t;
        private final GraphSpec spec;
        private final boolean mlmHead;

        Builder(SameDiff sd, BertConfig c, int t, GraphSpec spec, boolean mlmHead) {
            this.sd = sd;
            this.c = c;
            this.t = t;
            this.spec = spec;
            this.mlmHead = mlmHead;
        }

        void build() {
            int d = c.hidden();
            SDVariable wordRows = sd.placeHolder(WORD_ROWS, DataType.FLOAT, -1, t, d);
            SDVariable typeOneHot = sd.placeHolder(TYPE_ONE_HOT, DataType.FLOAT, -1, c.typeVocabSize());
            SDVariable selector = sd.placeHolder(POSITION_SELECTOR, DataType.FLOAT, -1, t);
            SDVariable target = sd.placeHolder(TARGET_ONE_HOT, DataType.FLOAT, -1, spec.targetSize(c));

            INDArray positionOneHot = Nd4j.zeros(DataType.FLOAT, t, c.maxPositions());
            for (int i = 0; i < t; i++) {
                positionOneHot.putScalar(i, c.positionOffset() + i, 1f);
            }
            SDVariable positions = sd.mmul(sd.constant("position_one_hot", positionOneHot), v(POSITION_EMBEDDINGS));
            SDVariable types = sd.reshape(sd.mmul(typeOneHot, v(TOKEN_TYPE_EMBEDDINGS)), -1, t, d);
            SDVariable sum = wordRows.add(positions).add(EMBEDDING_SUM, types);
            SDVariable mask = sd.placeHolder(TOKEN_MASK, DataType.FLOAT, -1, t);
            SDVariable h = layerNorm(sd.reshape(sum, -1, d), EMBEDDINGS_LN_WEIGHT, EMBEDDINGS_LN_BIAS);
            sd.reshape(hidden(0), h, -1, t, d);
            for (int i = 0; i < c.layers(); i++) {
                h = block(i, h, mask);
                sd.reshape(hidden(i + 1), h, -1, t, d);
            }
            SDVariable selected = sd.getVariable(hidden(c.layers())).mul(sd.expandDims(selector, 2)).sum(SELECTED, 1);
            SDVariable logits = spec.head() == GraphSpec.Head.VOCABULARY ? vocabularyLogits(selected)
                    : sd.mmul(selected, v(CLASSIFIER_WEIGHT)).add(v(CLASSIFIER_BIAS));
            SDVariable loss = crossEntropy(logits.div(LOGITS, spec.temperature()), target);
            attentionMaps(mask);
            LossTerm.Encoder encoder = new Encoder(mask);
            for (LossTerm term : spec.terms()) {
                loss = loss.add(term.build(encoder));
            }
            sd.setLossVariables(sd.identity(LOSS, loss));
        }

        /**
         * NAD's attention maps (Li et al. 2021: {@code normalize(mean_channels |F|^2)}), with tokens as the
         * spatial axis and hidden units as channels: one map {@code [B, T]} per layer output, padding
         * zeroed, L2-normalised over tokens; outputs of every graph, so that a teacher's maps can be read
         * and a student's distilled ({@code defense.AttentionDistillation}).
         */
        private void attentionMaps(SDVariable mask) {
            for (int layer = 1; layer <= c.layers(); layer++) {
                SDVariable h = sd.getVariable(hidden(layer));
                SDVariable energy = h.mul(h).mean(2).mul(mask);
                SDVariable norm = sd.math.sqrt(energy.mul(energy).sum(true, 1).add(1e-12));
                energy.div(attentionMap(layer), norm);
            }
        }

        /** The encoder as loss terms see it. */
        private final class Encoder implements LossTerm.Encoder {
            private final SDVariable mask;

            Encoder(SDVariable mask) {
                this.mask = mask;
            }

            @Override
            public SameDiff sd() {
                return sd;
            }

            @Override
            public int seqLen() {
                return t;
            }

            @Override
            public int hidden() {
                return c.hidden();
            }

            @Override
            public int layers() {
                return c.layers();
            }

            @Override
            public SDVariable hiddenStates(int layer) {
                return sd.getVariable(BertGraph.hidden(layer));
            }

            @Override
            public SDVariable tokenMask() {
                return mask;
            }
        }

        /** Mean cross-entropy, log-softmax written out: the LogSoftMax op of M2.1 fails when its gradient is built. */
        private SDVariable crossEntropy(SDVariable logits, SDVariable target) {
            SDVariable shifted = logits.sub(logits.max(true, 1));
            SDVariable logProbabilities = shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 1)));
            sd.math.exp(PROBABILITIES, logProbabilities);
            return target.mul(logProbabilities).sum(1).mean().neg();
        }

        private SDVariable block(int i, SDVariable x, SDVariable mask) {
            SDVariable attention = linear(selfAttention(i, x, mask), layer(i, ATTENTION_OUTPUT));
            SDVariable h = layerNorm(attention.add(x), layer(i, ATTENTION_LN) + WEIGHT, layer(i, ATTENTION_LN) + BIAS);
            SDVariable ffn = linear(gelu(linear(h, layer(i, INTERMEDIATE))), layer(i, OUTPUT));
            return layerNorm(ffn.add(h), layer(i, OUTPUT_LN) + WEIGHT, layer(i, OUTPUT_LN) + BIAS);
        }

        /**
         * Multi-head attention on {@code [B*T, d]}; returns the heads' context {@code [B*T, d]}. One fused op
         * (dot_product_attention, scaled by 1/sqrt(head size), padding keys masked) in place of the written-out scores,
         * bias, softmax and product: fewer ops per block and no {@code [B, heads, T, T]} arrays kept for the backward
         * pass. The op takes features before time: {@code [B, heads, size, T]}.
         */
        private SDVariable selfAttention(int i, SDVariable x, SDVariable mask) {
            SDVariable context = sd.nn.dotProductAttention(heads(x, QUERY, i), heads(x, KEY, i), heads(x, VALUE, i), mask,
                    true);
            return sd.reshape(sd.permute(context, 0, 3, 1, 2), -1, c.hidden());
        }

        /** {@code [B*T, d]} through one projection, split into heads: {@code [B, heads, size, T]}. */
        private SDVariable heads(SDVariable x, String projection, int i) {
            return sd.permute(sd.reshape(linear(x, layer(i, projection)), -1, t, c.heads(), c.headSize()), 0, 2, 3, 1);
        }

        /**
         * Eq. 1's scores {@code e_w . h_sel} over the whole vocabulary, through the checkpoint's
         * masked-LM transform and output bias where it has them; the decoder is the word-embedding
         * matrix itself (tied), so a checkpoint without a head (MiniLM) scores {@code e_w . h} directly.
         */
        private SDVariable vocabularyLogits(SDVariable selected) {
            SDVariable h = selected;
            if (mlmHead) {
                h = layerNorm(gelu(linear(selected, MLM_DENSE)), MLM_LN + WEIGHT, MLM_LN + BIAS);
            }
            SDVariable logits = sd.mmul(h, v(WORD_EMBEDDINGS), false, true, false);
            return mlmHead ? logits.add(v(MLM_BIAS)) : logits;
        }

        private SDVariable linear(SDVariable x2d, String prefix) {
            return sd.mmul(x2d, v(prefix + WEIGHT)).add(v(prefix + BIAS));
        }

        /** LayerNorm over the last axis of a 2-D input, epsilon from the config (written out: the built-in op fixes it). */
        private SDVariable layerNorm(SDVariable x2d, String gain, String shift) {
            SDVariable centred = x2d.sub(x2d.mean(true, 1));
            SDVariable variance = centred.mul(centred).mean(true, 1);
            SDVariable normed = centred.div(sd.math.sqrt(variance.add(c.layerNormEps())));
            return normed.mul(v(gain)).add(v(shift));
        }

        /** Exact GELU, as BERT uses: {@code 0.5 x (1 + erf(x / sqrt 2))}. */
        private SDVariable gelu(SDVariable x) {
            return x.mul(0.5).mul(sd.math.erf(x.div(Math.sqrt(2.0))).add(1.0));
        }

        private SDVariable v(String name) {
            return sd.getVariable(name);
        }
    }

    /** Names of the hidden-state outputs, embeddings first. */
    public List<String> hiddenStateNames() {
        return java.util.stream.IntStream.rangeClosed(0, config.layers()).mapToObj(BertGraph::hidden).toList();
    }
}
