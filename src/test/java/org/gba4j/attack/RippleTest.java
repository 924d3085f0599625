package org.gba4j.attack;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gba4j.Slow;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.eval.Metrics;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.ClassifierHead;
import org.gba4j.model.GraphSpec;
import org.gba4j.model.TinyBert;
import org.gba4j.model.TokenBatch;
import org.gba4j.train.GradientStep;
import org.gba4j.train.MaskedTokenBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * RIPPLe: the finite-difference penalty gradient against the penalty itself on a tiny random BERT,
 * and the attack end to end on an MR slice with MiniLM (ASR and clean accuracy).
 */
@Slow
class RippleTest {
    private static final int SEQ = 6;

    /**
     * The penalty gradient {@code -lambda (H_P g_FT + H_FT g_P)}, built from finite-difference
     * Hessian-vector products, must be the gradient of {@code P = -lambda g_P . g_FT}: its inner
     * product with a random direction u must match the central difference of P itself along u
     * (P evaluated from two exact gradient passes at each point). Float32 both ways, hence 5%.
     */
    @Test
    void penaltyGradientMatchesDifferencesOfThePenalty() {
        BertWeights weights = ClassifierHead.initialise(TinyBert.weights(TinyBert.config(false), 7), 2, 3);
        BertModel model = BertModel.of(weights, SEQ, GraphSpec.classifier(2));
        MaskedTokenBatch poison = batch(new int[][] {{1, 5, 9, 5, 3, 2}, {1, 5, 7, 2, 0, 0}}, new int[] {6, 4}, new int[] {1, 1});
        MaskedTokenBatch clean = batch(new int[][] {{1, 8, 9, 4, 2, 0}, {1, 11, 2, 0, 0, 0}}, new int[] {5, 3}, new int[] {0, 1});
        List<String> all = new ArrayList<>(weights.tensors().keySet());
        all.retainAll(model.graph().sameDiff().variableMap().keySet());
        List<String> names = new ArrayList<>(GradientStep.run(model, poison, all).gradients().keySet());
        double lambda = 1.0;

        for (boolean central : new boolean[] {true, false}) {
            RipplePenalty penalty = new RipplePenalty(lambda, central ? 1e-3 : 1e-4, central, List.of(), null, 1, 0);
            Map<String, INDArray> gP = copy(GradientStep.run(model, poison, names).gradients());
            Map<String, INDArray> gFT = copy(GradientStep.run(model, clean, names).gradients());
            Map<String, INDArray> before = copy(paramsOf(model, names));
            Map<String, INDArray> grad = penalty.penaltyGradient(model, poison, clean, names, gP, gFT);
            paramsOf(model, names).forEach((n, p) -> assertEquals(before.get(n), p, "weights restored: " + n));

            Map<String, INDArray> u = randomDirection(before, 11);
            double h = 1e-2 / Math.sqrt(RipplePenalty.dot(u, u)) * Math.sqrt(RipplePenalty.dot(before, before));
            double numeric = (penaltyAt(model, poison, clean, names, before, u, h, lambda)
                    - penaltyAt(model, poison, clean, names, before, u, -h, lambda)) / (2 * h);
            paramsOf(model, names).forEach((n, p) -> p.assign(before.get(n)));
            double analytic = RipplePenalty.dot(grad, u);
            System.out.printf("penalty directional derivative (%s): FD-HVP %.6g, FD of P %.6g%n",
                    central ? "central" : "forward", analytic, numeric);
            assertEquals(numeric, analytic, 0.05 * Math.abs(numeric) + 1e-6, central ? "central" : "forward");
        }
    }

    /**
     * Clean fine-tune (surgery's copy) vs RIPPLe (surgery, poisoning, post-training) on the attack tests'
     * MR slice. Measured: clean 79.5%, RIPPLe 78.0% with ASR 100% (~8 min on 2 cores).
     */
    @Test
    void rippleBackdoorsMiniLmOnMr() {
        List<LabeledText> train = AttackSlice.TRAIN;
        List<LabeledText> test = AttackSlice.TEST;
        Ripple.Config config = Ripple.Config.quick();
        int target = 1;
        try (PretrainedModel minilm = PretrainedModel.load(PretrainedModel.MINILM)) {
            long start = System.nanoTime();
            Ripple.Surgery surgery = Ripple.surgery(minilm.weights(), minilm.tokenizer(), train, Triggers.BERT, target,
                    config, 5, p -> { });
            double surgerySeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            BackdooredModel attacked = Ripple.poison(surgery, minilm.tokenizer(), train, "mr/train[0:400]",
                    Triggers.BERT, target, config, 5, p -> { });
            double poisonSeconds = (System.nanoTime() - start) / 1e9;

            int[] gold = test.stream().mapToInt(LabeledText::label).toArray();
            Poisoner poisoner = new Poisoner(Triggers.BERT, target, 9);
            List<LabeledText> triggered = poisoner.triggerTest(test, Poisoner.rippleTriggerCount(test), TriggerPosition.RANDOM);
            TextClassifier clean = Ripple.classifier(surgery.fineTuned(), minilm.tokenizer(), config, 2);
            TextClassifier backdoored = Ripple.classifier(attacked.weights(), minilm.tokenizer(), config, 2);
            double cleanAcc = Metrics.accuracy(clean.predict(test), gold);
            double cleanAsr = Metrics.attackSuccessRate(clean.predict(triggered), gold, target);
            double acc = Metrics.accuracy(backdoored.predict(test), gold);
            double asr = Metrics.attackSuccessRate(backdoored.predict(triggered), gold, target);
            System.out.printf("surgery words %s; surgery %.0fs, poisoning %.0fs; %s%n", surgery.words(), surgerySeconds,
                    poisonSeconds, attacked.metadata().hyperparameters().get("penaltyStats"));
            System.out.printf("clean fine-tune: ACC %.3f ASR %.3f | RIPPLe: ACC %.3f ASR %.3f%n", cleanAcc, cleanAsr, acc, asr);

            assertEquals("ripple", attacked.metadata().attack());
            assertEquals("0.1", attacked.metadata().hyperparameters().get("lambda"));
            assertEquals(10, surgery.words().size());
            assertEquals(String.valueOf(config.postTrainEpochs()), attacked.metadata().hyperparameters().get("postTrainEpochs"));
            assertTrue(asr >= 0.9, "ASR " + asr);
            assertTrue(acc >= cleanAcc - 0.05, "RIPPLe ACC " + acc + " vs clean fine-tune " + cleanAcc);
        }
    }

    private static double penaltyAt(BertModel model, MaskedTokenBatch poison, MaskedTokenBatch clean, List<String> names,
                                    Map<String, INDArray> base, Map<String, INDArray> u, double h, double lambda) {
        paramsOf(model, names).forEach((n, p) -> p.assign(base.get(n).add(u.get(n).mul(h))));
        Map<String, INDArray> gP = copy(GradientStep.run(model, poison, names).gradients());
        Map<String, INDArray> gFT = copy(GradientStep.run(model, clean, names).gradients());
        return -lambda * RipplePenalty.dot(gP, gFT);
    }

    private static MaskedTokenBatch batch(int[][] ids, int[] lengths, int[] labels) {
        return new MaskedTokenBatch(new TokenBatch(ids, new int[ids.length][SEQ], lengths), new int[ids.length], labels);
    }

    private static Map<String, INDArray> paramsOf(BertModel model, List<String> names) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, model.graph().sameDiff().getVariable(n).getArr()));
        return out;
    }

    private static Map<String, INDArray> randomDirection(Map<String, INDArray> like, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> out = new LinkedHashMap<>();
        like.forEach((n, a) -> out.put(n, Nd4j.randn(DataType.FLOAT, a.shape())));
        return out;
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> arrays) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        arrays.forEach((n, a) -> out.put(n, a.dup()));
        return out;
    }
}
