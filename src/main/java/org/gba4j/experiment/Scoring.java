package org.gba4j.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gba4j.attack.Poisoner;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.eval.BackdoorEvaluation;
import org.gba4j.eval.Evaluation;
import org.gba4j.eval.Metrics;

/**
 * A cell's scores by the task's metric. Classification (section 4.3): ACC on the clean test set and
 * ASR, the best probe's, each probe measured on the test examples not of its target class. CoLA
 * and STS-B (appendix D.2): Matthews or Pearson correlation on the clean test set, and ASRR (Eq. 6),
 * the correlation lost when every test example carries the trigger (the best probe's). STS-B's
 * prediction is LM-BFF's interpolation: max score x p(high pole). Every cell also gets the majority-class
 * rate and, for classification, the clean target rate ({@link Metrics#cleanTargetRate}).
 */
final class Scoring {
    private Scoring() {
    }

    static Map<String, Double> score(TextClassifier classifier, PaperDataset task, List<LabeledText> test, Backdoor backdoor,
                                     long seed) {
        Map<String, Double> out = new LinkedHashMap<>();
        int[] gold = Evaluation.gold(test);
        int[] predicted = classifier.predict(test);
        out.put("acc", Metrics.accuracy(predicted, gold));
        out.put("majority", Metrics.majorityRate(gold));
        out.put("test_rows", (double) test.size()); // for the intervals of single-seed reports
        switch (task.metric()) {
            case "acc" -> {
                out.put("asr", attackSuccessRate(classifier, test, backdoor, seed));
                out.put("asr_rows", (double) test.stream().filter(e -> e.label() != backdoor.probes().get(0).target()).count());
                out.put("clean_target_rate", cleanTargetRate(predicted, gold, backdoor));
            }
            case "mcc" -> {
                double clean = Metrics.matthewsCorrelation(predicted, gold);
                out.put("mcc", clean);
                out.put("asrr", bestLoss(backdoor, seed, test, triggered ->
                        clean - Metrics.matthewsCorrelation(classifier.predict(triggered), gold)));
            }
            case "pearson" -> {
                double[] scores = test.stream().mapToDouble(LabeledText::score).toArray();
                double clean = Metrics.pearsonCorrelation(predictScores(classifier, test, task), scores);
                out.put("pearson", clean);
                out.put("asrr", bestLoss(backdoor, seed, test, triggered ->
                        clean - orZero(Metrics.pearsonCorrelation(predictScores(classifier, triggered, task), scores))));
            }
            default -> throw new IllegalArgumentException("unknown metric " + task.metric());
        }
        return out;
    }

    /**
     * The clean target rate: the share of clean rows not of a probe's target predicted as that target
     * anyway, the largest over the probes (one target for every attack but NeuBA). An ASR means
     * something only above it.
     */
    static double cleanTargetRate(int[] predicted, int[] gold, Backdoor backdoor) {
        double worst = Double.NaN;
        for (Backdoor.Probe probe : backdoor.probes()) {
            double rate = Metrics.cleanTargetRate(predicted, gold, probe.target());
            worst = Double.isNaN(worst) ? rate : Math.max(worst, rate);
        }
        return worst;
    }

    /** The best probe's ASR, each probe measured on the test examples not of its target class. */
    static double attackSuccessRate(TextClassifier classifier, List<LabeledText> test, Backdoor backdoor, long seed) {
        double best = Double.NaN;
        for (Backdoor.Probe probe : backdoor.probes()) {
            List<LabeledText> others = test.stream().filter(e -> e.label() != probe.target()).toList();
            if (others.isEmpty()) {
                continue;
            }
            double asr = BackdoorEvaluation.attackSuccessRate(classifier, others,
                    new Poisoner(probe.triggers(), probe.target(), seed), backdoor.count(), backdoor.position());
            best = Double.isNaN(best) ? asr : Math.max(best, asr);
        }
        return best;
    }

    private static double bestLoss(Backdoor backdoor, long seed, List<LabeledText> test,
                                   java.util.function.ToDoubleFunction<List<LabeledText>> loss) {
        double best = Double.NaN;
        for (Backdoor.Probe probe : backdoor.probes()) {
            double value = loss.applyAsDouble(new Poisoner(probe.triggers(), probe.target(), seed)
                    .triggerTest(test, backdoor.count(), backdoor.position()));
            best = Double.isNaN(best) ? value : Math.max(best, value);
        }
        return best;
    }

    /**
     * Pearson's r is undefined for a constant prediction (the backdoor forcing every score to one
     * pole); it carries no correlation, so ASRR counts it as 0, as Matthews' coefficient does.
     */
    private static double orZero(double correlation) {
        return Double.isNaN(correlation) ? 0 : correlation;
    }

    private static double[] predictScores(TextClassifier classifier, List<LabeledText> examples, PaperDataset task) {
        double[][] p = classifier.probabilities(examples);
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = task.columns().scoreMax() * p[i][1];
        }
        return out;
    }
}
