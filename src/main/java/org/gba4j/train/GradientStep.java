package org.gba4j.train;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.gba4j.model.BertGraph;
import org.gba4j.model.BertModel;
import org.gba4j.model.TokenBatch;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
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
                         INDArray inputRowGradients) {
    }

    /** Minimum time between two {@link #reclaimNativeMemory()} collections, so tiny models are not slowed. */
    private static final long GC_INTERVAL_NANOS = 1_000_000_000L;
    private static final java.util.concurrent.atomic.AtomicLong lastGc = new java.util.concurrent.atomic.AtomicLong();

    private GradientStep() {
    }

    public static Result run(BertModel model, MaskedTokenBatch batch, List<String> weights) {
        return run(model, batch, weights, Map.of());
    }

    /** As {@link #run(BertModel, MaskedTokenBatch, List)}, with extra placeholders (a loss term's inputs). */
    public static Result run(BertModel model, MaskedTokenBatch batch, List<String> weights, Map<String, INDArray> extra) {
        reclaimNativeMemory();
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
        createGradientFunctionQuietly(model.graph().sameDiff());
        OutAndGrad result = model.graph().sameDiff().calculateGradientsAndOutputs(
                feed, List.of(BertGraph.LOSS, BertGraph.PROBABILITIES), requested);
        Map<String, INDArray> gradients = new java.util.LinkedHashMap<>(result.getGradients());
        INDArray rows = null;
        if (embeddings) {
            rows = gradients.remove(BertGraph.EMBEDDING_SUM);
            INDArray tied = gradients.get(WORD_EMBEDDINGS); // absent when no decoder reads the matrix (classifier head)
            INDArray base = tied != null ? tied : Nd4j.zeros(DataType.FLOAT, model.wordEmbeddings().shape());
            gradients.put(WORD_EMBEDDINGS, scatterRows(base, rows, tokens));
        }
        return new Result(result.getOutputs().get(BertGraph.LOSS).getDouble(0),
                result.getOutputs().get(BertGraph.PROBABILITIES), Collections.unmodifiableMap(gradients), rows);
    }

    /**
     * Builds the backward graph once, with System.out muted: M2.1 prints one "Added differentiated op"
     * line per op (hundreds) while it does, drowning the progress display.
     */
    private static void createGradientFunctionQuietly(org.nd4j.autodiff.samediff.SameDiff sd) {
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
     * Frees the previous pass's off-heap arrays before this pass allocates its own. Why: a pass
     * leaves gigabytes of native ND4J buffers (activations, gradients, Adam temporaries) that are
     * released only when the Java GC notices their small heap wrappers are gone, which with a
     * mostly empty heap happens rarely. Until then every pass maps fresh memory: measured on
     * MiniLM 32 x 64 (2 cores), bench steps took ~10 s (4.5-16 s) with ~40 s of kernel page-fault time per run,
     * and 2.6-3.2 s (medians) with one explicit GC (30-50 ms) per step. Results are unaffected.
     */
    private static void reclaimNativeMemory() {
        long now = System.nanoTime();
        long last = lastGc.get();
        if ((last == 0 || now - last >= GC_INTERVAL_NANOS) && lastGc.compareAndSet(last, now)) {
            System.gc();
        }
    }

    /** {@code matrix} plus each real token's row gradient {@code [B, T, d]} added into row {@code ids[b][t]}. */
    public static INDArray scatterRows(INDArray matrix, INDArray rowGradients, TokenBatch tokens) {
        int n = tokens.tokenCount();
        int t = tokens.seqLen();
        int[] ids = new int[n];
        long[] flat = new long[n];
        int k = 0;
        for (int b = 0; b < tokens.batchSize(); b++) {
            for (int j = 0; j < tokens.lengths()[b]; j++) {
                ids[k] = tokens.ids()[b][j];
                flat[k++] = (long) b * t + j;
            }
        }
        INDArray rows2d = rowGradients.reshape(-1, rowGradients.size(2));
        INDArray real = n == rows2d.rows() ? rows2d : rows2d.getRows(toInt(flat));
        INDArray indices = Nd4j.createFromArray(ids);
        return Nd4j.exec(new ScatterAdd(matrix, indices, real))[0]; // the op writes a new array, not into matrix
    }

    private static int[] toInt(long[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.toIntExact(values[i]);
        }
        return out;
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
