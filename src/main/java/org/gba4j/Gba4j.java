package org.gba4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gba4j.attack.Poisoner;
import org.gba4j.attack.TriggerPosition;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.CsvDataset;
import org.gba4j.data.LabeledText;
import org.gba4j.eval.Evaluation;
import org.gba4j.io.PretrainedModel;
import org.gba4j.prompt.DefendedModel;
import org.gba4j.prompt.LabelWords;
import org.gba4j.prompt.PromptClassifier;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptMode;
import org.gba4j.prompt.TriggerScan;

/**
 * gba4j as a library, for programs that embed it: load a model, adapt it on clean data with GBA, score it, save it.
 * The same code paths as the {@code defend} and {@code evaluate} commands, without the command line.
 *
 * <pre>{@code
 * try (PretrainedModel model = Gba4j.load("minilm")) {
 *     List<LabeledText> train = Gba4j.readCsv(Path.of("datasets/mr/train.csv.gz"));
 *     PromptClassifier defended = Gba4j.defend(model, train.subList(0, 200), List.of("terrible", "good"),
 *             Gba4j.gba().withAim(TriggerScan.Config.DEFAULT));
 *     Evaluation e = Gba4j.evaluate(defended, Gba4j.readCsv(Path.of("datasets/mr/test.csv.gz")), "cf", 1, 42);
 *     Gba4j.save(model, defended, Path.of("defended"));
 * }
 * }</pre>
 */
public final class Gba4j {
    private Gba4j() {
    }

    /** {@code minilm}, {@code bert-base}, or a path (ONNX export, Hugging Face Hub folder, TensorFlow SavedModel). */
    public static PretrainedModel load(String model) {
        return PretrainedModel.load(model);
    }

    /** A CSV with a header row and {@code text} and {@code label} columns (gzip allowed). */
    public static List<LabeledText> readCsv(Path csv) {
        return CsvDataset.read(csv, CsvDataset.Columns.SINGLE);
    }

    /** The paper's GBA with the {@code defend} command's defaults: soft template 2, lambda 0.5, Adam 2e-5, 3 epochs. */
    public static PromptConfig gba() {
        return PromptConfig.defaults(PromptMode.GBA);
    }

    /**
     * Adapts {@code model} on {@code clean} rows as a prompt classifier over {@code labelWords} (one single-token word
     * per class, in label order) with {@code config}; with {@code config.aim()} enabled, the suspects the trigger scan
     * found are already moved ({@link PromptClassifier#suspects()}).
     */
    public static PromptClassifier defend(PretrainedModel model, List<LabeledText> clean, List<String> labelWords,
                                          PromptConfig config) {
        return defend(model, clean, List.of(), labelWords, config);
    }

    /**
     * As {@link #defend(PretrainedModel, List, List, PromptConfig)}; the aimed scan probes and checks {@code scanRows},
     * clean rows held out from {@code clean} ({@code defend --aim-scan-data}), instead of {@code clean}, or beside it
     * where {@code config.aim().alsoAdapted()} ({@code --aim-scan-both}).
     */
    public static PromptClassifier defend(PretrainedModel model, List<LabeledText> clean, List<LabeledText> scanRows,
                                          List<String> labelWords, PromptConfig config) {
        PromptClassifier classifier = new PromptClassifier(model.weights(), model.tokenizer(),
                LabelWords.of(labelWords, model.tokenizer()), config);
        classifier.train(clean, scanRows, List.of(), p -> { });
        return classifier;
    }

    /** ACC, majority rate and Matthews correlation on {@code test}. */
    public static Evaluation evaluate(TextClassifier classifier, List<LabeledText> test) {
        return Evaluation.of(classifier, test);
    }

    /** As {@link #evaluate(TextClassifier, List)}, and the ASR of {@code trigger} inserted at the start of each row. */
    public static Evaluation evaluate(TextClassifier classifier, List<LabeledText> test, String trigger, int target,
                                      long seed) {
        List<LabeledText> triggered = new Poisoner(List.of(trigger), target, seed).triggerTest(test, 1, TriggerPosition.START);
        return Evaluation.of(classifier, test, triggered, target);
    }

    /** Writes {@code defended} as a Hugging Face Hub folder {@code out} (which must not exist), as {@code defend} does. */
    public static void save(PretrainedModel source, PromptClassifier defended, Path out) {
        DefendedModel.write(source, defended.model().weights(), DefendedModel.Settings.prompt(defended.labels(),
                defended.config()), Map.of("gba4j.source", source.name()), out, false);
    }

    /** A classifier from a folder {@code attack} or {@code defend} wrote (close the model when done). */
    public static TextClassifier open(PretrainedModel saved, Path folder) {
        return DefendedModel.classifier(saved, DefendedModel.settings(folder));
    }

    /** The trigger scan's default (chosen on dev, reports/gba-diagnosis.md), for {@code gba().withAim(...)}. */
    public static TriggerScan.Config aimedScan() {
        return TriggerScan.Config.DEFAULT;
    }
}
