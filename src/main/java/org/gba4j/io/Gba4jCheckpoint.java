package org.gba4j.io;

import static org.gba4j.model.WeightNames.*;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gba4j.files.ModelFileException;
import org.gba4j.files.Sha256;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertGraph;
import org.gba4j.model.BertWeights;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The toolkit's own checkpoint: a folder the toolkit writes for models it produced (backdoored
 * models with a classification head, defended models) and reads back as untrusted input, since
 * such folders get shared and downloaded like any other model.
 *
 * <pre>
 * checkpoint.json  format version, BertConfig fields, tensor index (name, shape, offset, length),
 *                  sha256 and length of tensors.bin
 * tensors.bin      float32 little-endian, row-major, tensors back to back
 * tokenizer.json | vocab.txt   copy of the tokenizer (exactly one of the two)
 * metadata.json    what made the model (e.g. AttackMetadata fields), free-form
 * </pre>
 *
 * <p>Writing is atomic: everything goes into a hidden sibling folder that is renamed into place,
 * so a crash or error never leaves a half checkpoint that would later load as a "model".
 *
 * <p>Reading checks the whole index against the limits, the canonical names and the bytes actually
 * present (and the sha256 of those bytes) before one tensor is allocated. No file name is taken
 * from the JSON: the folder's members have fixed names.
 */
public final class Gba4jCheckpoint {
    public static final String CHECKPOINT_JSON = "checkpoint.json";
    public static final String TENSORS_BIN = "tensors.bin";
    public static final String METADATA_JSON = "metadata.json";
    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String VOCAB_TXT = "vocab.txt";

    static final String FORMAT = "gba4j-checkpoint";
    static final int VERSION = 1;
    /** A bert-large index is ~50 KB; megabytes of JSON mean a hostile or broken file. */
    static final long MAX_JSON_BYTES = 16L << 20;
    private static final int CHUNK_BYTES = 1 << 20;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private Gba4jCheckpoint() {
    }

    /**
     * Writes {@code weights}, a copy of {@code tokenizerFile} (a {@code *.json} file is stored as
     * tokenizer.json, a {@code *.txt} one as vocab.txt) and {@code metadata} as a checkpoint folder
     * {@code dir}. An existing {@code dir} is refused unless {@code overwrite}, and even then only
     * when it is empty or itself a checkpoint, so a mistyped path cannot wipe an unrelated folder.
     */
    public static void write(Path dir, BertWeights weights, Path tokenizerFile, Map<String, Object> metadata,
                             boolean overwrite) {
        String tokenizerName = tokenizerName(tokenizerFile);
        AtomicFiles.writeFolder(dir, overwrite, Gba4jCheckpoint::isCheckpoint,
                folder -> writeInto(folder, weights, tokenizerFile, tokenizerName, metadata));
    }

    /** Whether {@code dir} is a checkpoint folder (one that {@link #write} may replace). */
    public static boolean isCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve(CHECKPOINT_JSON));
    }

    /**
     * Writes the checkpoint's files into an existing, empty {@code folder}; callers publish it
     * atomically ({@link #write}, or a caller's own {@link AtomicFiles#writeFolder}).
     */
    public static void writeInto(Path folder, BertWeights weights, Path tokenizerFile, Map<String, Object> metadata)
            throws IOException {
        writeInto(folder, weights, tokenizerFile, tokenizerName(tokenizerFile), metadata);
    }

    private static void writeInto(Path folder, BertWeights weights, Path tokenizerFile, String tokenizerName,
                                  Map<String, Object> metadata) throws IOException {
        String sha256 = writeTensors(folder.resolve(TENSORS_BIN), weights);
        JsonObject json = index(weights, sha256, Files.size(folder.resolve(TENSORS_BIN)));
        byte[] meta = GSON.toJson(metadata == null ? Map.of() : metadata).getBytes(StandardCharsets.UTF_8);
        json.addProperty("metadataSha256", HexFormat.of().formatHex(Sha256.digest().digest(meta))); // settings are checked too
        Files.writeString(folder.resolve(CHECKPOINT_JSON), GSON.toJson(json), StandardCharsets.UTF_8);
        Files.copy(tokenizerFile, folder.resolve(tokenizerName));
        Files.write(folder.resolve(METADATA_JSON), meta);
    }

    /** Reads the weights of a checkpoint folder; every defect is one {@link ModelFileException}. */
    public static BertWeights read(Path dir, LoadLimits limits) {
        Path jsonFile = dir.resolve(CHECKPOINT_JSON);
        JsonObject json = readJson(jsonFile, JsonObject.class);
        Field f = new Field(jsonFile);
        if (!FORMAT.equals(f.string(json, "format"))) {
            throw new ModelFileException(jsonFile, "is not a " + FORMAT + " file", "Give a folder written by gba4j");
        }
        int version = f.integer(json, "version");
        if (version != VERSION) {
            throw new ModelFileException(jsonFile, "has format version " + version + ", this build reads version "
                    + VERSION, "Use the gba4j version that wrote it");
        }
        BertConfig config = f.config(f.object(json, "config"));
        List<Entry> entries = f.entries(f.array(json, "tensors"), config, limits);
        f.checkClassifier(entries, config);

        Path bin = dir.resolve(TENSORS_BIN);
        long binLength = fileLength(bin);
        long declared = f.longValue(json, "tensorsBytes");
        if (binLength != declared) {
            throw new ModelFileException(bin, "has " + binLength + " bytes, " + CHECKPOINT_JSON + " says " + declared,
                    "The checkpoint is truncated or altered; copy or write it again");
        }
        checkLayout(entries, bin, binLength);
        String expectedSha = f.string(json, "tensorsSha256");
        String actualSha = sha256(bin);
        if (!actualSha.equalsIgnoreCase(expectedSha)) {
            throw new ModelFileException(bin, "fails its sha256 check (" + CHECKPOINT_JSON + " says " + expectedSha
                    + ", the file hashes to " + actualSha + ")", "The checkpoint is corrupt or altered; copy or write it again");
        }

        Map<String, INDArray> tensors = new LinkedHashMap<>();
        try (FileChannel channel = FileChannel.open(bin, StandardOpenOption.READ)) {
            for (Entry entry : entries) {
                tensors.put(entry.name, readTensor(channel, bin, entry));
            }
        } catch (IOException e) {
            throw new ModelFileException(bin, "cannot be read: " + e.getMessage(), "Check the file");
        }
        try {
            return new BertWeights(dir.toString(), config, tensors);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(jsonFile, e.getMessage(), "The checkpoint is inconsistent; write it again");
        }
    }

    /** The free-form metadata written beside the weights; JSON numbers come back as {@code Double}. */
    public static Map<String, Object> readMetadata(Path dir) {
        JsonObject index = readJson(dir.resolve(CHECKPOINT_JSON), JsonObject.class);
        if (index.has("metadataSha256")) { // written since metadata is hashed; older checkpoints are read as they are
            Path file = dir.resolve(METADATA_JSON);
            String actual;
            try (var in = Files.newInputStream(file)) {
                actual = Sha256.hex(in);
            } catch (IOException e) {
                throw new ModelFileException(file, "cannot be read (" + e.getMessage() + ")", "Check the folder");
            }
            if (!actual.equals(index.get("metadataSha256").getAsString())) {
                throw new ModelFileException(file, "fails its sha256 check (it was edited after the checkpoint was"
                        + " written)", "Write the model again; gba4j's settings are not meant to be edited");
            }
        }
        Map<String, Object> metadata = readJson(dir.resolve(METADATA_JSON), new TypeToken<Map<String, Object>>() {
        }.getType());
        return new LinkedHashMap<>(metadata);
    }

    /** The checkpoint's tokenizer: {@code tokenizer.json} or {@code vocab.txt}, exactly one of them. */
    public static Path tokenizerFile(Path dir) {
        Path json = dir.resolve(TOKENIZER_JSON);
        Path vocab = dir.resolve(VOCAB_TXT);
        boolean hasJson = Files.isRegularFile(json);
        boolean hasVocab = Files.isRegularFile(vocab);
        if (hasJson == hasVocab) {
            throw new ModelFileException(dir, hasJson ? "holds both " + TOKENIZER_JSON + " and " + VOCAB_TXT
                    : "has neither " + TOKENIZER_JSON + " nor " + VOCAB_TXT, "A gba4j checkpoint holds exactly one tokenizer");
        }
        return hasJson ? json : vocab;
    }

    // ---- writing

    private static String tokenizerName(Path tokenizerFile) {
        String name = tokenizerFile.getFileName().toString();
        if (name.endsWith(".json")) {
            return TOKENIZER_JSON;
        }
        if (name.endsWith(".txt")) {
            return VOCAB_TXT;
        }
        throw new IllegalArgumentException("tokenizer file " + tokenizerFile + " is neither a tokenizer.json nor a vocab.txt");
    }

    /** Streams every tensor as float32 little-endian, returning the sha256 of the bytes written. */
    private static String writeTensors(Path file, BertWeights weights) throws IOException {
        MessageDigest digest = Sha256.digest();
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), CHUNK_BYTES), digest)) {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (INDArray tensor : weights.tensors().values()) {
                float[] values = tensor.castTo(DataType.FLOAT).dup('c').data().asFloat();
                for (float v : values) {
                    if (!buffer.hasRemaining()) {
                        out.write(buffer.array(), 0, buffer.position());
                        buffer.clear();
                    }
                    buffer.putFloat(v);
                }
            }
            out.write(buffer.array(), 0, buffer.position());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static JsonObject index(BertWeights weights, String sha256, long binLength) {
        BertConfig c = weights.config();
        JsonObject config = new JsonObject();
        config.addProperty("architecture", c.architecture());
        config.addProperty("vocabSize", c.vocabSize());
        config.addProperty("hidden", c.hidden());
        config.addProperty("layers", c.layers());
        config.addProperty("heads", c.heads());
        config.addProperty("intermediate", c.intermediate());
        config.addProperty("maxPositions", c.maxPositions());
        config.addProperty("typeVocabSize", c.typeVocabSize());
        config.addProperty("layerNormEps", c.layerNormEps());
        config.addProperty("hasMlmHead", c.hasMlmHead());
        config.addProperty("positionOffset", c.positionOffset());

        JsonArray tensors = new JsonArray();
        long offset = 0;
        for (Map.Entry<String, INDArray> e : weights.tensors().entrySet()) {
            long length = e.getValue().length() * Float.BYTES;
            JsonObject t = new JsonObject();
            t.addProperty("name", e.getKey());
            JsonArray shape = new JsonArray();
            Arrays.stream(e.getValue().shape()).forEach(shape::add);
            t.add("shape", shape);
            t.addProperty("offset", offset);
            t.addProperty("length", length);
            tensors.add(t);
            offset += length;
        }
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.addProperty("version", VERSION);
        json.add("config", config);
        json.addProperty("tensorsBytes", binLength);
        json.addProperty("tensorsSha256", sha256);
        json.add("tensors", tensors);
        return json;
    }

    // ---- reading

    /** One index entry, checked against the limits and its name; not yet against tensors.bin. */
    private record Entry(String name, long[] shape, long offset, long length) {
    }

    /** Typed access to checkpoint.json fields, each failure one line naming the file and the field. */
    private record Field(Path file) {
        ModelFileException bad(String what) {
            return new ModelFileException(file, what, "The checkpoint is corrupt or altered; write it again");
        }

        JsonElement get(JsonObject o, String key) {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) {
                throw bad("has no field '" + key + "'");
            }
            return e;
        }

        String string(JsonObject o, String key) {
            JsonElement e = get(o, key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw bad("field '" + key + "' is not a string");
            }
            return e.getAsString();
        }

        BigDecimal number(JsonObject o, String key) {
            JsonElement e = get(o, key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw bad("field '" + key + "' is not a number");
            }
            try {
                return e.getAsBigDecimal();
            } catch (NumberFormatException ex) {
                throw bad("field '" + key + "' is not a number");
            }
        }

        long longValue(JsonObject o, String key) {
            return exact(number(o, key), key);
        }

        long exact(BigDecimal value, String key) {
            try {
                return value.longValueExact();
            } catch (ArithmeticException ex) {
                throw bad("field '" + key + "' is not a whole number in range: " + value);
            }
        }

        int integer(JsonObject o, String key) {
            long v = longValue(o, key);
            if (v != (int) v) {
                throw bad("field '" + key + "' is out of range: " + v);
            }
            return (int) v;
        }

        boolean bool(JsonObject o, String key) {
            JsonElement e = get(o, key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw bad("field '" + key + "' is not true or false");
            }
            return e.getAsBoolean();
        }

        JsonObject object(JsonObject o, String key) {
            JsonElement e = get(o, key);
            if (!e.isJsonObject()) {
                throw bad("field '" + key + "' is not an object");
            }
            return e.getAsJsonObject();
        }

        JsonArray array(JsonObject o, String key) {
            JsonElement e = get(o, key);
            if (!e.isJsonArray()) {
                throw bad("field '" + key + "' is not an array");
            }
            return e.getAsJsonArray();
        }

        BertConfig config(JsonObject c) {
            try {
                return new BertConfig(string(c, "architecture"), integer(c, "vocabSize"), integer(c, "hidden"),
                        integer(c, "layers"), integer(c, "heads"), integer(c, "intermediate"),
                        integer(c, "maxPositions"), integer(c, "typeVocabSize"), number(c, "layerNormEps").doubleValue(),
                        bool(c, "hasMlmHead"), integer(c, "positionOffset"));
            } catch (IllegalArgumentException e) {
                throw bad("has an invalid config: " + e.getMessage());
            }
        }

        /** Names, shapes, sizes and the running total, all before anything is read or allocated. */
        List<Entry> entries(JsonArray array, BertConfig config, LoadLimits limits) {
            Set<String> allowed = canonicalNames(config);
            Set<String> seen = new HashSet<>();
            List<Entry> entries = new ArrayList<>();
            long total = 0;
            for (JsonElement element : array) {
                if (!element.isJsonObject()) {
                    throw bad("has a tensor entry that is not an object");
                }
                JsonObject t = element.getAsJsonObject();
                String name = string(t, "name");
                if (!allowed.contains(name)) {
                    throw bad("names an unknown tensor '" + name + "' (not a canonical name of this "
                            + config.architecture() + " configuration)");
                }
                if (!seen.add(name)) {
                    throw bad("lists tensor " + name + " twice");
                }
                JsonArray dims = array(t, "shape");
                if (dims.size() > limits.maxRank()) {
                    throw bad("tensor " + name + " has rank " + dims.size() + " (at most " + limits.maxRank() + ")");
                }
                long[] shape = new long[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    JsonElement d = dims.get(i);
                    if (!d.isJsonPrimitive() || !d.getAsJsonPrimitive().isNumber()) {
                        throw bad("tensor " + name + " has a non-numeric dimension");
                    }
                    shape[i] = exact(d.getAsBigDecimal(), name + ".shape");
                }
                long elements = limits.checkedElements(file.toString(), name, shape, Float.BYTES);
                if (elements == 0 || shape.length == 0) {
                    throw bad("tensor " + name + " has shape " + Arrays.toString(shape) + ", an empty or scalar tensor");
                }
                if (elements > Integer.MAX_VALUE - 8) {
                    throw bad("tensor " + name + " has " + elements + " elements, more than one array can hold");
                }
                long offset = longValue(t, "offset");
                long length = longValue(t, "length");
                if (offset < 0 || length != elements * Float.BYTES) {
                    throw bad("tensor " + name + " has offset " + offset + " and length " + length + " but its shape "
                            + Arrays.toString(shape) + " needs " + elements * Float.BYTES + " bytes");
                }
                if (length > limits.maxTotalBytes() - total) {
                    throw new ModelFileException(file, "tensors add up to more than the limit of "
                            + limits.maxTotalBytes() + " bytes", "Raise the total size limit only if you trust this file");
                }
                total += length;
                entries.add(new Entry(name, shape, offset, length));
            }
            return entries;
        }

        /** BertWeights does not know the head, so its shapes are checked here: weight [d, C], bias [C]. */
        void checkClassifier(List<Entry> entries, BertConfig config) {
            Entry weight = null;
            Entry bias = null;
            for (Entry e : entries) {
                if (e.name.equals(BertGraph.CLASSIFIER_WEIGHT)) {
                    weight = e;
                } else if (e.name.equals(BertGraph.CLASSIFIER_BIAS)) {
                    bias = e;
                }
            }
            if (weight == null && bias == null) {
                return;
            }
            if (weight == null || bias == null || weight.shape.length != 2 || weight.shape[0] != config.hidden()
                    || bias.shape.length != 1 || bias.shape[0] != weight.shape[1]) {
                throw bad("has a classification head that is not " + BertGraph.CLASSIFIER_WEIGHT + " [" + config.hidden()
                        + ", C] with " + BertGraph.CLASSIFIER_BIAS + " [C]");
            }
        }
    }

    /** Exactly the names BertWeights knows for this configuration, plus the classification head. */
    private static Set<String> canonicalNames(BertConfig config) {
        Set<String> names = new HashSet<>(List.of(WORD_EMBEDDINGS, POSITION_EMBEDDINGS, TOKEN_TYPE_EMBEDDINGS,
                EMBEDDINGS_LN_WEIGHT, EMBEDDINGS_LN_BIAS, BertGraph.CLASSIFIER_WEIGHT, BertGraph.CLASSIFIER_BIAS));
        for (int i = 0; i < config.layers(); i++) {
            for (String part : List.of(QUERY, KEY, VALUE, ATTENTION_OUTPUT, ATTENTION_LN, INTERMEDIATE, OUTPUT, OUTPUT_LN)) {
                names.add(layer(i, part) + WEIGHT);
                names.add(layer(i, part) + BIAS);
            }
        }
        if (config.hasMlmHead()) {
            names.addAll(List.of(MLM_DENSE + WEIGHT, MLM_DENSE + BIAS, MLM_LN + WEIGHT, MLM_LN + BIAS, MLM_BIAS));
        }
        return names;
    }

    /** Every tensor inside tensors.bin and no two sharing bytes (aliasing would make edits leak across tensors). */
    private static void checkLayout(List<Entry> entries, Path bin, long binLength) {
        for (Entry e : entries) {
            if (e.offset > binLength || e.length > binLength - e.offset) {
                throw new ModelFileException(bin, "is truncated: tensor " + e.name + " needs bytes " + e.offset + ".."
                        + (e.offset + e.length) + " of " + binLength, "Copy or write the checkpoint again");
            }
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::offset));
        for (int i = 1; i < sorted.size(); i++) {
            Entry prev = sorted.get(i - 1);
            if (sorted.get(i).offset < prev.offset + prev.length) {
                throw new ModelFileException(bin, "tensors " + prev.name + " and " + sorted.get(i).name + " overlap",
                        "The checkpoint is corrupt or altered; write it again");
            }
        }
    }

    private static INDArray readTensor(FileChannel channel, Path bin, Entry entry) throws IOException {
        float[] values = LittleEndianFloats.read(channel, bin, entry.name, entry.offset, (int) (entry.length / Float.BYTES),
                null, "The file changed while loading; copy or write the checkpoint again");
        return Nd4j.create(values, entry.shape, DataType.FLOAT);
    }

    // ---- files

    private static <T> T readJson(Path file, java.lang.reflect.Type type) {
        long length = fileLength(file);
        if (length > MAX_JSON_BYTES) {
            throw new ModelFileException(file, "has " + length + " bytes, more than the " + MAX_JSON_BYTES
                    + " a checkpoint index needs", "The file is corrupt or hostile");
        }
        try {
            T value = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
            if (value == null) {
                throw new ModelFileException(file, "is empty", "The checkpoint is incomplete; write it again");
            }
            return value;
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            throw new ModelFileException(file, "is not valid JSON of the expected form: " + firstLine(e.getMessage()),
                    "The checkpoint is corrupt or altered; write it again");
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read: " + e.getMessage(), "Check the file");
        }
    }

    private static long fileLength(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException(file, "is missing", "Give a complete folder written by gba4j");
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read: " + e.getMessage(), "Check the file");
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Sha256.hex(in);
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read: " + e.getMessage(), "Check the file");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
