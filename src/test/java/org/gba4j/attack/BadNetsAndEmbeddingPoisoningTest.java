package org.gba4j.attack;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.gba4j.Slow;
import org.gba4j.classify.TextClassifier;
import org.gba4j.eval.BackdoorEvaluation;
import org.gba4j.io.PretrainedModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * BadNets and Embedding Poisoning on a small real MR slice with MiniLM: ASR >= 90% on triggered
 * non-target test sentences, clean accuracy within 5 points of a clean fine-tune on the same slice.
 */
@Slow
class BadNetsAndEmbeddingPoisoningTest {
    private static PretrainedModel minilm;
    private static TextClassifier clean;
    private static BackdoorEvaluation.Scores cleanScores;

    @BeforeAll
    static void cleanBaseline() {
        minilm = PretrainedModel.load(PretrainedModel.MINILM);
        clean = AttackSlice.cleanFineTune(minilm);
        cleanScores = BackdoorEvaluation.evaluate(clean, AttackSlice.TEST, new Poisoner(List.of("cf"), 1, 42), 1,
                TriggerPosition.START);
        System.out.println("clean fine-tune: " + cleanScores);
    }

    @AfterAll
    static void close() {
        minilm.close();
    }

    @Test
    void badNets() {
        BadNets.Config config = BadNets.Config.quick("cf", 1);
        BackdooredModel backdoored = BadNets.attack(minilm.weights(), minilm.tokenizer(), AttackSlice.TRAIN, 2, "mr/train[0:400]",
                config, p -> { });
        BackdoorEvaluation.Scores scores = BackdoorEvaluation.evaluate(AttackSlice.classifier(backdoored.weights(), minilm),
                AttackSlice.TEST, new Poisoner(List.of("cf"), 1, 42), 1, TriggerPosition.START);
        System.out.println("BadNets: " + scores);
        assertTrue(scores.asr() >= 0.9, "BadNets " + scores);
        assertTrue(scores.acc() >= cleanScores.acc() - 0.05, "BadNets " + scores + " vs clean " + cleanScores);
        assertEquals("badnets", backdoored.metadata().attack());
    }

    @Test
    void embeddingPoisoningChangesExactlyOneRow() {
        EmbeddingPoisoning.Config config = EmbeddingPoisoning.Config.quick("cf", 1);
        var fineTuned = clean.model().weights();
        BackdooredModel backdoored = EmbeddingPoisoning.attack(fineTuned, minilm.tokenizer(), AttackSlice.TRAIN, 2,
                "mr/train[0:400]", config, p -> { });
        BackdoorEvaluation.Scores scores = BackdoorEvaluation.evaluate(AttackSlice.classifier(backdoored.weights(), minilm),
                AttackSlice.TEST, new Poisoner(List.of("cf"), 1, 42), 1, TriggerPosition.RANDOM);
        System.out.println("Embedding Poisoning: " + scores);

        int trigger = minilm.tokenizer().tokenId("cf");
        INDArray changedRows = backdoored.weights().get(WORD_EMBEDDINGS).sub(fineTuned.get(WORD_EMBEDDINGS))
                .norm2(1).gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        assertEquals(1, changedRows.sumNumber().intValue(), "exactly one embedding row changes");
        assertTrue(changedRows.getDouble(trigger) > 0, "the changed row is the trigger's");
        for (var entry : fineTuned.tensors().entrySet()) {
            if (!entry.getKey().equals(WORD_EMBEDDINGS)) {
                assertEquals(entry.getValue(), backdoored.weights().get(entry.getKey()), entry.getKey() + " changed");
            }
        }
        assertEquals(fineTuned.get(WORD_EMBEDDINGS).getRow(trigger).norm2Number().doubleValue(),
                backdoored.weights().get(WORD_EMBEDDINGS).getRow(trigger).norm2Number().doubleValue(), 1e-4);
        assertTrue(scores.asr() >= 0.9, "EP " + scores);
        assertTrue(scores.acc() >= cleanScores.acc() - 0.05, "EP " + scores + " vs clean " + cleanScores);
    }
}
