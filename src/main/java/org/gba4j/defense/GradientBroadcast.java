package org.gba4j.defense;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;

import org.gba4j.train.MaskedTokenBatch;
import org.gba4j.train.StepContext;
import org.gba4j.train.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient broadcast (section 3.4, Eq. 3-4): before the updater runs, the word-embedding gradient
 * becomes {@code grad_E + lambda * Q} with, for every vocabulary row w,
 * {@code Q_w = sum_i p(w|x_i) / p(y_i|x_i) * mean_{t in x_i} grad_E[x_i,t]}.
 *
 * <p>Reading of Eq. 4: {@code grad_E[x_i,t]} is the row of the (batch) word-embedding gradient
 * for the t-th input token of example i, i.e. the gradient {@code nabla_{E w'}} of that token's
 * embedding, as the equation writes it; {@code x_i} are the text's own tokens (no special,
 * template or padding token), N their number. The sum over i runs over the batch.
 *
 * <p>Cost: gathering the input rows and averaging them is O(B*T*d); the ratios O(B*V); Q is one
 * {@code [V, B] x [B, d]} product. No per-example V*d loop.
 *
 * <p>The ratio p(w)/p(y) can be huge early in training. The formula is kept; {@code ratioCap > 0}
 * is an explicit, default-off guard that clips it.
 */
public final class GradientBroadcast implements TrainingListener {
    private final double lambda;
    private final double ratioCap;

    public GradientBroadcast(double lambda, double ratioCap) {
        if (!(lambda > 0) || ratioCap < 0) {
            throw new IllegalArgumentException("lambda must be positive and the ratio cap non-negative");
        }
        this.lambda = lambda;
        this.ratioCap = ratioCap;
    }

    @Override
    public void beforeUpdate(StepContext step) {
        INDArray gradient = step.gradients().get(WORD_EMBEDDINGS);
        if (gradient == null) {
            throw new IllegalStateException("gradient broadcast needs the word embeddings to be trainable");
        }
        gradient.addi(broadcast(gradient, step.probabilities(), step.batch()).muli(lambda));
    }

    /** Q of Eq. 4, {@code [V, d]}, from the gradient before broadcast and the step's distribution. */
    public INDArray broadcast(INDArray gradient, INDArray probabilities, MaskedTokenBatch batch) {
        int b = batch.batchSize();
        INDArray meanRows = meanInputRows(gradient, batch);
        INDArray ratios = probabilities.dup();
        for (int i = 0; i < b; i++) {
            double pTarget = probabilities.getDouble(i, batch.targets()[i]);
            ratios.getRow(i).divi(pTarget);
        }
        if (ratioCap > 0) {
            ratios = org.nd4j.linalg.ops.transforms.Transforms.min(ratios, ratioCap, false);
        }
        return ratios.transpose().mmul(meanRows);
    }

    /** {@code [B, d]}: per example, the mean of the gradient rows of its input tokens. */
    static INDArray meanInputRows(INDArray gradient, MaskedTokenBatch batch) {
        int b = batch.batchSize();
        int total = 0;
        for (int[] positions : batch.inputPositions()) {
            total += positions.length;
        }
        int[] ids = new int[Math.max(total, 1)];
        INDArray averaging = Nd4j.zeros(DataType.FLOAT, b, ids.length);
        int k = 0;
        for (int i = 0; i < b; i++) {
            int[] positions = batch.inputPositions()[i];
            for (int p : positions) {
                ids[k] = batch.tokens().ids()[i][p];
                averaging.putScalar(i, k++, 1.0 / positions.length);
            }
        }
        return averaging.mmul(gradient.getRows(ids));
    }
}
