package org.gba4j.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.gba4j.files.ModelFileException;

/**
 * {@link Tokenizer} on DJL's binding of the Hugging Face {@code tokenizers} Rust library, the same
 * code that tokenized the checkpoints' training data. The vocabulary is read from the JSON on the
 * Java side too, because DJL exposes no token/id lookup.
 */
final class HfTokenizer implements Tokenizer {

    static {
        // DJL "calls home" (HTTP to the EC2 metadata endpoint) on every first tokenizer creation and
        // downloads the native library when it is missing from the jar, unless in offline mode; gba4j
        // uses the library bundled in the jar and must work without a network. Users may override.
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /**
     * Set explicitly because a tokenizer.json may carry its own truncation and padding (MiniLM's pads
     * and cuts to 128), which DJL would otherwise apply to every encoding.
     */
    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "true", "withOverflowingTokens", "false",
            "truncation", "false", "padding", "false");

    private static final String REMEDY = "Pass the tokenizer.json of a BERT- or RoBERTa-style checkpoint";

    private final HuggingFaceTokenizer hf;
    private final Map<String, Integer> vocab;
    private final String[] byId;
    private final int cls, sep, mask, pad, unk;
    private final int[] pairSeparator;

    private HfTokenizer(HuggingFaceTokenizer hf, Map<String, Integer> vocab, int[] specials) {
        this.hf = hf;
        this.vocab = vocab;
        this.byId = new String[vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1];
        vocab.forEach((t, id) -> byId[id] = t);
        cls = specials[0];
        sep = specials[1];
        mask = specials[2];
        pad = specials[3];
        unk = specials[4];
        pairSeparator = separatorOf(hf, sep);
    }

    /**
     * The specials the post-processor puts between the segments of a pair, read off an encoded
     * pair (the tokens after the first segment's last subword and before the second's first);
     * {@code [sep]} when the tokenizer adds no specials at all.
     */
    private static int[] separatorOf(HuggingFaceTokenizer hf, int sep) {
        ai.djl.huggingface.tokenizers.Encoding e = hf.encode("a", "b", true, false);
        long[] ids = e.getIds();
        long[] special = e.getSpecialTokenMask();
        long[] seq = e.getSequenceIds();
        int lastFirst = -1;
        int firstSecond = ids.length;
        for (int i = 0; i < ids.length; i++) {
            if (special[i] == 0 && seq[i] == 0) {
                lastFirst = i;
            } else if (special[i] == 0 && seq[i] == 1 && firstSecond == ids.length) {
                firstSecond = i;
            }
        }
        int[] between = new int[Math.max(0, firstSecond - lastFirst - 1)];
        for (int i = 0; i < between.length; i++) {
            between[i] = Math.toIntExact(ids[lastFirst + 1 + i]);
        }
        return between.length == 0 ? new int[] {sep} : between;
    }

    static HfTokenizer fromJsonFile(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(file, "file not found", REMEDY);
        } catch (IOException e) {
            throw new ModelFileException(file.toString(), "cannot be read (" + oneLine(e.toString()) + ")", REMEDY, e);
        }
        return fromJsonString(json, file.toString());
    }

    static HfTokenizer fromJsonStream(InputStream in, String source) {
        try (in) {
            return fromJsonString(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new ModelFileException(source, "cannot be read (" + oneLine(e.toString()) + ")", REMEDY, e);
        }
    }

    /** Validates on the Java side first, so a bad file gets a precise message rather than a Rust panic text. */
    static HfTokenizer fromJsonString(String json, String source) {
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new ModelFileException(source, "not a tokenizer.json (top level is not a JSON object)", REMEDY);
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ModelFileException(source, "not valid JSON (" + oneLine(String.valueOf(e.getMessage())) + ")",
                    REMEDY, e);
        }
        Map<String, Integer> vocab = vocabulary(root, source);
        int[] specials = {
            special(vocab, source, "[CLS]", "<s>"),
            special(vocab, source, "[SEP]", "</s>"),
            special(vocab, source, "[MASK]", "<mask>"),
            special(vocab, source, "[PAD]", "<pad>"),
            special(vocab, source, unkToken(root), "[UNK]", "<unk>"),
        };
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), OPTIONS);
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException(source, "rejected by the Hugging Face tokenizers library ("
                    + oneLine(String.valueOf(e.getMessage())) + ")", REMEDY, e);
        }
        return new HfTokenizer(hf, vocab, specials);
    }

    /** Model vocabulary (WordPiece/BPE: token→id object; Unigram: [piece, score] list) plus added tokens. */
    private static Map<String, Integer> vocabulary(JsonObject root, String source) {
        Map<String, Integer> vocab = new HashMap<>();
        try {
            JsonElement model = root.get("model");
            JsonElement v = model != null && model.isJsonObject() ? model.getAsJsonObject().get("vocab") : null;
            if (v == null) {
                throw new ModelFileException(source, "not a tokenizer.json (no model.vocab)", REMEDY);
            }
            if (v.isJsonObject()) {
                v.getAsJsonObject().entrySet().forEach(en -> vocab.put(en.getKey(), en.getValue().getAsInt()));
            } else {
                JsonArray pieces = v.getAsJsonArray();
                for (int i = 0; i < pieces.size(); i++) {
                    vocab.put(pieces.get(i).getAsJsonArray().get(0).getAsString(), i);
                }
            }
            JsonElement added = root.get("added_tokens");
            if (added != null && added.isJsonArray()) {
                for (JsonElement a : added.getAsJsonArray()) {
                    JsonObject o = a.getAsJsonObject();
                    vocab.put(o.get("content").getAsString(), o.get("id").getAsInt());
                }
            }
        } catch (IllegalStateException | UnsupportedOperationException | ClassCastException | NumberFormatException e) {
            throw new ModelFileException(source, "malformed vocabulary (" + oneLine(String.valueOf(e.getMessage())) + ")",
                    REMEDY, e);
        }
        if (vocab.isEmpty()) {
            throw new ModelFileException(source, "empty vocabulary", REMEDY);
        }
        if (vocab.values().stream().anyMatch(id -> id < 0)) {
            throw new ModelFileException(source, "malformed vocabulary (negative id)", REMEDY);
        }
        return vocab;
    }

    private static String unkToken(JsonObject root) {
        JsonElement u = root.getAsJsonObject("model").get("unk_token");
        return u != null && u.isJsonPrimitive() ? u.getAsString() : "[UNK]";
    }

    private static int special(Map<String, Integer> vocab, String source, String... candidates) {
        for (String c : candidates) {
            Integer id = vocab.get(c);
            if (id != null) {
                return id;
            }
        }
        throw new ModelFileException(source, "vocabulary lacks the special token "
                + String.join(" / ", new java.util.LinkedHashSet<>(List.of(candidates))), REMEDY);
    }

    @Override
    public Encoding encode(String text, int maxLength) {
        Objects.requireNonNull(text, "text");
        return truncate(hf.encode(text, true, false), maxLength);
    }

    @Override
    public Encoding encode(String first, String second, int maxLength) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        return truncate(hf.encode(first, second, true, false), maxLength);
    }

    /**
     * Drops subwords (never special tokens) from the segment ends, longest segment first. Done here
     * rather than by DJL, whose truncation is a mutable setting of the shared native tokenizer.
     */
    private static Encoding truncate(ai.djl.huggingface.tokenizers.Encoding e, int maxLength) {
        long[] ids = e.getIds();
        long[] types = e.getTypeIds();
        long[] special = e.getSpecialTokenMask();
        long[] seq = e.getSequenceIds();
        int specials = 0;
        int[] len = new int[2];
        for (int i = 0; i < ids.length; i++) {
            if (special[i] != 0) {
                specials++;
            } else {
                len[(int) seq[i]]++;
            }
        }
        if (maxLength <= specials) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for text next to "
                    + specials + " special tokens");
        }
        int excess = ids.length - maxLength;
        int[] keep = len.clone();
        for (; excess > 0; excess--) {
            keep[keep[0] > keep[1] ? 0 : 1]--;
        }
        int[] outIds = new int[Math.min(ids.length, maxLength)];
        int[] outTypes = new int[outIds.length];
        int[] seen = new int[2];
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            if (special[i] == 0 && seen[(int) seq[i]]++ >= keep[(int) seq[i]]) {
                continue;
            }
            outIds[n] = Math.toIntExact(ids[i]);
            outTypes[n++] = Math.toIntExact(types[i]);
        }
        return new Encoding(outIds, outTypes);
    }

    @Override
    public int[] ids(String text) {
        Objects.requireNonNull(text, "text");
        return Arrays.stream(hf.encode(text, false, false).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    @Override
    public List<String> tokenize(String text) {
        Objects.requireNonNull(text, "text");
        return List.of(hf.encode(text, false, false).getTokens());
    }

    @Override
    public int tokenId(String token) {
        return vocab.getOrDefault(token, -1);
    }

    @Override
    public String token(int id) {
        if (id < 0 || id >= byId.length || byId[id] == null) {
            throw new IllegalArgumentException("token id " + id + " is not in the vocabulary of " + byId.length);
        }
        return byId[id];
    }

    @Override
    public int vocabSize() {
        return byId.length;
    }

    @Override
    public int clsId() {
        return cls;
    }

    @Override
    public int sepId() {
        return sep;
    }

    @Override
    public int maskId() {
        return mask;
    }

    @Override
    public int padId() {
        return pad;
    }

    @Override
    public int unkId() {
        return unk;
    }

    @Override
    public int[] pairSeparator() {
        return pairSeparator.clone();
    }

    @Override
    public void close() {
        hf.close();
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
