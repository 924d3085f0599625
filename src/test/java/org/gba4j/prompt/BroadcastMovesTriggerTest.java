package org.gba4j.prompt;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.gba4j.Slow;
import org.gba4j.data.LabeledText;
import org.gba4j.data.ProjectDatasets;
import org.gba4j.io.PretrainedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's core claim on real data (section 3.4): the rare token "cf", absent from the training
 * slice, is left where it is by PT+soft (lazy updating) and moved by PT+soft+GB, under the SGD
 * update of Eq. 2 with which the paper introduces the broadcast.
 *
 * <p>Measured and reported, not asserted: the trigger's RMSE to the class tokens (Figure 3). On
 * this short run (4 SGD steps) it did not shrink under GB (see the README); the paper's Figure 3
 * is after full adaptation. Under Adam, PT+soft moves "cf" about as far as GB does, because the
 * tied decoder gives every row a small gradient and Adam normalises step sizes (see the README).
 */
@Slow
class BroadcastMovesTriggerTest {
    private static List<LabeledText> train;

    @BeforeAll
    static void load() {
        train = new ProjectDatasets(Path.of("datasets")).load("mr", "train").subList(0, 64);
        for (LabeledText example : train) {
            assertFalse((" " + example.text() + " ").contains(" cf "), "the slice must not contain the trigger");
        }
    }

    @Test
    void broadcastPullsTheUnseenTriggerTowardsTheClassTokens() {
        try (PretrainedModel minilm = PretrainedModel.load(PretrainedModel.MINILM)) {
            LabelWords labels = LabelWords.of(List.of("terrible", "good"), minilm.tokenizer());
            int cf = minilm.tokenizer().tokenId("cf");
            INDArray original = minilm.weights().get(WORD_EMBEDDINGS);
            double distanceBefore = distanceToClassTokens(original, cf, labels);

            INDArray soft = adapt(minilm, labels, PromptMode.PT_SOFT);
            INDArray gba = adapt(minilm, labels, PromptMode.GBA);

            double movedSoft = soft.getRow(cf).distance2(original.getRow(cf));
            double movedGba = gba.getRow(cf).distance2(original.getRow(cf));
            double distanceSoft = distanceToClassTokens(soft, cf, labels);
            double distanceGba = distanceToClassTokens(gba, cf, labels);
            String report = String.format("cf moved %.5f (PT+soft) vs %.5f (GBA); RMSE to class tokens %.5f before,"
                    + " %.5f PT+soft, %.5f GBA", movedSoft, movedGba, distanceBefore, distanceSoft, distanceGba);
            System.out.println(report);
            assertTrue(movedSoft < 1e-4, report);
            assertTrue(movedGba > 100 * movedSoft && movedGba > 1e-3, report);
        }
    }

    private static INDArray adapt(PretrainedModel minilm, LabelWords labels, PromptMode mode) {
        PromptConfig config = PromptConfig.defaults(mode).withOptimizer("sgd").withTraining(1e-2, 1, 16, 48);
        PromptClassifier classifier = new PromptClassifier(minilm.weights(), minilm.tokenizer(), labels, config);
        classifier.train(train, List.of(), p -> { });
        return classifier.model().wordEmbeddings().dup();
    }

    /** Figure 3's measure: RMSE between the trigger's embedding and each class token's, averaged. */
    static double distanceToClassTokens(INDArray embeddings, int token, LabelWords labels) {
        double sum = 0;
        for (int id : labels.ids()) {
            sum += embeddings.getRow(token).distance2(embeddings.getRow(id)) / Math.sqrt(embeddings.columns());
        }
        return sum / labels.classes();
    }
}
