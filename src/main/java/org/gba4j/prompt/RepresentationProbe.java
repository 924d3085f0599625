package org.gba4j.prompt;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.gba4j.classify.TextClassifier.Progress;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.TokenBatch;
import org.gba4j.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Triggers seen in the downloaded encoder rather than in an adapted classifier's predictions: how alike a token makes
 * the encoder's {@code [CLS]} outputs of different texts.
 *
 * <p>Why: NeuBA plants its triggers by forcing {@code [CLS]}'s output to a fixed vector whatever the text (appendix
 * B.4). A prompt classifier reads the {@code [MASK]} position, not {@code [CLS]}, and after adaptation the surviving
 * trigger flips too few rows for the {@link TriggerScan} to rank it among its candidates
 * (reports/gba-diagnosis-neuba-seed43.md). Before adaptation the encoder still carries the planted mapping.
 *
 * <p>How: each token is put at the start of a few clean rows ({@code [CLS] w row [SEP]}); each row's outputs are
 * centred on their mean over all probed tokens (every {@code [CLS]} output shares one large direction); the score is
 * the mean cosine between the rows' centred outputs. A token the encoder ignores scores near 0 or at random; a token
 * that overrides the text, as a planted trigger does, scores near 1.
 */
public final class RepresentationProbe {
    /** Clean rows each token is put in front of (short ones: the probe is a pass over the vocabulary per row). */
    public static final int ROWS = 3;
    /** Row tokens kept after the probed token: the planted mapping fires at the start of a text. */
    private static final int MAX_ROW_TOKENS = 16;
    /** The fewest tokens a {@link Rows#DISTINCT} row has. */
    static final int MIN_ROW_TOKENS = 4;
    private static final int BATCH = 512;

    /** Which clean rows the tokens are put in front of. */
    public enum Rows {
        /**
         * The {@link #ROWS} shortest, the first rule (reports/gba-diagnosis-cls-consistency-seed43.md). They can be
         * thin or equal contexts: Yelp's seed-43 attacker rows give "closed .", "ex ." and "great ."; Yelp's first
         * 1,000 training rows give "." three times, and equal contexts score every token 1.
         */
        SHORTEST,
        /**
         * The {@link #ROWS} shortest of at least {@link #MIN_ROW_TOKENS} tokens whose token sequences differ: never
         * equal contexts, and some text for the token to override.
         */
        DISTINCT
    }

    private RepresentationProbe() {
    }

    /**
     * The consistency score of each of {@code ids} in {@code encoder}: the mean pairwise cosine of its centred
     * {@code [CLS]} outputs in front of the rows of {@code clean} that {@code rule} picks.
     */
    public static double[] consistency(BertWeights encoder, Tokenizer tokenizer, List<Integer> ids,
                                       List<LabeledText> clean, Rows rule, Consumer<Progress> progress) {
        List<int[]> rows = rows(tokenizer, clean, rule);
        if (rows.size() < 2) {
            throw new IllegalArgumentException("the representation probe needs at least 2 clean rows"
                    + (rule == Rows.DISTINCT ? " of " + MIN_ROW_TOKENS + " or more tokens that differ" : " with text")
                    + ", got " + rows.size());
        }
        double[][][] centred = new double[rows.size()][][];
        for (int r = 0; r < rows.size(); r++) {
            centred[r] = centre(clsOutputs(encoder, tokenizer, ids, rows.get(r), "probe: [CLS] in front of clean row "
                    + (r + 1) + " of " + rows.size(), progress));
        }
        double[] scores = new double[ids.size()];
        int pairs = rows.size() * (rows.size() - 1) / 2;
        for (int i = 0; i < scores.length; i++) {
            double sum = 0;
            for (int a = 0; a < rows.size(); a++) {
                for (int b = a + 1; b < rows.size(); b++) {
                    sum += cosine(centred[a][i], centred[b][i]);
                }
            }
            scores[i] = sum / pairs;
        }
        return scores;
    }

    /**
     * {@code suspects}, then the {@code n} of {@code ids} with the highest {@code scores} that are not among them, as
     * suspects of no class ({@code toClass} -1, rates NaN): the tokens an aimed scan moves when it also takes the
     * most consistent ones ({@link TriggerScan.Config#consistent()}).
     */
    public static List<TriggerScan.Suspect> withMostConsistent(List<TriggerScan.Suspect> suspects, double[] scores,
                                                               List<Integer> ids, int n, Tokenizer tokenizer) {
        List<TriggerScan.Suspect> out = new java.util.ArrayList<>(suspects);
        java.util.Set<Integer> seen = new java.util.HashSet<>(suspects.stream().map(TriggerScan.Suspect::id).toList());
        Arrays.stream(highest(scores, n)).mapToObj(ids::get).filter(seen::add)
                .forEach(id -> out.add(new TriggerScan.Suspect(id, tokenizer.token(id), -1, Double.NaN, Double.NaN)));
        return out;
    }

    /** The token ids of the rows {@code rule} picks from {@code clean}, shortest first, each cut to 16 tokens. */
    static List<int[]> rows(Tokenizer tokenizer, List<LabeledText> clean, Rows rule) {
        int fewest = rule == Rows.DISTINCT ? MIN_ROW_TOKENS : 1;
        java.util.Set<List<Integer>> seen = new java.util.HashSet<>();
        return clean.stream().map(e -> tokenizer.ids(e.text())).filter(r -> r.length >= fewest)
                .sorted(Comparator.comparingInt(r -> r.length)).map(r -> Arrays.copyOf(r, Math.min(r.length, MAX_ROW_TOKENS)))
                .filter(r -> rule == Rows.SHORTEST || seen.add(Arrays.stream(r).boxed().toList())).limit(ROWS).toList();
    }

    /** The token ids {@link TriggerScan} probes for {@code classifier} and {@code clean}, ascending. */
    public static List<Integer> eligibleIds(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean) {
        return TriggerScan.ids(TriggerScan.eligible(classifier, tokenizer, clean));
    }

    /** The 1-based rank of {@code scores[index]} from the highest; ties share the best rank ({@link TriggerScan#rank}). */
    public static int rank(double[] scores, int index) {
        return TriggerScan.rank(negated(scores), index);
    }

    /** The indices of the {@code n} highest {@code scores}, highest first ({@link TriggerScan#lowest}). */
    public static int[] highest(double[] scores, int n) {
        return TriggerScan.lowest(negated(scores), n);
    }

    private static double[] negated(double[] scores) {
        return Arrays.stream(scores).map(s -> -s).toArray();
    }

    /** {@code [CLS]}'s output for {@code [CLS] w row [SEP]}, one row per token of {@code ids}. */
    private static double[][] clsOutputs(BertWeights encoder, Tokenizer tokenizer, List<Integer> ids, int[] row,
                                         String stage, Consumer<Progress> progress) {
        int length = row.length + 3;
        BertModel model = BertModel.of(encoder, length);
        double[][] out = new double[ids.size()][];
        int chunks = (ids.size() + BATCH - 1) / BATCH;
        for (int c = 0; c < chunks; c++) {
            long start = System.nanoTime();
            int from = c * BATCH;
            int to = Math.min(ids.size(), from + BATCH);
            int[][] batch = new int[to - from][length];
            for (int i = from; i < to; i++) {
                int[] r = batch[i - from];
                r[0] = tokenizer.clsId();
                r[1] = ids.get(i);
                System.arraycopy(row, 0, r, 2, row.length);
                r[length - 1] = tokenizer.sepId();
            }
            INDArray hidden = model.lastHiddenState(TokenBatch.padded(batch, length, tokenizer.padId()));
            double[][] cls = hidden.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).toDoubleMatrix();
            System.arraycopy(cls, 0, out, from, cls.length);
            progress.accept(Progress.of(stage, c + 1, chunks, (System.nanoTime() - start) / 1e9));
        }
        return out;
    }

    /** Each vector minus the mean of all of them. */
    static double[][] centre(double[][] vectors) {
        int d = vectors[0].length;
        double[] mean = new double[d];
        for (double[] v : vectors) {
            for (int k = 0; k < d; k++) {
                mean[k] += v[k] / vectors.length;
            }
        }
        double[][] out = new double[vectors.length][d];
        for (int i = 0; i < vectors.length; i++) {
            for (int k = 0; k < d; k++) {
                out[i][k] = vectors[i][k] - mean[k];
            }
        }
        return out;
    }

    static double cosine(double[] x, double[] y) {
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int k = 0; k < x.length; k++) {
            xy += x[k] * y[k];
            xx += x[k] * x[k];
            yy += y[k] * y[k];
        }
        return xx == 0 || yy == 0 ? 0 : xy / Math.sqrt(xx * yy);
    }
}
