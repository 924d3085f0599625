package org.gba4j.prompt;

import static org.gba4j.model.WeightNames.MLM_BIAS;
import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertWeights;
import org.gba4j.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the {@code 2k} learnable vectors of the soft template (section 3.3) live: word-embedding
 * rows, so they are trained by the same embedding gradient as every other row and need no extra
 * parameter or graph input.
 *
 * <ul>
 *   <li><b>A vocabulary with reserved tokens</b> (BERT's {@code [unused0] ... [unused993]}): their
 *       rows, the weights unchanged. This is the behaviour gba4j always had.</li>
 *   <li><b>A vocabulary without them</b> (RoBERTa's byte-level BPE): {@code 2k} rows past the last id
 *       the tokenizer can produce, so no text token ever collides with a template token. Rows the
 *       matrix already has there are used as they are: a model adapted earlier was saved with its
 *       template rows, and reloading it must find them again. Missing rows are appended, each a copy
 *       of the mean of the existing rows (a neutral start: the average token, not any real word,
 *       and no random draw to seed); a tied masked-LM decoder's output bias gets the mean bias
 *       for them. The returned weights then have a larger vocabulary (and so does a model saved
 *       from them).</li>
 * </ul>
 *
 * <p>Why appended rows and not re-used rare tokens: any existing token, however rare, can appear in
 * (or be planted into) the input, and its pre-trained (possibly backdoored) embedding would be the
 * template's starting point. New rows are honest about being new.
 *
 * @param weights  the weights the prompt model trains: {@code weights} given, or with appended rows
 * @param ids      template ids, left side then right side ({@code 2k}, empty for width 0)
 * @param appended number of rows appended here (0 for BERT and for a model that has them already)
 */
public record SoftTemplate(BertWeights weights, int[] ids, int appended) {

    /** Prefix of BERT's reserved tokens. */
    static final String RESERVED = "[unused";

    public SoftTemplate {
        ids = ids.clone();
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** The template of width {@code width} per side for {@code weights} and its {@code tokenizer}. */
    public static SoftTemplate of(BertWeights weights, Tokenizer tokenizer, int width) {
        if (width < 0) {
            throw new IllegalArgumentException("template width must not be negative, got " + width);
        }
        int[] reserved = reserved(tokenizer, width);
        if (reserved != null) {
            return new SoftTemplate(weights, reserved, 0);
        }
        int first = tokenizer.vocabSize();
        int rows = weights.config().vocabSize();
        if (rows < first) {
            throw new ModelFileException(weights.source(), "has " + rows + " word-embedding rows but its tokenizer"
                    + " produces ids up to " + (first - 1), "Use the tokenizer that belongs to this checkpoint");
        }
        int[] ids = new int[2 * width];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = first + i;
        }
        int missing = Math.max(0, first + ids.length - rows);
        return new SoftTemplate(missing == 0 ? weights : append(weights, missing), ids, missing);
    }

    /** Ids of {@code [unused0] .. [unused(2k-1)]}, or null when the vocabulary lacks any of them. */
    static int[] reserved(Tokenizer tokenizer, int width) {
        int[] ids = new int[2 * width];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenizer.tokenId(RESERVED + i + "]");
            if (ids[i] < 0) {
                return null;
            }
        }
        return ids;
    }

    /** {@code weights} with {@code count} rows appended to the word embeddings (and the decoder bias). */
    static BertWeights append(BertWeights weights, int count) {
        INDArray embeddings = weights.get(WORD_EMBEDDINGS);
        INDArray mean = embeddings.mean(true, 0);
        Map<String, INDArray> replaced = new LinkedHashMap<>();
        replaced.put(WORD_EMBEDDINGS, Nd4j.vstack(embeddings, Nd4j.tile(mean, count, 1)).dup('c'));
        if (weights.has(MLM_BIAS)) {
            INDArray bias = weights.get(MLM_BIAS);
            INDArray extra = Nd4j.valueArrayOf(new long[] {count}, bias.meanNumber().floatValue(), bias.dataType());
            replaced.put(MLM_BIAS, Nd4j.concat(0, bias, extra).dup('c'));
        }
        Map<String, INDArray> tensors = new LinkedHashMap<>(weights.tensors());
        tensors.putAll(replaced);
        return new BertWeights(weights.source(), weights.config().withVocabSize((int) embeddings.rows() + count), tensors);
    }
}
