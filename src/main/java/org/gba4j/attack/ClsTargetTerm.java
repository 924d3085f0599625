package org.gba4j.attack;

import org.gba4j.model.LossTerm;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NeuBA's loss term (appendix B.4): {@code weight * mean (h_[CLS] - v)^2}, pulling each row's [CLS]
 * output to the vector {@code v} fed for it (a trigger's predefined vector, or for clean rows their
 * anchor), fed by NeuBA's training listener.
 *
 * @param weight the term's weight
 */
public record ClsTargetTerm(double weight) implements LossTerm {
    /** Placeholder {@code [B, d]}: the vector each row's [CLS] output is pulled to. */
    public static final String TARGET = "input.cls_target";

    public ClsTargetTerm {
        if (!(weight > 0)) {
            throw new IllegalArgumentException("the [CLS] term's weight must be positive, got " + weight);
        }
    }

    @Override
    public SDVariable build(Encoder encoder) {
        var sd = encoder.sd();
        // [CLS] by a constant one-hot over positions: indexing has no working backward pass in M2.1
        INDArray first = Nd4j.zeros(DataType.FLOAT, 1, encoder.seqLen(), 1);
        first.putScalar(0, 0, 0, 1f);
        SDVariable cls = encoder.hiddenStates(encoder.layers()).mul(sd.constant("cls_selector", first)).sum(1);
        SDVariable diff = cls.sub(sd.placeHolder(TARGET, DataType.FLOAT, -1, encoder.hidden()));
        return diff.mul(diff).mean().mul(weight);
    }
}
