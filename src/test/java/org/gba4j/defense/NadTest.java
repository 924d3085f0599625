package org.gba4j.defense;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gba4j.classify.FineTuning;
import org.gba4j.model.BertGraph;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.ClassifierHead;
import org.gba4j.model.GraphSpec;
import org.gba4j.model.TinyBert;
import org.gba4j.model.TokenBatch;
import org.gba4j.text.Tokenizer;
import org.gba4j.train.MaskedTokenBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** NAD's distillation term and NAD-C's student. */
class NadTest {
    private static final int SEQ = 6;
    private static final TokenBatch BATCH = new TokenBatch(new int[][] {{1, 5, 9, 5, 2, 0}, {1, 7, 2, 0, 0, 0}},
            new int[2][SEQ], new int[] {5, 3});

    @Test
    void distillationIsZeroForTheSameModelAndPositiveOtherwise() {
        BertWeights student = ClassifierHead.initialise(TinyBert.weights(TinyBert.config(false), 1), 2, 1);
        assertEquals(0.0, distillation(student, student), 1e-9);
        BertWeights other = ClassifierHead.initialise(TinyBert.weights(TinyBert.config(false), 2), 2, 1);
        assertTrue(distillation(student, other) > 1e-4);
    }

    private static double distillation(BertWeights student, BertWeights teacher) {
        BertModel studentModel = BertModel.of(student, SEQ, GraphSpec.classifier(2).with(new AttentionDistillation(1000)));
        BertModel teacherModel = BertModel.of(teacher, SEQ, GraphSpec.classifier(2));
        Map<String, INDArray> feed = studentModel.feed(BATCH);
        new NadDistillation(teacherModel).beforeStep(studentModel,
                new MaskedTokenBatch(BATCH, new int[2], new int[2]), feed);
        return studentModel.graph().sameDiff().output(feed, List.of(AttentionDistillation.OUTPUT))
                .get(AttentionDistillation.OUTPUT).getDouble(0);
    }

    @Test
    void nadCStudentStartsFromTheCleanCheckpoint() {
        BertWeights clean = TinyBert.weights(TinyBert.config(false), 3);
        try (Tokenizer tokenizer = Tokenizer.fromVocabTxt(Path.of("src/test/resources/bert-base-uncased-vocab.txt"), true)) {
            Nad nad = new Nad(1000, new FineTuning(2e-5, 1, 2, SEQ, 42));
            BertWeights student = nad.student(clean, tokenizer, 2).model().weights();
            for (var entry : clean.tensors().entrySet()) {
                assertEquals(entry.getValue(), student.get(entry.getKey()), entry.getKey());
            }
            assertTrue(ClassifierHead.has(student), "NAD-C's clean student gets a fresh head");
        }
    }
}
