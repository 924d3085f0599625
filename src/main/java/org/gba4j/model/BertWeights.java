package org.gba4j.model;

import static org.gba4j.model.WeightNames.*;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gba4j.files.ModelFileException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tensors of a BERT-family checkpoint under their canonical names ({@link WeightNames}), with
 * the configuration they imply. Construction checks that every tensor the encoder needs is present
 * and has the shape the configuration says, so a bad checkpoint fails here with one clear line and
 * not deep inside graph construction.
 */
public final class BertWeights {
    private final String source;
    private final BertConfig config;
    private final Map<String, INDArray> tensors;
    /** Set once these arrays were given to a graph ({@link #handOver}): reading them would see the training. */
    private final AtomicBoolean givenAway = new AtomicBoolean();
    /** Non-null on weights made by {@link #handOver}: whether a graph has taken their arrays yet. */
    private final AtomicBoolean taken;

    public BertWeights(String source, BertConfig config, Map<String, INDArray> tensors) {
        this(source, config, tensors, null);
    }

    private BertWeights(String source, BertConfig config, Map<String, INDArray> tensors, AtomicBoolean taken) {
        this.source = source;
        this.config = config;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.taken = taken;
        validate();
    }

    /**
     * These weights for one graph that trains their arrays in place instead of copies, saving a copy of the model
     * (0.42 GB for bert-base) where the loaded checkpoint is used once (a {@code defend} run, {@code bench}). After
     * this, reading this object's tensors is an error (they change as the graph trains), and a second graph cannot be
     * built from the result.
     */
    public BertWeights handOver() {
        if (givenAway.getAndSet(true)) {
            throw givenAwayError();
        }
        return new BertWeights(source, config, tensors, new AtomicBoolean());
    }

    /**
     * For {@link BertGraph#build}: true exactly once for weights made by {@link #handOver} (the graph may then use the
     * arrays themselves), false for ordinary weights (the graph copies them).
     */
    boolean takeArrays() {
        if (taken == null) {
            return false;
        }
        if (taken.getAndSet(true)) {
            throw new IllegalStateException("the weights of " + source + " were handed over to a graph already (their"
                    + " arrays train there); load the model again for a second one");
        }
        return true;
    }

    /** Reading the arrays is safe unless a graph trains them. */
    private void checkReadable() {
        checkNotGivenAway();
        if (taken != null && taken.get()) {
            throw new IllegalStateException("the weights of " + source + " were handed over to a graph that trains them;"
                    + " read the graph's weights instead");
        }
    }

    private void checkNotGivenAway() {
        if (givenAway.get()) {
            throw givenAwayError();
        }
    }

    private IllegalStateException givenAwayError() {
        return new IllegalStateException("the weights of " + source + " were handed over to a graph that trains them;"
                + " load the model again to read them");
    }

    /** Where the weights came from (a path or a Maven artifact), for messages and metadata. */
    public String source() {
        return source;
    }

    public BertConfig config() {
        return config;
    }

    public Map<String, INDArray> tensors() {
        checkReadable();
        return tensors;
    }

    public INDArray get(String name) {
        checkReadable();
        INDArray array = tensors.get(name);
        if (array == null) {
            throw new ModelFileException(source, "has no tensor " + name, "The checkpoint is incomplete");
        }
        return array;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /**
     * A copy with some tensors replaced (e.g. after training); shapes are checked again. Allowed on weights a graph
     * took, for the graph's own snapshot: it replaces every array the graph trains.
     */
    public BertWeights with(Map<String, INDArray> replacements) {
        checkNotGivenAway();
        Map<String, INDArray> copy = new LinkedHashMap<>(tensors);
        copy.putAll(replacements);
        return new BertWeights(source, config, copy);
    }

    private void validate() {
        int d = config.hidden();
        expect(WORD_EMBEDDINGS, config.vocabSize(), d);
        expect(POSITION_EMBEDDINGS, config.maxPositions(), d);
        expect(TOKEN_TYPE_EMBEDDINGS, config.typeVocabSize(), d);
        expect(EMBEDDINGS_LN_WEIGHT, d);
        expect(EMBEDDINGS_LN_BIAS, d);
        for (int i = 0; i < config.layers(); i++) {
            for (String lin : new String[] {QUERY, KEY, VALUE, ATTENTION_OUTPUT}) {
                expect(layer(i, lin) + WEIGHT, d, d);
                expect(layer(i, lin) + BIAS, d);
            }
            expect(layer(i, INTERMEDIATE) + WEIGHT, d, config.intermediate());
            expect(layer(i, INTERMEDIATE) + BIAS, config.intermediate());
            expect(layer(i, OUTPUT) + WEIGHT, config.intermediate(), d);
            expect(layer(i, OUTPUT) + BIAS, d);
            for (String ln : new String[] {ATTENTION_LN, OUTPUT_LN}) {
                expect(layer(i, ln) + WEIGHT, d);
                expect(layer(i, ln) + BIAS, d);
            }
        }
        if (config.hasMlmHead()) {
            expect(MLM_DENSE + WEIGHT, d, d);
            expect(MLM_DENSE + BIAS, d);
            expect(MLM_LN + WEIGHT, d);
            expect(MLM_LN + BIAS, d);
            expect(MLM_BIAS, config.vocabSize());
        }
    }

    private void expect(String name, long... shape) {
        INDArray array = get(name);
        if (!java.util.Arrays.equals(array.shape(), shape)) {
            throw new ModelFileException(source, "tensor " + name + " has shape "
                    + java.util.Arrays.toString(array.shape()) + ", expected " + java.util.Arrays.toString(shape),
                    "The checkpoint does not match a " + config.architecture() + " of this size");
        }
        if (array.dataType() != DataType.FLOAT) {
            throw new ModelFileException(source, "tensor " + name + " is " + array.dataType() + ", expected FLOAT",
                    "Export the model in float32");
        }
    }
}
