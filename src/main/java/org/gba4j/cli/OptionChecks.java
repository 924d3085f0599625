package org.gba4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gba4j.data.LabeledText;
import org.gba4j.files.ModelFileException;
import org.gba4j.io.PretrainedModel;
import org.gba4j.prompt.LabelWords;

/**
 * Option checks made before a model is loaded or trained, so a typo costs a second, not an hour;
 * each error names its option.
 */
final class OptionChecks {
    /** Rough on-disk size of a written model when --model is a name, for the free-space check. */
    private static final long MINILM_BYTES = 100L << 20;
    private static final long BERT_BASE_BYTES = 500L << 20;

    private OptionChecks() {
    }

    /** A report name: a plain file name, so a report cannot be written outside its folder. */
    static void plainFileName(String option, String value) {
        if (value != null && !value.matches("[A-Za-z0-9_.-]+") || ".".equals(value) || "..".equals(value)) {
            throw new IllegalArgumentException(option + " must be a plain file name (letters, digits, '_', '.', '-'): "
                    + value);
        }
    }

    static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", got " + value);
        }
    }

    static void between(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    static void positive(String option, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(option + " must be a positive number, got " + value);
        }
    }

    static void nonNegative(String option, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(option + " must be 0 or more, got " + value);
        }
    }

    static void oneOf(String option, String value, List<String> choices) {
        if (!choices.contains(value)) {
            throw new IllegalArgumentException(option + " must be one of " + String.join(", ", choices) + "; got '" + value
                    + "'");
        }
    }

    /** The class a security number is about must exist: a target outside the classes gives a silent 0% ASR. */
    static void target(String option, int target, int classes) {
        if (target < 0 || target >= classes) {
            throw new IllegalArgumentException(option + " " + target + " is not a class of this " + classes + "-class"
                    + " model; give 0.." + (classes - 1));
        }
    }

    /** One single-token word per class, at least two, none of them a special token. */
    static void labelWords(String option, List<String> words) {
        if (words.size() < 2) {
            throw new IllegalArgumentException(option + " needs one word per class, at least two; got " + words);
        }
        words.forEach(LabelWords::checkNotSpecial);
    }

    /**
     * Every label in {@code data} (read from {@code file}) must be a class below {@code classes}: a
     * label beyond them would be trained on or scored as nothing. {@code limit} says what sets the classes.
     */
    static void labelsBelow(Path file, List<LabeledText> data, int classes, String limit, String remedy) {
        for (LabeledText example : data) {
            if (example.label() >= classes) {
                throw new ModelFileException(file, "has label " + example.label() + " but " + limit, remedy);
            }
        }
    }

    /** --model as a path when it is one (to protect it from --out), else null for the built-in names. */
    static Path modelPath(String model) {
        return PretrainedModel.MINILM.equals(model) || PretrainedModel.BERT_BASE.equals(model) ? null : Path.of(model);
    }

    /** About how many bytes a model written from {@code model} takes: its own files' size, or a built-in's. */
    static long modelBytes(String model) {
        if (PretrainedModel.MINILM.equals(model)) {
            return MINILM_BYTES;
        }
        if (PretrainedModel.BERT_BASE.equals(model)) {
            return BERT_BASE_BYTES;
        }
        Path path = Path.of(model);
        Path folder = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        try (Stream<Path> files = folder == null ? Stream.empty() : Files.list(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0; // the model's own reader reports an unreadable folder
        }
    }
}
