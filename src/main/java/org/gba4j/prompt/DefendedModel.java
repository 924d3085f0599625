package org.gba4j.prompt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gba4j.io.AtomicFiles;
import org.gba4j.io.Gba4jCheckpoint;
import org.gba4j.io.ModelFileException;
import org.gba4j.io.OnnxExporter;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.ClassifierHead;

/**
 * A model written by {@code attack} or {@code defend}, and how it classifies. A prompt classifier
 * adapted from an ONNX export is written back as ONNX (the original graph with the adapted weights,
 * runnable in ONNX Runtime) with {@code tokenizer.json} and its settings as {@code gba4j.*} ONNX
 * metadata. Anything else (a checkpoint with a classification head, or a model that came from a
 * TensorFlow checkpoint or a gba4j checkpoint, or one whose vocabulary grew by appended soft-template
 * rows, see {@link SoftTemplate}) is a {@link Gba4jCheckpoint} with the settings in its metadata: the
 * original ONNX graph's shapes no longer fit a larger embedding matrix (a tied decoder's logits and
 * bias are declared with the old vocabulary size). Either way the folder appears only when complete ({@link AtomicFiles#writeFolder}).
 */
public final class DefendedModel {
    public static final String MODEL = "model.onnx";
    public static final String TOKENIZER = "tokenizer.json";
    /** Setting keys. */
    public static final String HEAD = "gba4j.head";
    public static final String LABEL_WORDS = "gba4j.label_words";
    public static final String TEMPLATE_WIDTH = "gba4j.template_width";
    public static final String MAX_LENGTH = "gba4j.max_length";
    public static final String TEMPERATURE = "gba4j.temperature";
    public static final String CLASSES = "gba4j.classes";

    private DefendedModel() {
    }

    /**
     * How a saved model classifies: with its classification head ({@code labelWords} empty) or as a
     * prompt classifier over its label words.
     */
    public record Settings(List<String> labelWords, int templateWidth, int maxLength, double temperature, int classes) {

        public static Settings prompt(LabelWords labels, PromptConfig config) {
            return new Settings(labels.words(), config.templateWidth(), config.maxLength(), config.temperature(),
                    labels.classes());
        }

        public static Settings head(int classes, int maxLength) {
            return new Settings(List.of(), 0, maxLength, 1, classes);
        }

        public boolean isPrompt() {
            return !labelWords.isEmpty();
        }

        Map<String, String> toMap() {
            Map<String, String> map = new LinkedHashMap<>();
            map.put(HEAD, isPrompt() ? "prompt" : "classifier");
            map.put(LABEL_WORDS, String.join(",", labelWords));
            map.put(TEMPLATE_WIDTH, Integer.toString(templateWidth));
            map.put(MAX_LENGTH, Integer.toString(maxLength));
            map.put(TEMPERATURE, Double.toString(temperature));
            map.put(CLASSES, Integer.toString(classes));
            return map;
        }

        static Settings fromMap(Map<String, ?> map, Path source) {
            for (String key : List.of(HEAD, LABEL_WORDS, TEMPLATE_WIDTH, MAX_LENGTH, TEMPERATURE, CLASSES)) {
                if (!map.containsKey(key)) {
                    throw new ModelFileException(source, "has no " + key + " setting", "Give a model written by gba4j");
                }
            }
            try {
                String words = String.valueOf(map.get(LABEL_WORDS));
                return new Settings(words.isEmpty() ? List.of() : List.of(words.split(",")),
                        Integer.parseInt(String.valueOf(map.get(TEMPLATE_WIDTH))),
                        Integer.parseInt(String.valueOf(map.get(MAX_LENGTH))),
                        Double.parseDouble(String.valueOf(map.get(TEMPERATURE))),
                        Integer.parseInt(String.valueOf(map.get(CLASSES))));
            } catch (NumberFormatException e) {
                throw new ModelFileException(source, "has malformed gba4j settings", "Write the model again");
            }
        }
    }

    /** Writes {@code weights} (adapted from {@code source}) with its settings and provenance to {@code out}. */
    public static void write(PretrainedModel source, BertWeights weights, Settings settings, Map<String, String> provenance,
                             Path out, boolean overwrite) {
        Map<String, String> metadata = new LinkedHashMap<>(provenance);
        metadata.putAll(settings.toMap());
        boolean onnx = source.onnxFile() != null && !ClassifierHead.has(weights)
                && weights.config().vocabSize() == source.weights().config().vocabSize();
        AtomicFiles.writeFolder(out, overwrite, DefendedModel::isModelFolder, folder -> {
            if (onnx) {
                OnnxExporter.write(source.onnxFile(), weights, metadata, folder.resolve(MODEL));
                Files.copy(source.tokenizerFile(), folder.resolve(TOKENIZER));
            } else {
                Gba4jCheckpoint.writeInto(folder, weights, source.tokenizerFile(), new LinkedHashMap<>(metadata));
            }
        });
    }

    /** Fails now, not after training, if {@link #write} would refuse {@code out}. */
    public static void checkTarget(Path out, boolean overwrite) {
        AtomicFiles.checkReplaceable(out.toAbsolutePath().normalize(), overwrite, DefendedModel::isModelFolder);
    }

    /** A folder {@link #write} may replace with --overwrite: one it wrote before, in either format. */
    private static boolean isModelFolder(Path dir) {
        return Gba4jCheckpoint.isCheckpoint(dir) || Files.isRegularFile(dir.resolve(MODEL));
    }

    /** The settings of a folder written by {@link #write}. */
    public static Settings settings(Path dir) {
        if (Gba4jCheckpoint.isCheckpoint(dir)) {
            return Settings.fromMap(Gba4jCheckpoint.readMetadata(dir), dir.resolve(Gba4jCheckpoint.METADATA_JSON));
        }
        if (Files.isRegularFile(dir.resolve(MODEL))) {
            return Settings.fromMap(OnnxExporter.readMetadata(dir.resolve(MODEL)), dir.resolve(MODEL));
        }
        throw new ModelFileException(dir, "is not a model folder written by gba4j", "Give the --out folder of attack or defend");
    }
}
