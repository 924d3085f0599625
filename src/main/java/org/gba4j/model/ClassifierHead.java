package org.gba4j.model;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fresh linear classification head on the [CLS] output, as fine-tuning adds one: weights from
 * N(0, 0.02) (BERT's initializer range), bias 0. No pooler and no dropout: the readers skip the
 * pooler (MiniLM's was trained for sentence embeddings, not classification) and training here is
 * deterministic.
 */
public final class ClassifierHead {
    private ClassifierHead() {
    }

    public static BertWeights initialise(BertWeights weights, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        int d = weights.config().hidden();
        return weights.with(Map.of(
                BertGraph.CLASSIFIER_WEIGHT, Nd4j.randn(DataType.FLOAT, d, classes).muli(0.02),
                BertGraph.CLASSIFIER_BIAS, Nd4j.zeros(DataType.FLOAT, classes)));
    }

    /** The encoder alone: a classifier's weights without its head (to adapt it to a task with other classes). */
    public static BertWeights remove(BertWeights weights) {
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> tensors = new java.util.LinkedHashMap<>(weights.tensors());
        tensors.remove(BertGraph.CLASSIFIER_WEIGHT);
        tensors.remove(BertGraph.CLASSIFIER_BIAS);
        return new BertWeights(weights.source(), weights.config(), tensors);
    }

    public static boolean has(BertWeights weights) {
        return weights.has(BertGraph.CLASSIFIER_WEIGHT);
    }
}
