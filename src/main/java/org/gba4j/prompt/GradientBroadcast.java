package org.gba4j.prompt;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;

import org.gba4j.model.NativeMemory;
import org.gba4j.train.MaskedTokenBatch;
import org.gba4j.train.StepContext;
import org.gba4j.train.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Gradient broadcast (section 3.4, Eq. 3-4): for every vocabulary row w,
 * {@code Q_w = sum_i p(w|x_i) / p(y_i|x_i) * mean_{t in x_i} nabla_{E x_i,t}}, and the word
 * embeddings take {@code lambda * Q} on top of their gradient step.
 *
 * <p>Two forms ({@link BroadcastForm}): coupled, the paper's literal Eq. 3, adds {@code lambda Q}
 * to the gradient before the optimiser; decoupled applies {@code E -= eta_b * lambda * Q} after the
 * optimiser's step, so Adam's normalisation cannot flatten Q. Two readings of
 * {@code nabla_{E w'}} ({@link BroadcastReading}): the rows of the batch's matrix gradient for the
 * example's tokens, or the gradients of the example's own input positions. {@code x_i} are the
 * text's own tokens (no special, template or padding token), N their number; the sum over i runs
 * over the batch. Q is always computed from the gradient before any broadcast.
 *
 * <p>Cost: the averaged rows are O(B*T*d); the ratios O(B*V); Q is one {@code [V, B] x [B, d]} product, added into
 * its destination in place (no {@code [V, d]} array of its own).
 *
 * <p>The ratio p(w)/p(y) can be huge early in training. The formula is kept; {@code ratioCap > 0}
 * is an explicit, default-off guard that clips it.
 */
public final class GradientBroadcast implements TrainingListener {
    private final BroadcastSettings settings;
    /** Decoupled form: the current step's ratios and mean rows (Q's factors), applied in {@link #afterUpdate}. */
    private Factors pending;

    /**
     * Q's two small factors, {@code Q = ratios^T x meanRows} ({@code [B, V]} and {@code [B, d]}): Q itself, a
     * {@code [V, d]} array, is never formed; one product adds it into its destination in place.
     */
    private record Factors(INDArray ratios, INDArray meanRows) {
        /** {@code destination += alpha * Q}, one pass over the {@code [V, d]} destination. */
        void addTo(INDArray destination, double alpha) {
            Nd4j.gemm(ratios, meanRows, destination, true, false, alpha, 1.0);
            NativeMemory.close(ratios, meanRows);
        }
    }

    public GradientBroadcast(BroadcastSettings settings) {
        if (!settings.active()) {
            throw new IllegalArgumentException("lambda must be positive for a gradient broadcast");
        }
        this.settings = settings;
    }

    /** The paper's literal form with an optional ratio cap. */
    public GradientBroadcast(double lambda, double ratioCap) {
        this(new BroadcastSettings(lambda, BroadcastForm.COUPLED, 0, BroadcastReading.MATRIX_ROWS, ratioCap));
    }

    @Override
    public void beforeUpdate(StepContext step) {
        INDArray gradient = step.gradients().get(WORD_EMBEDDINGS);
        if (gradient == null) {
            throw new IllegalStateException("gradient broadcast needs the word embeddings to be trainable");
        }
        INDArray meanRows = settings.reading() == BroadcastReading.MATRIX_ROWS
                ? meanInputRows(gradient, step.batch())
                : meanPositionRows(step.inputRowGradients(), step.batch());
        Factors factors = new Factors(ratios(step.probabilities(), step.batch()), meanRows);
        if (settings.form() == BroadcastForm.COUPLED) {
            factors.addTo(gradient, settings.lambda());
        } else {
            pending = factors;
        }
    }

    @Override
    public void afterUpdate(StepContext step) {
        if (pending != null) {
            pending.addTo(step.model().wordEmbeddings(), -settings.learningRate() * settings.lambda());
            pending = null;
        }
    }

    /** Q of Eq. 4, {@code [V, d]}, read from the matrix gradient's rows, before any broadcast. */
    public INDArray broadcast(INDArray gradient, INDArray probabilities, MaskedTokenBatch batch) {
        INDArray q = Nd4j.zeros(DataType.FLOAT, gradient.shape());
        new Factors(ratios(probabilities, batch), meanInputRows(gradient, batch)).addTo(q, 1.0);
        return q;
    }

    /** {@code [B, V]}: {@code p(w|x_i) / p(y_i|x_i)}, clipped at the cap when one is set. */
    private INDArray ratios(INDArray probabilities, MaskedTokenBatch batch) {
        INDArray ratios = probabilities.dup();
        for (int i = 0; i < batch.batchSize(); i++) {
            ratios.getRow(i).divi(probabilities.getDouble(i, batch.targets()[i]));
        }
        if (settings.ratioCap() > 0) {
            Transforms.min(ratios, settings.ratioCap(), false); // in place
        }
        return ratios;
    }

    /** {@code [B, d]}: per example, the mean of the matrix gradient's rows at its input tokens. */
    static INDArray meanInputRows(INDArray gradient, MaskedTokenBatch batch) {
        int total = 0;
        for (int[] positions : batch.inputPositions()) {
            total += positions.length;
        }
        int[] ids = new int[Math.max(total, 1)];
        INDArray averaging = Nd4j.zeros(DataType.FLOAT, batch.batchSize(), ids.length);
        int k = 0;
        for (int i = 0; i < batch.batchSize(); i++) {
            int[] positions = batch.inputPositions()[i];
            for (int p : positions) {
                ids[k] = batch.tokens().ids()[i][p];
                averaging.putScalar(i, k++, 1.0 / positions.length);
            }
        }
        return averaging.mmul(gradient.getRows(ids));
    }

    /** {@code [B, d]}: per example, the mean of its own input positions' gradients ({@code [B, T, d]} in). */
    static INDArray meanPositionRows(INDArray positionGradients, MaskedTokenBatch batch) {
        if (positionGradients == null) {
            throw new IllegalStateException("the input-position reading needs the step's input-position gradients");
        }
        int b = batch.batchSize();
        long t = positionGradients.size(1);
        INDArray averaging = Nd4j.zeros(DataType.FLOAT, b, b * t);
        for (int i = 0; i < b; i++) {
            int[] positions = batch.inputPositions()[i];
            for (int p : positions) {
                averaging.putScalar(i, i * t + p, 1.0 / positions.length);
            }
        }
        return averaging.mmul(positionGradients.reshape(b * t, positionGradients.size(2)));
    }
}
