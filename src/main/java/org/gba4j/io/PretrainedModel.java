package org.gba4j.io;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertWeights;
import org.gba4j.text.MiniLmArtifact;
import org.gba4j.text.Tokenizer;

/**
 * A checkpoint's weights with the tokenizer from its own files. Resolves the names users type:
 * {@code minilm} (the embedded default, all-MiniLM-L6-v2 from its Maven artifact),
 * {@code bert-base} (bert-base-uncased with its masked-LM head, from its Maven artifact), or a path:
 * an {@code .onnx} file with {@code tokenizer.json} beside it, or a folder holding
 * {@code model.onnx} + {@code tokenizer.json} (or transformers.js's {@code onnx/model.onnx} with the
 * tokenizer at the top), or a Hugging Face Hub folder ({@code config.json} + {@code model.safetensors}
 * or its shards, {@code tokenizer.json} or {@code vocab.txt}; {@link HubFolderReader}), or a TensorFlow SavedModel ({@code variables/} +
 * {@code vocab.txt} or {@code assets/vocab.txt}), or a checkpoint this toolkit wrote
 * ({@link Gba4jCheckpoint}: {@code checkpoint.json} with its {@code tokenizer.json} or
 * {@code vocab.txt}). {@code onnxFile} is the ONNX graph the weights came from (null for
 * TensorFlow and gba4j checkpoints): trained weights are exported back into it.
 */
public record PretrainedModel(String name, BertWeights weights, Tokenizer tokenizer, Path onnxFile,
                              Path tokenizerFile) implements AutoCloseable {

    public static final String MINILM = "minilm";
    public static final String BERT_BASE = "bert-base";

    public static PretrainedModel load(String spec) {
        if (MINILM.equals(spec)) {
            MiniLmArtifact artifact = new MiniLmArtifact();
            return new PretrainedModel(spec, OnnxCheckpointReader.load(artifact.onnxModel()), artifact.tokenizer(),
                    artifact.onnxModel(), artifact.tokenizerJson());
        }
        if (BERT_BASE.equals(spec)) {
            BertBaseArtifact artifact = new BertBaseArtifact();
            return new PretrainedModel(spec, artifact.weights(LoadLimits.DEFAULT),
                    Tokenizer.fromVocabTxt(artifact.vocabFile(), true), null, artifact.vocabFile());
        }
        return fromPath(Path.of(spec));
    }

    /** Whether {@code path} names an ONNX export this class loads (a file, or a folder with model.onnx or onnx/model.onnx). */
    public static boolean isOnnx(Path path) {
        return Files.isRegularFile(path) && path.toString().endsWith(".onnx") || Files.isDirectory(path)
                && !Files.isRegularFile(path.resolve(Gba4jCheckpoint.CHECKPOINT_JSON))
                && (Files.isRegularFile(path.resolve("model.onnx")) || Files.isRegularFile(path.resolve("onnx/model.onnx")));
    }

    private static PretrainedModel fromPath(Path path) {
        String name = path.toString();
        if (Files.isRegularFile(path) && name.endsWith(".onnx")) {
            return onnx(path, path.resolveSibling("tokenizer.json"));
        }
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(Gba4jCheckpoint.CHECKPOINT_JSON))) {
                BertWeights weights = Gba4jCheckpoint.read(path, LoadLimits.DEFAULT);
                Path tokenizer = Gba4jCheckpoint.tokenizerFile(path);
                Tokenizer loaded = tokenizer.endsWith(Gba4jCheckpoint.TOKENIZER_JSON)
                        ? Tokenizer.fromTokenizerJson(tokenizer) : Tokenizer.fromVocabTxt(tokenizer, true);
                return new PretrainedModel(name, weights, loaded, null, tokenizer);
            }
            if (Files.isRegularFile(path.resolve("model.onnx"))) {
                return onnx(path.resolve("model.onnx"), path.resolve("tokenizer.json"));
            }
            if (Files.isRegularFile(path.resolve("onnx").resolve("model.onnx"))) {
                return onnx(path.resolve("onnx").resolve("model.onnx"), path.resolve("tokenizer.json"));
            }
            if (HubFolderReader.isHubFolder(path)) {
                BertWeights weights = HubFolderReader.read(path, LoadLimits.DEFAULT);
                Path tokenizerJson = path.resolve("tokenizer.json");
                if (Files.isRegularFile(tokenizerJson)) {
                    return new PretrainedModel(name, weights, Tokenizer.fromTokenizerJson(tokenizerJson), null, tokenizerJson);
                }
                Path vocab = path.resolve("vocab.txt");
                if (!Files.isRegularFile(vocab)) {
                    throw new ModelFileException(path, "has weights but neither tokenizer.json nor vocab.txt",
                            "Download the model's tokenizer files into the folder");
                }
                return new PretrainedModel(name, weights, Tokenizer.fromVocabTxt(vocab, lowerCase(path)), null, vocab);
            }
            if (Files.isDirectory(path.resolve("variables"))) {
                Path vocab = Files.isRegularFile(path.resolve("vocab.txt")) ? path.resolve("vocab.txt")
                        : path.resolve("assets").resolve("vocab.txt");
                return new PretrainedModel(name, TfCheckpointReader.read(path, LoadLimits.DEFAULT),
                        Tokenizer.fromVocabTxt(vocab, true), null, vocab);
            }
        }
        throw new ModelFileException(name, "is neither 'minilm', 'bert-base', an .onnx file, nor a folder with"
                + " model.onnx, onnx/model.onnx, config.json + model.safetensors, a TensorFlow SavedModel or a gba4j"
                + " checkpoint.json", "Give one of those");
    }

    /** {@code do_lower_case} of the folder's tokenizer_config.json; true (BERT's uncased default) without one. */
    private static boolean lowerCase(Path folder) {
        Path config = folder.resolve("tokenizer_config.json");
        try {
            if (Files.isRegularFile(config) && Files.size(config) < (1 << 20)) {
                com.google.gson.JsonElement json = com.google.gson.JsonParser.parseString(Files.readString(config));
                if (json.isJsonObject() && json.getAsJsonObject().has("do_lower_case")) {
                    return json.getAsJsonObject().get("do_lower_case").getAsBoolean();
                }
            }
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            throw new ModelFileException(config, "is not readable JSON (" + e.getMessage() + ")",
                    "Replace it with the model's own tokenizer_config.json");
        }
    }

    private static PretrainedModel onnx(Path model, Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new ModelFileException(model, "has no tokenizer.json beside it",
                    "Export the tokenizer with the model (tokenizer.save_pretrained) into the same folder");
        }
        return new PretrainedModel(model.toString(), OnnxCheckpointReader.load(model),
                Tokenizer.fromTokenizerJson(tokenizerJson), model, tokenizerJson);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
