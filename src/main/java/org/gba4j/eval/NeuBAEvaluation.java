package org.gba4j.eval;

import java.util.ArrayList;
import java.util.List;
import org.gba4j.attack.NeuBA;
import org.gba4j.attack.Poisoner;
import org.gba4j.attack.TriggerPosition;
import org.gba4j.classify.HeadEncoder;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertGraph;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.ClassifierHead;
import org.gba4j.model.GraphSpec;
import org.gba4j.text.Tokenizer;
import org.gba4j.train.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The victim's side of NeuBA: clean fine-tuning with a fresh head, then per-trigger ASR.
 *
 * <p>Why a trigger's target class is read off the head: NeuBA's triggers map to vectors, not
 * classes, and the attacker learns which class each vector lands in only after the victim trained
 * its head. We take the class the victim's head assigns to the trigger's target vector itself,
 * {@code argmax(v W + b)} (the head reads the [CLS] output directly: no pooler), and not the
 * majority prediction on triggered text, which would make the measure partly circular. ASR of a
 * trigger is then {@link Metrics#attackSuccessRate} on the test examples with the trigger inserted at
 * the start (appendix B.2); as NeuBA reports, the attack's ASR is the best trigger's.
 */
public final class NeuBAEvaluation {

    /** One trigger's outcome: the class its vector predicts and the ASR for that class. */
    public record TriggerResult(String trigger, int target, double asr) {
    }

    /** Every trigger's outcome, in trigger order. */
    public record Report(List<TriggerResult> triggers) {

        /** The best trigger (highest ASR). */
        public TriggerResult best() {
            return triggers.stream().max(java.util.Comparator.comparingDouble(TriggerResult::asr)).orElseThrow();
        }

        /** Highest ASR among triggers whose vector lands in class {@code c}; NaN when none does. */
        public double bestFor(int c) {
            return triggers.stream().filter(t -> t.target() == c).mapToDouble(TriggerResult::asr).max().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            for (TriggerResult t : triggers) {
                out.append(String.format("%s->%d %.1f%%  ", t.trigger(), t.target(), 100 * t.asr()));
            }
            return out.append(String.format("best %s %.1f%%", best().trigger(), 100 * best().asr())).toString();
        }
    }

    private NeuBAEvaluation() {
    }

    /** The victim: a fresh head on {@code encoder}, fine-tuned on clean {@code train} with the config's victim settings. */
    public static TextClassifier fineTune(BertWeights encoder, Tokenizer tokenizer, List<LabeledText> train, int classes,
                                          NeuBA.Config config, long seed) {
        BertModel model = BertModel.of(ClassifierHead.initialise(encoder, classes, seed), config.maxLength(),
                GraphSpec.classifier(classes));
        int[] candidates = java.util.stream.IntStream.range(0, classes).toArray();
        TextClassifier classifier = new TextClassifier(model, new HeadEncoder(tokenizer, config.maxLength()), candidates);
        classifier.train(train, TrainingConfig.adam(config.victimLearningRate()), config.victimEpochs(),
                config.victimBatchSize(), seed, List.of(), p -> { });
        return classifier;
    }

    /** Each trigger's target class: the victim head's prediction for the trigger's target vector. */
    public static int[] targetClasses(TextClassifier victim, int triggers) {
        var sd = victim.model().graph().sameDiff();
        return targetClasses(sd.getVariable(BertGraph.CLASSIFIER_WEIGHT).getArr(),
                sd.getVariable(BertGraph.CLASSIFIER_BIAS).getArr(), triggers);
    }

    /** Each trigger's target class under a head {@code [hidden, classes]} with its bias: argmax of v W + b. */
    static int[] targetClasses(INDArray weight, INDArray bias, int triggers) {
        INDArray vectors = NeuBA.targetVectors((int) weight.rows(), triggers);
        return vectors.mmul(weight).addiRowVector(bias).argMax(1).toIntVector();
    }

    /** Per-trigger ASR on {@code test} (clean text, gold labels) with each trigger inserted at the start. */
    public static Report evaluate(TextClassifier victim, List<LabeledText> test, List<String> triggers, long seed) {
        int[] targets = targetClasses(victim, triggers.size());
        List<TriggerResult> out = new ArrayList<>();
        for (int i = 0; i < triggers.size(); i++) {
            int target = targets[i];
            List<LabeledText> others = test.stream().filter(e -> e.label() != target).toList();
            if (others.isEmpty()) {
                out.add(new TriggerResult(triggers.get(i), target, Double.NaN));
                continue;
            }
            List<LabeledText> triggered = new Poisoner(List.of(triggers.get(i)), target, seed)
                    .triggerTest(others, 1, TriggerPosition.START);
            int[] gold = Evaluation.gold(others);
            out.add(new TriggerResult(triggers.get(i), target,
                    Metrics.attackSuccessRate(victim.predict(triggered), gold, target)));
        }
        return new Report(out);
    }
}
