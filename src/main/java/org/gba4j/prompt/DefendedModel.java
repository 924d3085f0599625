package org.gba4j.prompt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gba4j.classify.FineTuning;
import org.gba4j.classify.TextClassifier;
import org.gba4j.files.ModelFileException;
import org.gba4j.io.AtomicFiles;
import org.gba4j.io.Gba4jCheckpoint;
import org.gba4j.io.HubFolderReader;
import org.gba4j.io.HubFolderWriter;
import org.gba4j.io.LoadLimits;
import org.gba4j.io.OnnxExporter;
import org.gba4j.io.OutputException;
import org.gba4j.io.PretrainedModel;
import org.gba4j.io.SafetensorsFile;
import org.gba4j.model.BertWeights;
import org.gba4j.model.ClassifierHead;

/**
 * A model written by {@code attack} or {@code defend}, and how it classifies. By default a Hugging Face
 * Hub folder ({@link HubFolderWriter}: {@code model.safetensors}, {@code config.json}, tokenizer files,
 * {@code gba4j.json}) with the settings in the safetensors metadata. With {@link Format#ONNX}, a prompt
 * classifier adapted from an ONNX export is written back as ONNX (the original graph with the adapted
 * weights, runnable in ONNX Runtime) with {@code tokenizer.json}, {@code config.json} and its settings
 * as {@code gba4j.*} ONNX metadata; only such a model can be (a head classifier, a TensorFlow source or a
 * vocabulary grown by soft-template rows, see {@link SoftTemplate}, no longer fit the original graph).
 * Folders written by earlier versions ({@link Gba4jCheckpoint}) are still read. Either way the folder
 * appears only when complete ({@link AtomicFiles#writeFolder}).
 */
public final class DefendedModel {
    public static final String MODEL = "model.onnx";
    public static final String TOKENIZER = "tokenizer.json";
    /** Setting keys. */
    public static final String HEAD = HubFolderReader.GBA4J_HEAD;
    public static final String LABEL_WORDS = "gba4j.label_words";
    public static final String TEMPLATE_WIDTH = "gba4j.template_width";
    public static final String MAX_LENGTH = "gba4j.max_length";
    public static final String TEMPERATURE = "gba4j.temperature";
    public static final String CLASSES = "gba4j.classes";

    private DefendedModel() {
    }

    /** How a model is written: a Hugging Face Hub folder (safetensors), or the source's ONNX graph. */
    public enum Format {
        SAFETENSORS, ONNX
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
            Settings settings;
            try {
                String words = String.valueOf(map.get(LABEL_WORDS));
                settings = new Settings(words.isEmpty() ? List.of() : List.of(words.split(",")),
                        Integer.parseInt(String.valueOf(map.get(TEMPLATE_WIDTH))),
                        Integer.parseInt(String.valueOf(map.get(MAX_LENGTH))),
                        Double.parseDouble(String.valueOf(map.get(TEMPERATURE))),
                        Integer.parseInt(String.valueOf(map.get(CLASSES))));
            } catch (NumberFormatException e) {
                throw new ModelFileException(source, "has malformed gba4j settings", "Write the model again");
            }
            if (settings.classes() < 2 || settings.isPrompt() && settings.labelWords().size() != settings.classes()
                    || settings.maxLength() < 8 || settings.maxLength() > 4096 || settings.templateWidth() < 0
                    || !(settings.temperature() > 0)) {
                throw new ModelFileException(source, "has inconsistent gba4j settings " + settings.toMap(),
                        "Write the model again");
            }
            return settings;
        }
    }

    /**
     * Writes {@code weights} (adapted from {@code source}) with its settings and provenance to {@code out}.
     * If that fails (a full or read-only disk), the finished model is written to a recovery folder
     * instead and the {@link OutputException} says where: a run's work is never lost to its last step.
     */
    public static void write(PretrainedModel source, BertWeights weights, Settings settings, Map<String, String> provenance,
                             Path out, boolean overwrite) {
        write(source, weights, settings, provenance, out, overwrite, Format.SAFETENSORS);
    }

    /** As {@link #write(PretrainedModel, BertWeights, Settings, Map, Path, boolean)}, in {@code format}. */
    public static void write(PretrainedModel source, BertWeights weights, Settings settings, Map<String, String> provenance,
                             Path out, boolean overwrite, Format format) {
        Map<String, String> metadata = new LinkedHashMap<>(provenance);
        metadata.putAll(settings.toMap());
        boolean onnx = format == Format.ONNX && onnxFits(source, weights);
        if (format == Format.ONNX && !onnx) { // known only after training: the trained model is kept, in the other format
            System.err.println("note: the ONNX graph of " + source.name() + " cannot hold this model (a classification"
                    + " head, appended template rows, or no ONNX source): writing it as safetensors instead");
        }
        Map<Integer, String> labels = new LinkedHashMap<>();
        for (int c = 0; c < settings.classes(); c++) {
            labels.put(c, settings.isPrompt() ? settings.labelWords().get(c) : "LABEL_" + c);
        }
        HubFolderWriter.Prompt prompt = settings.isPrompt() ? prompt(source, weights, settings, onnx) : null;
        AtomicFiles.FolderWriter content = folder -> {
            if (onnx) {
                OnnxExporter.write(source.onnxFile(), weights, metadata, folder.resolve(MODEL), prompt == null ? null
                        : new OnnxExporter.LabelLogits(source.tokenizer().maskId(),
                        prompt.labelWordIds().stream().mapToInt(Integer::intValue).toArray(), prompt.temperature()));
                Files.copy(source.tokenizerFile(), folder.resolve(TOKENIZER));
                HubFolderWriter.writeConfigs(folder, weights.config(), source.tokenizer(), labels, prompt);
            } else {
                HubFolderWriter.writeInto(folder, weights, source.tokenizer(), source.tokenizerFile(), metadata, labels,
                        prompt);
            }
        };
        try {
            AtomicFiles.writeFolder(out, overwrite, AtomicFiles::isOurs, content);
        } catch (java.io.UncheckedIOException | ModelFileException e) { // e.g. a full disk, or --out appeared meanwhile
            String name = out.toAbsolutePath().normalize().getFileName() + "-" + java.time.LocalDateTime.now()
                    .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            List<String> tried = new java.util.ArrayList<>();
            for (Path root : recoveryRoots()) {
                Path fallback = root.resolve(name);
                try {
                    AtomicFiles.writeFolder(fallback, false, AtomicFiles::isOurs, content);
                    throw new OutputException("cannot write --out " + out + " (" + rootMessage(e) + "); the finished model"
                            + " was saved to " + fallback + " instead: move it where you want it", e);
                } catch (java.io.UncheckedIOException | ModelFileException retry) {
                    tried.add(fallback + ": " + rootMessage(retry));
                }
            }
            throw new OutputException("cannot write --out " + out + " (" + rootMessage(e) + ") nor a recovery folder ("
                    + String.join("; ", tried) + "); the trained model is lost: free disk space and run again", e);
        }
    }

    /** The prompt rule of a saved prompt classifier: the ids after {@code [CLS] x [SEP]}, and how the label words score. */
    private static HubFolderWriter.Prompt prompt(PretrainedModel source, BertWeights weights, Settings settings,
                                                 boolean onnx) {
        int[] template = SoftTemplate.of(weights, source.tokenizer(), settings.templateWidth()).ids();
        List<Integer> suffix = java.util.Arrays.stream(new PromptEncoder(source.tokenizer(), template, settings.maxLength())
                .suffix()).boxed().toList();
        int[] labelIds = LabelWords.of(settings.labelWords(), source.tokenizer()).ids();
        return new HubFolderWriter.Prompt(suffix, settings.labelWords(), java.util.Arrays.stream(labelIds).boxed().toList(),
                settings.temperature(), settings.maxLength(), onnx ? OnnxExporter.LABEL_LOGITS : null);
    }

    /** Whether {@code weights} can go back into {@code source}'s ONNX graph. */
    static boolean onnxFits(PretrainedModel source, BertWeights weights) {
        return source.onnxFile() != null && !ClassifierHead.has(weights)
                && weights.config().vocabSize() == source.weights().config().vocabSize();
    }

    /** Where a model goes when --out cannot be written: the user's home, then the temporary folder. */
    static List<Path> recoveryRoots() {
        String override = System.getProperty("gba4j.recovery");
        if (override != null) {
            return List.of(Path.of(override));
        }
        return List.of(Path.of(System.getProperty("user.home"), ".gba4j", "recovered"),
                Path.of(System.getProperty("java.io.tmpdir"), "gba4j-recovered"));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /**
     * Fails now, not after training, if {@link #write} would refuse {@code out}: it exists and is not
     * gba4j's unchanged output, it is or holds one of the {@code inputs}, or its disk cannot take about
     * {@code bytesNeeded}.
     */
    public static void checkTarget(Path out, boolean overwrite, long bytesNeeded, Path... inputs) {
        AtomicFiles.checkNotAnInput(out, "--out", inputs);
        AtomicFiles.checkReplaceable(out.toAbsolutePath().normalize(), overwrite, AtomicFiles::isOurs);
        AtomicFiles.checkWritable(out, "--out", bytesNeeded);
    }

    /** The settings of a folder written by {@link #write}. */
    public static Settings settings(Path dir) {
        Path safetensors = dir.resolve(HubFolderReader.SAFETENSORS);
        if (Files.isRegularFile(safetensors)) {
            return Settings.fromMap(SafetensorsFile.open(safetensors, LoadLimits.DEFAULT).metadata(), safetensors);
        }
        if (Gba4jCheckpoint.isCheckpoint(dir)) {
            return Settings.fromMap(Gba4jCheckpoint.readMetadata(dir), dir.resolve(Gba4jCheckpoint.METADATA_JSON));
        }
        if (Files.isRegularFile(dir.resolve(MODEL))) {
            return Settings.fromMap(OnnxExporter.readMetadata(dir.resolve(MODEL)), dir.resolve(MODEL));
        }
        throw new ModelFileException(dir, "is not a model folder written by gba4j", "Give the --out folder of attack or defend");
    }

    /** The saved model's own way of classifying: its prompt and label words, or its classification head. */
    public static TextClassifier classifier(PretrainedModel pretrained, Settings settings) {
        if (!settings.isPrompt()) {
            if (!ClassifierHead.has(pretrained.weights())) {
                throw new IllegalArgumentException("this model has no classification head (e.g. a NeuBA encoder):"
                        + " fine-tune it first, e.g. defend --method clean-ft");
            }
            long headClasses = pretrained.weights().get(org.gba4j.model.BertGraph.CLASSIFIER_WEIGHT).columns();
            if (headClasses != settings.classes()) {
                throw new ModelFileException("--model", "has a " + headClasses + "-class head but its settings"
                        + " say " + settings.classes() + " classes", "Write the model again");
            }
            return new FineTuning(1e-5, 1, 32, settings.maxLength(), 0).classifier(pretrained.weights(),
                    pretrained.tokenizer(), settings.classes());
        }
        LabelWords labels = LabelWords.of(settings.labelWords(), pretrained.tokenizer());
        PromptMode mode = settings.templateWidth() > 0 ? PromptMode.PT_SOFT : PromptMode.PT;
        PromptConfig config = new PromptConfig(mode, settings.templateWidth(), BroadcastSettings.NONE, TriggerScan.Config.OFF,
                settings.temperature(), "adam", 1e-5, 0, 1, 32, settings.maxLength(), 0);
        return new PromptClassifier(pretrained.weights(), pretrained.tokenizer(), labels, config);
    }
}
