package org.gba4j.defense;

import org.gba4j.model.BertGraph;
import org.gba4j.model.LossTerm;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * NAD's loss term (section 4.2, appendix C): {@code beta * sum_layers mean_{B,T} (a_student - a_teacher)^2},
 * NAD's own form, over the attention maps every graph outputs ({@link BertGraph#attentionMap}); the
 * teacher's maps come in as placeholders, fed by {@link NadDistillation}.
 *
 * @param beta the distillation weight
 */
public record AttentionDistillation(double beta) implements LossTerm {
    /** Placeholder prefix {@code [B, T]}: the teacher's attention map of layer i. */
    public static final String TEACHER_MAP_PREFIX = "input.teacher_attention_map.";
    /** Output scalar: the term before its weight beta. */
    public static final String OUTPUT = "distillation";

    public AttentionDistillation {
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("the distillation weight must be non-negative, got " + beta);
        }
    }

    public static String teacherMap(int layer) {
        return TEACHER_MAP_PREFIX + layer;
    }

    @Override
    public SDVariable build(Encoder encoder) {
        var sd = encoder.sd();
        SDVariable total = sd.constant(0f);
        for (int layer = 1; layer <= encoder.layers(); layer++) {
            SDVariable diff = sd.getVariable(BertGraph.attentionMap(layer))
                    .sub(sd.placeHolder(teacherMap(layer), DataType.FLOAT, -1, encoder.seqLen()));
            total = total.add(diff.mul(diff).mean());
        }
        sd.identity(OUTPUT, total);
        return total.mul(beta);
    }
}
