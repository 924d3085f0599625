package org.gba4j.io;

import static org.gba4j.model.WeightNames.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertGraph;
import org.gba4j.model.BertWeights;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a Hugging Face Hub folder of a BERT or RoBERTa model ({@code BertModel}, {@code *ForMaskedLM},
 * {@code *ForSequenceClassification}: the encoder, and the masked-LM head where there is one):
 * {@code config.json} and {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json}. A {@code pytorch_model.bin} is refused: it is a Python pickle,
 * which can run code when loaded.
 *
 * <p>Sizes come from the tensors, the head count, LayerNorm epsilon, the architecture and RoBERTa's
 * padding index from {@code config.json}. PyTorch stores a linear layer {@code [out, in]}; it is
 * transposed to gba4j's {@code [in, out]}. Shard names must be plain file names inside the folder.
 */
public final class HubFolderReader {
    public static final String CONFIG_JSON = "config.json";
    public static final String SAFETENSORS = "model.safetensors";
    public static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
    private static final long MAX_JSON_BYTES = 16L << 20;
    /** The settings key gba4j writes into the safetensors metadata naming the classifier kind. */
    public static final String GBA4J_HEAD = "gba4j.head";
    private static final Pattern SHARD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.safetensors");

    private HubFolderReader() {
    }

    /** Whether {@code folder} looks like a Hub folder this reader is for (config.json and weights of some kind). */
    public static boolean isHubFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(CONFIG_JSON)) && (Files.isRegularFile(folder.resolve(SAFETENSORS))
                || Files.isRegularFile(folder.resolve(SAFETENSORS_INDEX)) || Files.exists(folder.resolve("pytorch_model.bin")));
    }

    public static BertWeights read(Path folder, LoadLimits limits) {
        Path dir = folder.toAbsolutePath().normalize();
        String src = dir.toString();
        if (Files.exists(dir.resolve("pytorch_model.bin")) && !Files.isRegularFile(dir.resolve(SAFETENSORS))
                && !Files.isRegularFile(dir.resolve(SAFETENSORS_INDEX))) {
            throw new ModelFileException(src, "holds only pytorch_model.bin, a Python pickle, which gba4j never loads (it"
                    + " can run code)", "Convert it to safetensors (transformers: model.save_pretrained(dir,"
                    + " safe_serialization=True)) or download the repository's model.safetensors");
        }
        JsonObject config = json(dir.resolve(CONFIG_JSON));
        Map<String, SafetensorsFile> byTensor = tensorFiles(dir, limits);
        // canonical name -> (file, raw name); a tied decoder bias may appear twice
        Map<String, String> raw = new TreeMap<>();
        boolean robertaPrefix = false;
        for (Map.Entry<String, SafetensorsFile> e : byTensor.entrySet()) {
            String name = HfTensorNames.canonical(e.getKey());
            if (name == null && gba4jClassifier(e.getValue(), e.getKey())) {
                name = e.getKey(); // the head gba4j wrote (on [CLS], no pooler), never a Hub model's own
            }
            if (name != null) {
                robertaPrefix |= HfTensorNames.roberta(e.getKey());
                String previous = raw.putIfAbsent(name, e.getKey());
                if (previous != null && !name.equals(MLM_BIAS)) {
                    throw new ModelFileException(src, "tensors " + previous + " and " + e.getKey() + " both map to " + name,
                            "The checkpoint is ambiguous; save it again with save_pretrained");
                }
            }
        }
        for (String required : new String[] {WORD_EMBEDDINGS, POSITION_EMBEDDINGS, TOKEN_TYPE_EMBEDDINGS,
                layer(0, INTERMEDIATE) + BIAS}) {
            if (!raw.containsKey(required)) {
                throw new ModelFileException(src, "has no tensor " + required + " (bert. or roberta. prefix optional)",
                        "Only BERT and RoBERTa checkpoints in the Hugging Face layout are read");
            }
        }
        long total = 0;
        for (Map.Entry<String, String> e : raw.entrySet()) {
            SafetensorsFile.Entry entry = byTensor.get(e.getValue()).entries().get(e.getValue());
            total += entry.elements() * Float.BYTES;
            if (total > limits.maxTotalBytes()) {
                throw new ModelFileException(src, "tensors total over " + limits.maxTotalBytes() + " bytes as float32",
                        "Raise the total size limit only if you trust this model");
            }
        }
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            INDArray array = byTensor.get(e.getValue()).read(e.getValue());
            if (HfTensorNames.linearWeight(e.getKey()) || e.getKey().equals(BertGraph.CLASSIFIER_WEIGHT)) {
                if (array.rank() != 2) {
                    throw new ModelFileException(src, "tensor " + e.getValue() + " has rank " + array.rank() + ", expected 2",
                            "The checkpoint is not a BERT-family model");
                }
                array = array.transpose().dup('c');
            }
            tensors.put(e.getKey(), array);
        }
        return new BertWeights(src, config(src, config, robertaPrefix, tensors), tensors);
    }

    /**
     * A classification head is read only from a folder gba4j wrote for a head classifier: a Hub model's own
     * {@code classifier.*} sits on the pooler, which gba4j does not build.
     */
    private static boolean gba4jClassifier(SafetensorsFile file, String name) {
        return (name.equals(BertGraph.CLASSIFIER_WEIGHT) || name.equals(BertGraph.CLASSIFIER_BIAS))
                && "classifier".equals(file.metadata().get(GBA4J_HEAD));
    }

    /** Tensor name -> the file that holds it: the single file, or the shards the index names. */
    private static Map<String, SafetensorsFile> tensorFiles(Path dir, LoadLimits limits) {
        Map<String, SafetensorsFile> out = new LinkedHashMap<>();
        if (Files.isRegularFile(dir.resolve(SAFETENSORS))) {
            SafetensorsFile file = SafetensorsFile.open(inside(dir, SAFETENSORS), limits);
            file.entries().keySet().forEach(name -> out.put(name, file));
            return out;
        }
        Path index = dir.resolve(SAFETENSORS_INDEX);
        if (!Files.isRegularFile(index)) {
            throw new ModelFileException(dir.toString(), "has neither " + SAFETENSORS + " nor " + SAFETENSORS_INDEX,
                    "Download the model's weights (model.safetensors) into the folder");
        }
        JsonElement map = json(index).get("weight_map");
        if (map == null || !map.isJsonObject()) {
            throw new ModelFileException(index, "has no weight_map object", "Download the index again");
        }
        Map<String, SafetensorsFile> shards = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : map.getAsJsonObject().entrySet()) {
            String shard = e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : "";
            if (!SHARD_NAME.matcher(shard).matches()) {
                throw new ModelFileException(index, "maps " + e.getKey() + " to '" + shard + "', not a .safetensors file"
                        + " name in the model's folder", "Shards must lie beside the index; download it again");
            }
            SafetensorsFile file = shards.computeIfAbsent(shard, s -> SafetensorsFile.open(inside(dir, s), limits));
            if (!file.entries().containsKey(e.getKey())) {
                throw new ModelFileException(file.file(), "does not hold " + e.getKey() + ", which the index places in it",
                        "Download the shards and the index again");
            }
            out.put(e.getKey(), file);
        }
        return out;
    }

    /** {@code dir/name}, refused if it is a link or otherwise resolves outside {@code dir}. */
    private static Path inside(Path dir, String name) {
        Path file = dir.resolve(name).normalize();
        try {
            if (!file.startsWith(dir) || Files.isSymbolicLink(file)
                    || !file.toRealPath().startsWith(dir.toRealPath())) {
                throw new ModelFileException(file, "lies outside the model's folder " + dir, "Keep every weight file in the"
                        + " model's folder");
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new ModelFileException(file, "is missing", "Download every shard the index lists");
            }
        } catch (IOException e) {
            throw new ModelFileException(file, "is missing or unreadable (" + e.getMessage() + ")",
                    "Download every shard the index lists");
        }
        return file;
    }

    private static JsonObject json(Path path) {
        try {
            if (!Files.isRegularFile(path)) {
                throw new ModelFileException(path, "is missing", "A Hub folder needs the model's config.json beside its"
                        + " weights");
            }
            if (Files.size(path) > MAX_JSON_BYTES) {
                throw new ModelFileException(path, "is over " + MAX_JSON_BYTES + " bytes", "Replace it with the model's own"
                        + " file");
            }
            JsonElement e = JsonParser.parseString(Files.readString(path, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new IllegalStateException("not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelFileException m) {
                throw m;
            }
            throw new ModelFileException(path.toString(), "is not readable JSON (" + e.getMessage() + ")",
                    "Replace it with the model's own file", e);
        }
    }

    private static BertConfig config(String src, JsonObject json, boolean robertaPrefix, Map<String, INDArray> t) {
        String modelType = string(json, "model_type", "bert").toLowerCase(Locale.ROOT);
        boolean roberta = robertaPrefix || modelType.equals("roberta") || modelType.equals("xlm-roberta")
                || modelType.equals("camembert");
        if (!roberta && !modelType.equals("bert")) {
            throw new ModelFileException(src, "config.json names model_type " + modelType + "; gba4j reads BERT and"
                    + " RoBERTa", "Use a BERT or RoBERTa checkpoint");
        }
        JsonElement heads = json.get("num_attention_heads");
        if (heads == null || !heads.isJsonPrimitive()) {
            throw new ModelFileException(src, "config.json has no num_attention_heads", "Use the model's own config.json");
        }
        int layers = HfTensorNames.layers(t.keySet());
        INDArray word = t.get(WORD_EMBEDDINGS);
        double eps = json.has("layer_norm_eps") ? json.get("layer_norm_eps").getAsDouble() : roberta ? 1e-5 : 1e-12;
        int padding = json.has("pad_token_id") && json.get("pad_token_id").isJsonPrimitive()
                ? json.get("pad_token_id").getAsInt() : 1;
        boolean mlm = t.containsKey(MLM_DENSE + WEIGHT) || t.containsKey(MLM_BIAS);
        try {
            if (word.rank() != 2) {
                throw new IllegalArgumentException(WORD_EMBEDDINGS + " has rank " + word.rank());
            }
            return new BertConfig(roberta ? "roberta" : "bert", (int) word.size(0), (int) word.size(1), layers,
                    heads.getAsInt(), (int) t.get(layer(0, INTERMEDIATE) + BIAS).size(0),
                    (int) t.get(POSITION_EMBEDDINGS).size(0), (int) t.get(TOKEN_TYPE_EMBEDDINGS).size(0), eps, mlm,
                    roberta ? padding + 1 : 0);
        } catch (RuntimeException e) {
            throw new ModelFileException(src, "inconsistent configuration: " + e.getMessage(),
                    "Use the model's own config.json and weights", e);
        }
    }

    private static String string(JsonObject json, String key, String fallback) {
        JsonElement e = json.get(key);
        return e == null || !e.isJsonPrimitive() ? fallback : e.getAsString();
    }
}
