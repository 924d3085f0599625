package org.gba4j.text;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Subword tokenizer of a BERT- or RoBERTa-style masked language model, built from the checkpoint's
 * own files so that token ids always match the embedding table they index.
 *
 * <p>{@link #encode} adds the model's special tokens ({@code [CLS] a [SEP] b [SEP]} for BERT,
 * {@code <s> a </s></s> b </s>} for RoBERTa) and never pads. {@link #ids} and {@link #tokenize}
 * give the bare subwords, for callers that lay out special tokens themselves (e.g. {@code [CLS] x
 * [SEP] a..a [MASK] a..a}). Instances hold native memory: close them; they are thread-safe.
 */
public interface Tokenizer extends AutoCloseable {

    /** No truncation: {@code maxLength} value for {@link #encode(String, int)}. */
    int NO_LIMIT = Integer.MAX_VALUE;

    /**
     * One encoded input. {@code typeIds} are the segment ids BERT's token-type embedding expects (0
     * for the first text and its specials, 1 for the second); RoBERTa's are all 0.
     */
    record Encoding(int[] ids, int[] typeIds) {
        public int length() {
            return ids.length;
        }
    }

    /** {@code text} with special tokens, untruncated. */
    default Encoding encode(String text) {
        return encode(text, NO_LIMIT);
    }

    /**
     * {@code text} with special tokens, cutting subwords off its end so that at most {@code maxLength}
     * ids remain (special tokens included and always kept).
     */
    Encoding encode(String text, int maxLength);

    /** A sentence pair with special tokens and segment ids, untruncated. */
    default Encoding encode(String first, String second) {
        return encode(first, second, NO_LIMIT);
    }

    /**
     * A sentence pair cut to at most {@code maxLength} ids, "longest first": one subword at a time is
     * removed from the end of the longer text (of the second when both are as long), as Hugging Face
     * and BERT's reference code do.
     */
    Encoding encode(String first, String second, int maxLength);

    /** Subword ids of {@code text} without any special token. */
    int[] ids(String text);

    /** Subword strings of {@code text} without any special token (e.g. {@code ["play", "##ing"]}). */
    List<String> tokenize(String text);

    /** Id of a vocabulary entry, or -1 when the vocabulary has no such token. */
    int tokenId(String token);

    /** The token with this id; IllegalArgumentException when {@code id} is not in the vocabulary. */
    String token(int id);

    /** Number of ids, added tokens included: the size of the embedding table. */
    int vocabSize();

    /** {@code [CLS]} (BERT) or {@code <s>} (RoBERTa): starts every encoded input. */
    int clsId();

    /** {@code [SEP]} or {@code </s>}: ends every segment. */
    int sepId();

    /** {@code [MASK]} or {@code <mask>}. */
    int maskId();

    /** {@code [PAD]} or {@code <pad>}. */
    int padId();

    int unkId();

    /**
     * The special tokens this tokenizer's own pair layout puts between two segments: {@code [SEP]}
     * for BERT, {@code </s> </s>} for RoBERTa. Read from the tokenizer's post-processor, so callers
     * that lay out pairs themselves (the prompt) match what the model saw in pre-training.
     */
    int[] pairSeparator();

    /**
     * Subwords of {@code word} as it occurs after another word. BERT's pre-tokenizer drops the space,
     * so this is {@link #tokenize}{@code (word)}; a byte-level BPE (RoBERTa) marks the space
     * ({@code "good"} gives {@code Ġgood}), which is the form a label word or trigger takes in a
     * sentence and at a prompt's mask.
     */
    default List<String> tokenizeAfterSpace(String word) {
        return tokenize(" " + word);
    }

    /** Closes the native tokenizer; idempotent. */
    @Override
    void close();

    /** Loads a Hugging Face {@code tokenizer.json}. Load failures are one-line ModelFileExceptions. */
    static Tokenizer fromTokenizerJson(Path tokenizerJson) {
        return HfTokenizer.fromJsonFile(tokenizerJson);
    }

    /** Loads a {@code tokenizer.json} from a stream; {@code source} names it in error messages. */
    static Tokenizer fromTokenizerJson(InputStream tokenizerJson, String source) {
        return HfTokenizer.fromJsonStream(tokenizerJson, source);
    }

    /**
     * Builds the WordPiece tokenizer of a BERT {@code vocab.txt} (one token per line, id = line
     * number - 1), equivalent to Hugging Face's {@code BertTokenizerFast}: {@code lowerCase} lowercases
     * and strips accents, as the uncased checkpoints need; pass false for cased ones.
     */
    static Tokenizer fromVocabTxt(Path vocabTxt, boolean lowerCase) {
        return HfTokenizer.fromJsonString(WordPieceJson.fromVocabTxt(vocabTxt, lowerCase), vocabTxt.toString());
    }
}
