package org.gba4j.defense;

import java.util.List;
import java.util.Map;
import org.gba4j.model.BertGraph;
import org.gba4j.model.BertModel;
import org.gba4j.train.MaskedTokenBatch;
import org.gba4j.train.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The teacher side of NAD (Li et al. 2021, adapted to transformers as in appendix C): before each
 * step, the teacher's attention maps for the batch are fed to the student's distillation term
 * ({@link org.gba4j.model.AttentionDistillation}).
 *
 * <p>Which features: NAD distils attention maps {@code normalize(mean_channels F^2)} of
 * intermediate feature maps. In a transformer the feature maps are the layer outputs (hidden
 * states), tokens are the spatial axis and hidden units the channels, so each layer gives a map over
 * tokens; every layer is distilled ("layer-wise", appendix C). We use hidden states rather than the
 * self-attention probabilities because they are the direct counterpart of NAD's feature maps and
 * carry the residual stream where a trigger's effect propagates.
 */
public final class NadDistillation implements TrainingListener {
    private final BertModel teacher;

    public NadDistillation(BertModel teacher) {
        this.teacher = teacher;
    }

    @Override
    public void beforeStep(BertModel student, MaskedTokenBatch batch, Map<String, INDArray> feed) {
        List<INDArray> maps = teacher.attentionMaps(batch.tokens());
        for (int layer = 1; layer <= maps.size(); layer++) {
            feed.put(AttentionDistillation.teacherMap(layer), maps.get(layer - 1));
        }
    }
}
