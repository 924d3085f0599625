package org.gba4j.attack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gba4j.classify.BatchEncoder;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertModel;
import org.gba4j.train.GradientStep;
import org.gba4j.train.MaskedTokenBatch;
import org.gba4j.train.StepContext;
import org.gba4j.train.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * RIPPLe's restricted inner-product penalty (Eq. 5), {@code lambda * max(0, -g_P . g_FT)}, added to
 * the poisoning gradient before the optimiser step.
 *
 * <p>Its gradient needs second derivatives: {@code d/dtheta (g_P . g_FT) = H_P g_FT + H_FT g_P}, so
 * when the inner product is negative the penalty adds {@code -lambda (H_P g_FT + H_FT g_P)} (zero
 * otherwise; at exactly 0 we take the zero subgradient). SameDiff M2.1 cannot differentiate a
 * gradient, so each Hessian-vector product is a finite difference of gradients,
 * {@code H v ~ (g(theta + eps v) - g(theta - eps v)) / 2 eps} (central, error O(eps^2)) or
 * {@code (g(theta + eps v) - g(theta)) / eps} (forward, O(eps), reusing the gradient already at
 * hand), with {@code eps = relativeStep * |theta| / |v|} so the perturbation is a fixed fraction of
 * the weights' norm whatever the gradient's scale. g_FT is the clean-loss gradient on a random
 * batch of the attacker's clean data, drawn fresh each step (as RIPPLe's reference batches).
 *
 * <p>Cost per step, in forward+backward passes of the batch size: 1 (g_P, the trainer's own) + 1
 * (g_FT) always, plus 4 (central) or 2 (forward) on steps where the inner product is negative.
 */
public final class RipplePenalty implements TrainingListener {
    private final double lambda;
    private final double relativeStep;
    private final boolean central;
    private final List<LabeledText> clean;
    private final BatchEncoder encoder;
    private final int referenceBatch;
    private final Random random;
    private int steps;
    private int activeSteps;
    private int passes;
    private double innerProductSum;

    /**
     * @param lambda         the penalty weight (Table 8: 0.1)
     * @param relativeStep   finite-difference step as a fraction of |theta| / |v|
     * @param central        central (true) or forward (false) differences
     * @param clean          the attacker's clean task data, source of the g_FT batches
     * @param encoder        how those batches are encoded (the poisoning run's encoder)
     * @param referenceBatch examples per g_FT batch
     * @param seed           seed of the g_FT batch draws
     */
    public RipplePenalty(double lambda, double relativeStep, boolean central, List<LabeledText> clean,
                         BatchEncoder encoder, int referenceBatch, long seed) {
        if (!(lambda >= 0) || !(relativeStep > 0)) {
            throw new IllegalArgumentException("need lambda >= 0 and relativeStep > 0");
        }
        this.lambda = lambda;
        this.relativeStep = relativeStep;
        this.central = central;
        this.clean = List.copyOf(clean);
        this.encoder = encoder;
        this.referenceBatch = Math.min(referenceBatch, clean.size());
        this.random = new Random(seed);
    }

    @Override
    public void beforeUpdate(StepContext step) {
        steps++;
        if (lambda == 0) {
            return;
        }
        List<String> names = new ArrayList<>(step.gradients().keySet());
        // copies: a later pass of the same graph must not be able to change what we hold
        Map<String, INDArray> poison = copy(step.gradients());
        MaskedTokenBatch reference = encoder.batch(sample());
        Map<String, INDArray> fineTune = gradients(step.model(), reference, names);
        passes += 2;
        double inner = dot(poison, fineTune);
        innerProductSum += inner;
        if (inner >= 0) {
            return;
        }
        activeSteps++;
        Map<String, INDArray> penalty = penaltyGradient(step.model(), step.batch(), reference, names, poison, fineTune);
        for (String name : names) {
            step.gradients().get(name).assign(poison.get(name).addi(penalty.get(name)));
        }
    }

    /** {@code -lambda (H_P g_FT + H_FT g_P)}: the penalty's gradient where the inner product is negative. */
    Map<String, INDArray> penaltyGradient(BertModel model, MaskedTokenBatch poisonBatch, MaskedTokenBatch reference,
                                          List<String> names, Map<String, INDArray> poison,
                                          Map<String, INDArray> fineTune) {
        Map<String, INDArray> a = hessianVector(model, poisonBatch, names, fineTune, poison);
        Map<String, INDArray> b = hessianVector(model, reference, names, poison, fineTune);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, a.get(name).addi(b.get(name)).muli(-lambda));
        }
        return out;
    }

    /**
     * {@code H v} of the batch's loss at the current weights by differences of gradients; the weights
     * are restored bit for bit afterwards. {@code gradientHere} is the batch's gradient at the current
     * weights (used by forward differences only).
     */
    Map<String, INDArray> hessianVector(BertModel model, MaskedTokenBatch batch, List<String> names,
                                        Map<String, INDArray> v, Map<String, INDArray> gradientHere) {
        Map<String, INDArray> params = new LinkedHashMap<>();
        Map<String, INDArray> saved = new LinkedHashMap<>();
        for (String name : names) {
            INDArray p = model.graph().sameDiff().getVariable(name).getArr();
            params.put(name, p);
            saved.put(name, p.dup());
        }
        double vNorm = Math.sqrt(dot(v, v));
        if (vNorm == 0) {
            return zerosLike(v);
        }
        double eps = relativeStep * Math.sqrt(dot(saved, saved)) / vNorm;
        try {
            Map<String, INDArray> plus = gradientAt(model, batch, names, params, saved, v, eps);
            Map<String, INDArray> minus = central ? gradientAt(model, batch, names, params, saved, v, -eps) : gradientHere;
            double denominator = central ? 2 * eps : eps;
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (String name : names) {
                out.put(name, plus.get(name).subi(minus.get(name)).divi(denominator));
            }
            return out;
        } finally {
            params.forEach((name, p) -> p.assign(saved.get(name)));
        }
    }

    private Map<String, INDArray> gradientAt(BertModel model, MaskedTokenBatch batch, List<String> names,
                                             Map<String, INDArray> params, Map<String, INDArray> saved,
                                             Map<String, INDArray> v, double eps) {
        for (String name : names) {
            params.get(name).assign(saved.get(name).add(v.get(name).reshape(saved.get(name).shape()).mul(eps)));
        }
        passes++;
        return gradients(model, batch, names);
    }

    /** The gradients of one pass, copied, the pass's own arrays freed. */
    private static Map<String, INDArray> gradients(BertModel model, MaskedTokenBatch batch, List<String> names) {
        try (GradientStep.Result result = GradientStep.run(model, batch, names)) {
            return copy(result.gradients());
        }
    }

    private List<LabeledText> sample() {
        List<LabeledText> out = new ArrayList<>(referenceBatch);
        for (int i = 0; i < referenceBatch; i++) {
            out.add(clean.get(random.nextInt(clean.size())));
        }
        return out;
    }

    /** Steps seen, steps where the penalty was active, passes, mean g_P . g_FT: for the attack's record. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "steps=%d active=%d passes=%d meanInner=%.4g", steps, activeSteps,
                passes, steps == 0 ? 0 : innerProductSum / steps);
    }

    public int activeSteps() {
        return activeSteps;
    }

    static double dot(Map<String, INDArray> a, Map<String, INDArray> b) {
        double sum = 0;
        for (Map.Entry<String, INDArray> e : a.entrySet()) {
            INDArray other = b.get(e.getKey());
            if (other != null) {
                sum += e.getValue().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(-1)
                        .mul(other.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(-1)).sumNumber().doubleValue();
            }
        }
        return sum;
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> arrays) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        arrays.forEach((name, a) -> out.put(name, a.dup()));
        return out;
    }

    private static Map<String, INDArray> zerosLike(Map<String, INDArray> arrays) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        arrays.forEach((name, a) -> out.put(name, a.ulike().assign(0)));
        return out;
    }
}
