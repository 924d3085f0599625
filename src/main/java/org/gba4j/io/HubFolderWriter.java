package org.gba4j.io;

import static org.gba4j.model.WeightNames.*;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertGraph;
import org.gba4j.model.BertWeights;
import org.gba4j.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes weights as a Hugging Face Hub folder that {@code transformers} and {@link HubFolderReader} load:
 * {@code model.safetensors} (float32, Hugging Face tensor names, PyTorch's {@code [out, in]} linear layout),
 * {@code config.json}, the tokenizer file and {@code tokenizer_config.json}, and gba4j's settings and
 * provenance both in the safetensors header's {@code __metadata__} (the copy gba4j reads back: it cannot be
 * edited without rewriting the weights file's header) and as {@code gba4j.json} for people.
 *
 * <p>Architecture: a checkpoint with the masked-LM transform is written as {@code BertForMaskedLM} /
 * {@code RobertaForMaskedLM} ({@code bert.}/{@code roberta.} prefixes, {@code cls.predictions.*} /
 * {@code lm_head.*}, the decoder tied to the word embeddings and not stored), so
 * {@code AutoModelForMaskedLM} computes the same vocabulary logits. Anything else (MiniLM has no
 * masked-LM transform; a head classifier has no pooler) is written as the encoder, {@code BertModel} /
 * {@code RobertaModel}, plus gba4j's {@code classifier.*} where there is one; {@code gba4j.json} says how
 * gba4j classifies with it.
 */
public final class HubFolderWriter {
    public static final String GBA4J_JSON = "gba4j.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .setFieldNamingPolicy(com.google.gson.FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

    private HubFolderWriter() {
    }

    /** Writes the folder's files into an existing, empty {@code folder} (callers publish it atomically). */
    public static void writeInto(Path folder, BertWeights weights, Tokenizer tokenizer, Path tokenizerFile,
                                 Map<String, String> metadata, Map<Integer, String> labels) throws IOException {
        writeInto(folder, weights, tokenizer, tokenizerFile, metadata, labels, null);
    }

    /** As {@link #writeInto(Path, BertWeights, Tokenizer, Path, Map, Map)}, with a prompt classifier's rule in config.json. */
    public static void writeInto(Path folder, BertWeights weights, Tokenizer tokenizer, Path tokenizerFile,
                                 Map<String, String> metadata, Map<Integer, String> labels, Prompt prompt)
            throws IOException {
        BertConfig c = weights.config();
        boolean maskedLm = c.hasMlmHead();
        String prefix = maskedLm ? c.architecture() + "." : "";
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : weights.tensors().entrySet()) {
            tensors.put(hubName(e.getKey(), prefix, c.architecture()), hubLayout(e.getKey(), e.getValue()));
        }
        writeSafetensors(folder.resolve(HubFolderReader.SAFETENSORS), tensors, metadata);
        boolean json = tokenizerFile.getFileName().toString().endsWith(".json");
        Files.copy(tokenizerFile, folder.resolve(json ? "tokenizer.json" : "vocab.txt"));
        writeConfigs(folder, c, tokenizer, labels, prompt);
        Files.writeString(folder.resolve(GBA4J_JSON), GSON.toJson(metadata), StandardCharsets.UTF_8);
    }

    /**
     * {@code config.json} (with {@code id2label} from {@code labels}) and {@code tokenizer_config.json}, which
     * Hugging Face tools need beside any weights, ONNX exports included.
     */
    public static void writeConfigs(Path folder, BertConfig c, Tokenizer tokenizer, Map<Integer, String> labels,
                                    Prompt prompt) throws IOException {
        JsonObject config = config(c, tokenizer, labels);
        if (prompt != null) {
            config.add("gba4j_prompt", GSON.toJsonTree(prompt));
        }
        Files.writeString(folder.resolve(HubFolderReader.CONFIG_JSON), GSON.toJson(config), StandardCharsets.UTF_8);
        JsonObject tokenizerConfig = new JsonObject();
        tokenizerConfig.addProperty("tokenizer_class", c.architecture().equals("roberta") ? "RobertaTokenizerFast"
                : "BertTokenizerFast");
        tokenizerConfig.addProperty("model_max_length", c.maxSequenceLength());
        if (!c.architecture().equals("roberta")) {
            // the vocabulary's own behaviour: an uncased tokenizer gives "A" the ids of "a"
            tokenizerConfig.addProperty("do_lower_case", java.util.Arrays.equals(tokenizer.ids("A"), tokenizer.ids("a")));
        }
        Files.writeString(folder.resolve(TOKENIZER_CONFIG), GSON.toJson(tokenizerConfig), StandardCharsets.UTF_8);
    }

    /**
     * How a prompt classifier classifies, for clients without gba4j (config.json's {@code gba4j_prompt}): the ids
     * after the text's {@code [CLS] x [SEP]} ({@code suffix_ids}: the template's left half, [MASK], its right half),
     * the label words and their ids in class order, the temperature, and the ONNX output that scores them, if any.
     */
    public record Prompt(List<Integer> suffixIds, List<String> labelWords, List<Integer> labelWordIds, double temperature,
                         int maxLength, String onnxOutput) {
    }

    /** The Hugging Face name of a canonical tensor in a model of {@code architecture} whose encoder names carry {@code prefix}. */
    static String hubName(String canonical, String prefix, String architecture) {
        boolean roberta = architecture.equals("roberta");
        if (canonical.equals(BertGraph.CLASSIFIER_WEIGHT) || canonical.equals(BertGraph.CLASSIFIER_BIAS)) {
            return canonical;
        }
        if (canonical.equals(MLM_BIAS)) {
            return roberta ? "lm_head.bias" : canonical;
        }
        if (canonical.startsWith("cls.predictions.transform.")) {
            return roberta ? canonical.replace("cls.predictions.transform.dense.", "lm_head.dense.")
                    .replace("cls.predictions.transform.LayerNorm.", "lm_head.layer_norm.") : canonical;
        }
        return prefix + canonical;
    }

    /** PyTorch stores a linear layer (and the classifier) {@code [out, in]}; gba4j {@code [in, out]}. */
    private static INDArray hubLayout(String canonical, INDArray array) {
        return HfTensorNames.linearWeight(canonical) || canonical.equals(BertGraph.CLASSIFIER_WEIGHT)
                ? array.transpose().dup('c') : array;
    }

    private static JsonObject config(BertConfig c, Tokenizer tokenizer, Map<Integer, String> labels) {
        boolean roberta = c.architecture().equals("roberta");
        JsonObject o = new JsonObject();
        JsonArray architectures = new JsonArray();
        architectures.add((roberta ? "Roberta" : "Bert") + (c.hasMlmHead() ? "ForMaskedLM" : "Model"));
        o.add("architectures", architectures);
        o.addProperty("model_type", c.architecture());
        o.addProperty("vocab_size", c.vocabSize());
        o.addProperty("hidden_size", c.hidden());
        o.addProperty("num_hidden_layers", c.layers());
        o.addProperty("num_attention_heads", c.heads());
        o.addProperty("intermediate_size", c.intermediate());
        o.addProperty("hidden_act", "gelu");
        o.addProperty("max_position_embeddings", c.maxPositions());
        o.addProperty("type_vocab_size", c.typeVocabSize());
        o.addProperty("layer_norm_eps", c.layerNormEps());
        o.addProperty("pad_token_id", roberta ? c.positionOffset() - 1 : tokenizer.padId());
        o.addProperty("position_embedding_type", "absolute");
        o.addProperty("hidden_dropout_prob", 0.1);
        o.addProperty("attention_probs_dropout_prob", 0.1);
        o.addProperty("initializer_range", 0.02);
        if (!labels.isEmpty()) {
            JsonObject id2label = new JsonObject();
            JsonObject label2id = new JsonObject();
            labels.forEach((id, label) -> {
                id2label.addProperty(Integer.toString(id), label);
                label2id.addProperty(label, id);
            });
            o.add("id2label", id2label);
            o.add("label2id", label2id);
        }
        return o;
    }

    /** An 8-byte header length, the JSON header (padded to 8 bytes with spaces, as the format's writer does), the tensors. */
    static void writeSafetensors(Path file, Map<String, INDArray> tensors, Map<String, String> metadata)
            throws IOException {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        metadata.forEach(meta::addProperty);
        header.add("__metadata__", meta);
        long offset = 0;
        List<INDArray> order = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            INDArray a = e.getValue();
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : a.shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += a.length() * Float.BYTES;
            offsets.add(offset);
            entry.add("data_offsets", offsets);
            header.add(e.getKey(), entry);
            order.add(a);
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(json);
            out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (INDArray a : order) {
                float[] values = a.dup('c').data().asFloat();
                for (float v : values) {
                    if (!chunk.hasRemaining()) {
                        out.write(chunk.array(), 0, chunk.position());
                        chunk.clear();
                    }
                    chunk.putFloat(v);
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        }
    }
}
