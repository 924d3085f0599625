package org.gba4j.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link BertGraph} computes on top of the encoder: its output head and the extra loss terms
 * of attacks and defenses, which those own ({@link LossTerm}).
 *
 * @param head        {@link Head#VOCABULARY}: logits over the whole vocabulary at the selected
 *                    position, through the tied decoder (Eq. 1, masked-LM); {@link Head#CLASSIFIER}:
 *                    a linear classifier on the selected position (fine-tuning with a head, as BadNets)
 * @param classes     classifier outputs (CLASSIFIER only)
 * @param temperature T of Eq. 1 (VOCABULARY only)
 * @param terms       extra loss terms, added to the task loss in this order
 */
public record GraphSpec(Head head, int classes, double temperature, List<LossTerm> terms) {

    /** The output head. */
    public enum Head { VOCABULARY, CLASSIFIER }

    public GraphSpec {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        if (head == Head.CLASSIFIER && classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least two classes, got " + classes);
        }
        terms = List.copyOf(terms);
    }

    public static GraphSpec vocabulary(double temperature) {
        return new GraphSpec(Head.VOCABULARY, 0, temperature, List.of());
    }

    public static GraphSpec classifier(int classes) {
        return new GraphSpec(Head.CLASSIFIER, classes, 1, List.of());
    }

    /** This spec with {@code term} added to the loss. */
    public GraphSpec with(LossTerm term) {
        List<LossTerm> more = new ArrayList<>(terms);
        more.add(term);
        return new GraphSpec(head, classes, temperature, more);
    }

    /** Width of the target one-hot and of the probabilities: V or the number of classes. */
    public int targetSize(BertConfig config) {
        return head == Head.VOCABULARY ? config.vocabSize() : classes;
    }
}
