package org.gba4j.model;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A BERT-family encoder with live (trainable) weights: the SameDiff graph of {@link BertGraph} plus
 * the feeding of batches into it. The word-embedding lookup happens here, in plain ND4J, because
 * the graph cannot differentiate a gather in DL4J M2.1 (see {@link BertGraph}).
 */
public final class BertModel {
    private final BertGraph graph;
    private final BertWeights initial;

    private BertModel(BertGraph graph, BertWeights initial) {
        this.graph = graph;
        this.initial = initial;
    }

    /** A model for sequences of exactly {@code seqLen} tokens (shorter ones are padded). */
    public static BertModel of(BertWeights weights, int seqLen, GraphSpec spec) {
        return new BertModel(BertGraph.build(weights, seqLen, spec), weights);
    }

    /** A vocabulary-head model (Eq. 1) with temperature T. */
    public static BertModel of(BertWeights weights, int seqLen, double temperature) {
        return of(weights, seqLen, GraphSpec.vocabulary(temperature));
    }

    public static BertModel of(BertWeights weights, int seqLen) {
        return of(weights, seqLen, 1.0);
    }

    public BertGraph graph() {
        return graph;
    }

    public BertConfig config() {
        return graph.config();
    }

    public int seqLen() {
        return graph.seqLen();
    }

    /** The live word-embedding matrix {@code [V, d]}: the array training updates in place. */
    public INDArray wordEmbeddings() {
        return graph.sameDiff().getVariable(WORD_EMBEDDINGS).getArr();
    }

    /** Last hidden state {@code [B, T, d]}. */
    public INDArray lastHiddenState(TokenBatch batch) {
        return output(feed(batch), List.of(graph.lastHidden())).get(graph.lastHidden());
    }

    /** Hidden states of every layer, embeddings output first: {@code layers + 1} arrays {@code [B, T, d]}. */
    public List<INDArray> hiddenStates(TokenBatch batch) {
        Map<String, INDArray> out = output(feed(batch), graph.hiddenStateNames());
        return graph.hiddenStateNames().stream().map(out::get).toList();
    }

    /** NAD's attention maps of every layer output, {@code [B, T]} each, layer 1 first. */
    public List<INDArray> attentionMaps(TokenBatch batch) {
        List<String> names = java.util.stream.IntStream.rangeClosed(1, config().layers())
                .mapToObj(BertGraph::attentionMap).toList();
        Map<String, INDArray> out = output(feed(batch), names);
        return names.stream().map(out::get).toList();
    }

    /**
     * The head's logits at one position per row: {@code [B, V]} over the vocabulary (divided by the
     * temperature) or {@code [B, classes]} for a classifier.
     */
    public INDArray logits(TokenBatch batch, int[] positions) {
        Map<String, INDArray> feed = feed(batch);
        feed.put(BertGraph.POSITION_SELECTOR, selector(batch, positions));
        return output(feed, List.of(BertGraph.LOGITS)).get(BertGraph.LOGITS);
    }

    /** Placeholders for a batch: looked-up word rows, one-hot types and the padding bias. */
    public Map<String, INDArray> feed(TokenBatch batch) {
        BertConfig c = config();
        if (batch.seqLen() != seqLen()) {
            throw new IllegalArgumentException("batch rows are " + batch.seqLen() + " long, model expects " + seqLen());
        }
        int b = batch.batchSize();
        int t = seqLen();
        int[] flatIds = new int[b * t];
        INDArray types = Nd4j.zeros(DataType.FLOAT, (long) b * t, c.typeVocabSize());
        INDArray mask = Nd4j.ones(DataType.FLOAT, b, t);
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                int id = batch.ids()[i][j];
                int type = batch.typeIds()[i][j];
                if (id < 0 || id >= c.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + c.vocabSize());
                }
                if (type < 0 || type >= c.typeVocabSize()) {
                    throw new IllegalArgumentException("token type " + type + " outside [0, " + c.typeVocabSize() + ")");
                }
                flatIds[i * t + j] = id;
                types.putScalar((long) i * t + j, type, 1f);
                if (j >= batch.lengths()[i]) {
                    mask.putScalar(i, j, 0f);
                }
            }
        }
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(BertGraph.WORD_ROWS, wordEmbeddings().getRows(flatIds).reshape(b, t, c.hidden()));
        feed.put(BertGraph.TYPE_ONE_HOT, types);
        feed.put(BertGraph.TOKEN_MASK, mask);
        return feed;
    }

    /** One-hot {@code [B, T]} selecting one position per row. */
    public INDArray selector(TokenBatch batch, int[] positions) {
        if (positions.length != batch.batchSize()) {
            throw new IllegalArgumentException(positions.length + " positions for a batch of " + batch.batchSize());
        }
        INDArray selector = Nd4j.zeros(DataType.FLOAT, batch.batchSize(), seqLen());
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] < 0 || positions[i] >= batch.lengths()[i]) {
                throw new IllegalArgumentException("position " + positions[i] + " is not a real token of row " + i);
            }
            selector.putScalar(i, positions[i], 1f);
        }
        return selector;
    }

    /** Runs the graph on a fresh feed, which it then frees ({@link NativeMemory}). */
    private Map<String, INDArray> output(Map<String, INDArray> feed, List<String> names) {
        try {
            return graph.sameDiff().output(feed, names);
        } finally {
            NativeMemory.closeAll(feed.values());
        }
    }

    /**
     * A snapshot of the current weights under canonical names: the trained variables, plus the
     * tensors this graph did not use (e.g. a masked-LM head while training a classifier), unchanged.
     */
    public BertWeights weights() {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (SDVariable variable : graph.sameDiff().variables()) {
            if (variable.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                tensors.put(variable.name(), variable.getArr().dup());
            }
        }
        return initial.with(tensors);
    }
}
