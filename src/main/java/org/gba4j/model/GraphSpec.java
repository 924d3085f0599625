package org.gba4j.model;

/**
 * What a {@link BertGraph} computes on top of the encoder: its output head and the optional extra
 * loss terms of attacks and defenses.
 *
 * @param head               {@link Head#VOCABULARY}: logits over the whole vocabulary at the selected
 *                           position, through the tied decoder (Eq. 1, masked-LM); {@link Head#CLASSIFIER}:
 *                           a linear classifier on the selected position (fine-tuning with a head, as BadNets)
 * @param classes            classifier outputs (CLASSIFIER only)
 * @param temperature        T of Eq. 1 (VOCABULARY only)
 * @param distillationBeta   weight of NAD's attention-map distillation term; 0 = no term
 * @param clsTargetWeight    weight of NeuBA's term pulling the [CLS] output to given vectors; 0 = no term
 */
public record GraphSpec(Head head, int classes, double temperature, double distillationBeta, double clsTargetWeight) {

    /** The output head. */
    public enum Head { VOCABULARY, CLASSIFIER }

    public GraphSpec {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        if (head == Head.CLASSIFIER && classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least two classes, got " + classes);
        }
        if (distillationBeta < 0 || clsTargetWeight < 0) {
            throw new IllegalArgumentException("loss term weights must be non-negative");
        }
    }

    public static GraphSpec vocabulary(double temperature) {
        return new GraphSpec(Head.VOCABULARY, 0, temperature, 0, 0);
    }

    public static GraphSpec classifier(int classes) {
        return new GraphSpec(Head.CLASSIFIER, classes, 1, 0, 0);
    }

    public GraphSpec withDistillation(double beta) {
        return new GraphSpec(head, classes, temperature, beta, clsTargetWeight);
    }

    public GraphSpec withClsTargets(double weight) {
        return new GraphSpec(head, classes, temperature, distillationBeta, weight);
    }

    /** Width of the target one-hot and of the probabilities: V or the number of classes. */
    public int targetSize(BertConfig config) {
        return head == Head.VOCABULARY ? config.vocabSize() : classes;
    }
}
