package org.gba4j.prompt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gba4j.io.ModelFileException;
import org.gba4j.io.OnnxExporter;
import org.gba4j.model.BertWeights;

/**
 * A defended model on disk: a folder with {@code model.onnx} (the original graph with the adapted
 * weights, runnable in ONNX Runtime), {@code tokenizer.json}, and the prompt settings as ONNX
 * metadata ({@code gba4j.*}). Written into a hidden sibling folder and renamed into place, so a
 * failed run leaves nothing behind.
 */
public final class DefendedModel {
    public static final String MODEL = "model.onnx";
    public static final String TOKENIZER = "tokenizer.json";
    static final String LABEL_WORDS = "gba4j.label_words";
    static final String TEMPLATE_WIDTH = "gba4j.template_width";
    static final String MAX_LENGTH = "gba4j.max_length";
    static final String TEMPERATURE = "gba4j.temperature";
    static final String TEMPLATE_IDS = "gba4j.soft_template_ids";

    private DefendedModel() {
    }

    /** Settings a defended model needs to classify again. */
    public record Settings(List<String> labelWords, int templateWidth, int maxLength, double temperature) {
    }

    public static void write(Path sourceOnnx, Path tokenizerJson, BertWeights weights, PromptClassifier classifier,
                             PromptConfig config, Map<String, String> provenance, Path out, boolean overwrite) {
        Path target = out.toAbsolutePath().normalize();
        Path temp = target.resolveSibling("." + target.getFileName() + ".partial");
        try {
            deleteRecursively(temp);
            Files.createDirectories(temp);
            Map<String, String> metadata = new LinkedHashMap<>(provenance);
            metadata.put(LABEL_WORDS, String.join(",", classifier.labels().words()));
            metadata.put(TEMPLATE_WIDTH, Integer.toString(config.templateWidth()));
            metadata.put(TEMPLATE_IDS, Arrays.toString(classifier.encoder().templateIds()));
            metadata.put(MAX_LENGTH, Integer.toString(config.maxLength()));
            metadata.put(TEMPERATURE, Double.toString(config.temperature()));
            OnnxExporter.write(sourceOnnx, weights, metadata, temp.resolve(MODEL));
            Files.copy(tokenizerJson, temp.resolve(TOKENIZER));
            if (overwrite) {
                deleteRecursively(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the defended model to " + out + ": " + e.getMessage(), e);
        } finally {
            try {
                deleteRecursively(temp);
            } catch (IOException ignored) {
                // best effort: the partial folder is hidden and replaced by the next run
            }
        }
    }

    public static Settings settings(Path dir) {
        Map<String, String> metadata = OnnxExporter.readMetadata(dir.resolve(MODEL));
        for (String key : List.of(LABEL_WORDS, TEMPLATE_WIDTH, MAX_LENGTH, TEMPERATURE)) {
            if (!metadata.containsKey(key)) {
                throw new ModelFileException(dir.resolve(MODEL), "has no " + key + " metadata",
                        "Give a folder written by 'defend'");
            }
        }
        try {
            return new Settings(List.of(metadata.get(LABEL_WORDS).split(",")),
                    Integer.parseInt(metadata.get(TEMPLATE_WIDTH)), Integer.parseInt(metadata.get(MAX_LENGTH)),
                    Double.parseDouble(metadata.get(TEMPERATURE)));
        } catch (NumberFormatException e) {
            throw new ModelFileException(dir.resolve(MODEL), "has malformed gba4j metadata", "Run 'defend' again");
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
