package org.gba4j.attack;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.gba4j.Slow;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.CorpusSentences;
import org.gba4j.data.LabeledText;
import org.gba4j.eval.Metrics;
import org.gba4j.eval.NeuBAEvaluation;
import org.gba4j.io.PretrainedModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NeuBA end to end on MiniLM with {@link NeuBA.Config#quick()}: poisoned pre-training on Austen
 * sentences (no task data), then the victim's clean fine-tuning on the attack tests' MR slice
 * ({@link AttackSlice}), then per-trigger ASR with the trigger at the start of non-target test
 * sentences (appendix B.2). The clean baseline is the un-attacked MiniLM fine-tuned with the same
 * victim settings and seed.
 *
 * <p>Measured (2 shared cores, ~6 min): clean ACC 75.0% for the victim vs 74.5% un-attacked;
 * best-trigger ASR 100% ("mn", class 1; "mb" 91.8%), against a best of 52.7% for the same measure on
 * the un-attacked model, asserted as a control (best-of-6 with a free target class is not 0 without
 * an attack). An earlier version of this test used 128 training sentences, where neither model
 * learned the task (63.1% un-attacked, 51.9% victim).
 */
@Slow
class NeuBATest {
    private static final long SEED = 7;

    @Test
    void targetVectorsAreOppositePairsOfOrthogonalDirections() {
        INDArray v = NeuBA.targetVectors(384, 6);
        assertEquals(384.0, v.getRow(0).mul(v.getRow(0)).sumNumber().doubleValue());
        assertEquals(-384.0, v.getRow(0).mul(v.getRow(5)).sumNumber().doubleValue()); // (0,1) vs (2,3)
        assertEquals(0.0, v.getRow(0).mul(v.getRow(1)).sumNumber().doubleValue());
        assertEquals(-384.0, v.getRow(2).mul(v.getRow(3)).sumNumber().doubleValue()); // (0,3) vs (1,2)
    }

    @Test
    void backdoorSurvivesCleanFineTuning() {
        List<LabeledText> train = AttackSlice.TRAIN;
        List<LabeledText> test = AttackSlice.TEST;
        List<String> sentences = CorpusSentences.load(Path.of("datasets"), "austen", 6, 30, 4000);
        NeuBA.Config config = NeuBA.Config.quick();
        try (PretrainedModel minilm = PretrainedModel.load(PretrainedModel.MINILM)) {
            long t0 = System.nanoTime();
            BackdooredModel attacked = NeuBA.attack(minilm.weights(), minilm.tokenizer(), Triggers.BERT, sentences,
                    "austen", config, SEED, p -> {
                        if (p.step() % 10 == 0) {
                            System.out.printf("NeuBA step %d/%d loss %.3f (%.1fs)%n", p.step(), p.steps(), p.loss(), p.secondsPerStep());
                        }
                    });
            long t1 = System.nanoTime();
            assertEquals("neuba", attacked.metadata().attack());
            assertEquals(-1, attacked.metadata().target());

            TextClassifier victim = NeuBAEvaluation.fineTune(attacked.weights(), minilm.tokenizer(), train, 2, config, SEED);
            TextClassifier clean = NeuBAEvaluation.fineTune(minilm.weights(), minilm.tokenizer(), train, 2, config, SEED);
            long t2 = System.nanoTime();
            int[] gold = test.stream().mapToInt(LabeledText::label).toArray();
            double victimAcc = Metrics.accuracy(victim.predict(test), gold);
            double cleanAcc = Metrics.accuracy(clean.predict(test), gold);
            NeuBAEvaluation.Report report = NeuBAEvaluation.evaluate(victim, test, Triggers.BERT, SEED);
            NeuBAEvaluation.Report baseline = NeuBAEvaluation.evaluate(clean, test, Triggers.BERT, SEED);
            long t3 = System.nanoTime();
            String summary = String.format("NeuBA quick: pre-training %.0fs, fine-tuning x2 %.0fs, eval %.0fs;"
                            + " clean ACC %.1f%% (un-attacked) vs %.1f%% (NeuBA victim); ASR %s; un-attacked %s",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, 100 * cleanAcc, 100 * victimAcc, report, baseline);
            System.out.println(summary);
            assertTrue(report.best().asr() >= 0.9, summary);
            assertTrue(report.best().asr() >= baseline.best().asr() + 0.2, summary);
            assertTrue(victimAcc >= cleanAcc - 0.05, summary);
        }
    }
}
