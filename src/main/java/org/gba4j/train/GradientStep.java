package org.gba4j.train;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.gba4j.model.BertGraph;
import org.gba4j.model.BertModel;
import org.gba4j.model.NativeMemory;
import org.gba4j.model.TokenBatch;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One forward and backward pass of the vocabulary cross-entropy objective, with the complete
 * word-embedding gradient assembled as one array:
 * {@code grad_E = (tied-decoder part from the graph) + scatter_add(rows of d loss / d E[ids])}.
 * Padding positions send nothing to the matrix, as with {@code padding_idx} in PyTorch.
 */
public final class GradientStep {

    /**
     * The result of a pass: mean loss, the vocabulary distribution at the scored positions
     * ({@code [B, V]}), the gradient of every requested weight, under canonical names, and, when the
     * word embeddings were requested, the gradient of each input position's looked-up row
     * ({@code [B, T, d]}, {@code d loss / d x_{i,t}}; otherwise null).
     */
    public record Result(double loss, INDArray probabilities, Map<String, INDArray> gradients,
                         INDArray inputRowGradients) implements AutoCloseable {
        /** Frees the pass's native arrays now (see {@link NativeMemory}); the result is unusable after. */
        @Override
        public void close() {
            NativeMemory.closeAll(gradients.values());
            NativeMemory.close(probabilities, inputRowGradients);
        }
    }

    /** libnd4j's scatter_add, run in place on the matrix. */
    private static final String SCATTER_ADD = "scatter_add";

    private GradientStep() {
    }

    public static Result run(BertModel model, MaskedTokenBatch batch, List<String> weights) {
        return run(model, batch, weights, Map.of());
    }

    /** As {@link #run(BertModel, MaskedTokenBatch, List)}, with extra placeholders (a loss term's inputs). */
    public static Result run(BertModel model, MaskedTokenBatch batch, List<String> weights, Map<String, INDArray> extra) {
        TokenBatch tokens = batch.tokens();
        Map<String, INDArray> feed = model.feed(tokens);
        feed.put(BertGraph.POSITION_SELECTOR, model.selector(tokens, batch.positions()));
        feed.put(BertGraph.TARGET_ONE_HOT, oneHot(batch.targets(), model.graph().spec().targetSize(model.config())));
        feed.putAll(extra);

        List<String> requested = new ArrayList<>(weights);
        boolean embeddings = requested.contains(WORD_EMBEDDINGS);
        if (embeddings) {
            requested.add(BertGraph.EMBEDDING_SUM);
        }
        OutAndGrad result = pass(model.graph().sameDiff(), feed, requested);
        NativeMemory.closeAll(feed.values());
        Map<String, INDArray> gradients = new java.util.LinkedHashMap<>(result.getGradients());
        INDArray rows = null;
        if (embeddings) {
            rows = gradients.remove(BertGraph.EMBEDDING_SUM);
            INDArray tied = gradients.get(WORD_EMBEDDINGS); // absent when no decoder reads the matrix (classifier head)
            INDArray base = tied != null ? tied : Nd4j.zeros(DataType.FLOAT, model.wordEmbeddings().shape());
            gradients.put(WORD_EMBEDDINGS, scatterRows(base, rows, tokens));
        }
        INDArray loss = result.getOutputs().get(BertGraph.LOSS);
        double value = loss.getDouble(0);
        NativeMemory.close(loss);
        return new Result(value, result.getOutputs().get(BertGraph.PROBABILITIES), Collections.unmodifiableMap(gradients),
                rows);
    }

    /**
     * The forward and backward pass: the loss, the probabilities, and the gradient of each {@code requested} variable
     * that the loss reaches (under the variable's name). What {@code SameDiff.calculateGradientsAndOutputs} returns,
     * run on the backward graph directly because M2.1's method switches that graph's array release off: every
     * intermediate array of a pass (3.7 GB for MiniLM at 32 x 64) then waits for the garbage collector. With release on,
     * each intermediate is freed as soon as no op needs it ({@link NativeMemory}); NativeMemoryTest checks the numbers
     * against SameDiff's own method.
     */
    private static OutAndGrad pass(SameDiff sd, Map<String, INDArray> feed, List<String> requested) {
        createGradientFunctionQuietly(sd);
        Map<String, String> gradientNames = new java.util.LinkedHashMap<>();
        for (String name : requested) {
            SDVariable gradient = sd.getVariable(name).getGradient();
            if (gradient != null) { // null: the loss does not reach it
                gradientNames.put(gradient.name(), name);
            }
        }
        List<String> names = new ArrayList<>(List.of(BertGraph.LOSS, BertGraph.PROBABILITIES));
        names.addAll(gradientNames.keySet());
        SameDiff backward = sd.getFunction("grad");
        backward.setEnableCache(true);
        Map<String, INDArray> out = backward.output(feed, names);
        Map<String, INDArray> gradients = new java.util.LinkedHashMap<>();
        gradientNames.forEach((gradient, variable) -> gradients.put(variable, out.get(gradient)));
        return new OutAndGrad(Map.of(BertGraph.LOSS, out.get(BertGraph.LOSS), BertGraph.PROBABILITIES,
                out.get(BertGraph.PROBABILITIES)), gradients);
    }

    /**
     * Builds the backward graph once, with System.out muted: M2.1 prints one "Added differentiated op"
     * line per op (hundreds) while it does, drowning the progress display.
     */
    private static void createGradientFunctionQuietly(SameDiff sd) {
        if (sd.getFunction("grad") != null) {
            return;
        }
        synchronized (System.class) {
            java.io.PrintStream out = System.out;
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(out);
            }
        }
    }

    /**
     * Adds each real token's row gradient {@code [B, T, d]} into row {@code ids[b][t]} of {@code matrix}, in place, and
     * returns {@code matrix}: no second {@code [V, d]} array. The rows of a repeated id are summed here, in token order,
     * and only distinct rows are scattered: M2.1's scatter_add loses updates when its indices repeat (measured: 2,048
     * rows into 50 ids, up to 12.4 off the sequential sum, varying run to run), which made the word-embedding gradient
     * of every repeated token nondeterministic and too small. {@code GradientStepTest} checks the sum against a
     * sequential one.
     */
    public static INDArray scatterRows(INDArray matrix, INDArray rowGradients, TokenBatch tokens) {
        int d = (int) rowGradients.size(2);
        float[][] positions = rowGradients.reshape(-1, d).toFloatMatrix();
        Map<Integer, float[]> sums = new java.util.LinkedHashMap<>();
        for (int b = 0; b < tokens.batchSize(); b++) {
            for (int j = 0; j < tokens.lengths()[b]; j++) {
                float[] sum = sums.computeIfAbsent(tokens.ids()[b][j], id -> new float[d]);
                float[] row = positions[b * tokens.seqLen() + j];
                for (int c = 0; c < d; c++) {
                    sum[c] += row[c];
                }
            }
        }
        INDArray indices = Nd4j.createFromArray(sums.keySet().stream().mapToInt(Integer::intValue).toArray());
        INDArray rows = Nd4j.createFromArray(sums.values().toArray(new float[0][]));
        Nd4j.exec(DynamicCustomOp.builder(SCATTER_ADD).addInputs(matrix, indices, rows).addOutputs(matrix)
                .callInplace(true).build());
        NativeMemory.close(indices, rows);
        return matrix;
    }

    static INDArray oneHot(int[] targets, int vocabSize) {
        INDArray out = Nd4j.zeros(DataType.FLOAT, targets.length, vocabSize);
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= vocabSize) {
                throw new IllegalArgumentException("target " + targets[i] + " outside [0, " + vocabSize + ")");
            }
            out.putScalar(i, targets[i], 1f);
        }
        return out;
    }
}
