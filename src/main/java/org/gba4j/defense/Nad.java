package org.gba4j.defense;

import java.util.List;
import java.util.function.Consumer;
import org.gba4j.classify.FineTuning;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.GraphSpec;
import org.gba4j.text.Tokenizer;

/**
 * NAD and NAD-C (section 4.2, appendix C). Teacher: the backdoored model fine-tuned on clean data
 * (Clean-FT's result, reused). Student: the backdoored model itself (NAD) or a clean pre-trained
 * checkpoint with a fresh head (NAD-C, the upper bound of NAD). The student is trained with label
 * cross-entropy plus {@code beta} times the layer-wise attention-map distance to the teacher.
 *
 * @param beta       distillation weight; the paper searches {1000, 2000, 5000}
 * @param fineTuning the student's optimiser settings (appendix C: lr 2e-5, batch 32, no weight decay)
 */
public record Nad(double beta, FineTuning fineTuning) {

    public Nad {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("NAD's beta must be positive, got " + beta);
        }
    }

    /** Appendix C's settings with the given beta and the victim's training budget. */
    public static Nad paper(double beta, int epochs, int maxLength) {
        return new Nad(beta, new FineTuning(2e-5, epochs, 32, maxLength, 42));
    }

    /**
     * Distils {@code teacher} into {@code student}. The teacher must already carry its classification
     * head; a student without one (NAD-C's clean checkpoint) gets a fresh head.
     */
    public TextClassifier defend(BertWeights student, BertWeights teacher, Tokenizer tokenizer, List<LabeledText> clean,
                                 int classes, Consumer<TextClassifier.Progress> progress) {
        BertModel teacherModel = BertModel.of(teacher, fineTuning.maxLength(), GraphSpec.classifier(classes));
        TextClassifier classifier = student(student, tokenizer, classes);
        fineTuning.train(classifier, clean, List.of(new NadDistillation(teacherModel)), progress);
        return classifier;
    }

    /** The untrained student: its weights, a fresh head if it has none, and the distillation term. */
    public TextClassifier student(BertWeights student, Tokenizer tokenizer, int classes) {
        return fineTuning.classifier(student, tokenizer, classes, GraphSpec.classifier(classes).with(new AttentionDistillation(beta)));
    }
}
