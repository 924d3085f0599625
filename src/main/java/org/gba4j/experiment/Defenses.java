package org.gba4j.experiment;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.gba4j.classify.FineTuning;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.defense.BroadcastForm;
import org.gba4j.defense.BroadcastReading;
import org.gba4j.defense.BroadcastSettings;
import org.gba4j.defense.TriggerScan;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertWeights;
import org.gba4j.prompt.LabelWords;
import org.gba4j.prompt.PromptClassifier;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptMode;

/**
 * The defense stage of a grid (section 4.2, Table 12): what each defense does to a backdoor, on
 * the clean data the defender has. Clean-FT's model is stored, since it is also NAD's and NAD-C's
 * teacher.
 */
public final class Defenses {
    /** Every defense a cell may name. */
    public static final List<String> NAMES = List.of("none", "clean-ft", "nad", "nad-c", "pt", "pt-soft", "gba");

    private final PretrainedModel base;
    private final Profile profile;
    private final ModelStore models;
    private final long seed;

    public Defenses(PretrainedModel base, Profile profile, ModelStore models, long seed) {
        this.base = base;
        this.profile = profile;
        this.models = models;
        this.seed = seed;
    }

    /** The defended classifier of {@code cell}, adapted on {@code clean}. */
    public TextClassifier apply(Cell cell, PaperDataset task, Backdoor backdoor, List<LabeledText> clean,
                                Consumer<TextClassifier.Progress> progress) {
        FineTuning fineTuning = profile.fineTuning(task, seed);
        return switch (cell.defense()) {
            case "none" -> fineTuning.classifier(backdoor.classifier(), base.tokenizer(), task.classes());
            case "clean-ft" -> fineTuning.classifier(teacher(cell, task, backdoor, clean, progress), base.tokenizer(),
                    task.classes());
            case "nad", "nad-c" -> {
                BertWeights teacher = teacher(cell, task, backdoor, clean, progress);
                BertWeights student = cell.defense().equals("nad") ? backdoor.classifier() : base.weights();
                yield profile.nad(task, seed).defend(student, teacher, base.tokenizer(), clean, task.classes(), progress);
            }
            case "pt", "pt-soft", "gba" -> {
                PromptClassifier classifier = new PromptClassifier(backdoor.encoder(), base.tokenizer(),
                        LabelWords.of(task.labelWords(), base.tokenizer()), promptConfig(cell, task));
                classifier.train(clean, List.of(), progress);
                yield classifier;
            }
            default -> throw new IllegalArgumentException("unknown defense '" + cell.defense() + "'; choose from " + NAMES);
        };
    }

    /**
     * The prompt settings of a cell: the profile's, with the cell's lambda, broadcast form
     * ({@code broadcast}, {@code broadcast_lr}, {@code broadcast_rows}), {@code aim}, embedding rate, width and
     * length if it sets them.
     */
    public PromptConfig promptConfig(Cell cell, PaperDataset task) {
        PromptMode mode = switch (cell.defense()) {
            case "pt" -> PromptMode.PT;
            case "pt-soft" -> PromptMode.PT_SOFT;
            default -> PromptMode.GBA;
        };
        PromptConfig config = profile.prompt(mode, task, seed);
        int maxLength = Integer.parseInt(cell.param("max_length", Integer.toString(config.maxLength())));
        config = config.withTraining(config.learningRate(), config.epochs(), config.batchSize(), maxLength); // before the width
        if (mode.usesBroadcast()) {
            BroadcastSettings b = config.broadcast();
            BroadcastForm form = BroadcastForm.valueOf(cell.param("broadcast", b.form().name()).toUpperCase(Locale.ROOT));
            BroadcastReading reading = BroadcastReading.valueOf(cell.param("broadcast_rows", b.reading().name())
                    .toUpperCase(Locale.ROOT));
            config = config.withBroadcast(new BroadcastSettings(
                    Double.parseDouble(cell.param("lambda", Double.toString(b.lambda()))), form,
                    Double.parseDouble(cell.param("broadcast_lr", Double.toString(b.learningRate()))), reading,
                    b.ratioCap()));
        }
        if (Boolean.parseBoolean(cell.param("aim", "false"))) {
            config = config.withAim(TriggerScan.Config.DEFAULT);
        }
        config = config.withEmbeddingLearningRate(Double.parseDouble(cell.param("embedding_lr",
                Double.toString(config.embeddingLearningRate()))));
        if (mode.usesTemplate()) {
            config = config.withTemplateWidth(Integer.parseInt(cell.param("width", Integer.toString(config.templateWidth()))));
        }
        return config;
    }

    /** The settings a cell's defense ran with, for its provenance. */
    public Map<String, String> describe(Cell cell, PaperDataset task) {
        return switch (cell.defense()) {
            case "none" -> Map.of();
            case "clean-ft" -> Map.of("defense_config", profile.fineTuning(task, seed).toString());
            case "nad", "nad-c" -> Map.of("defense_config", profile.nad(task, seed).toString(),
                    "teacher", "clean-ft of the backdoored model", "student",
                    cell.defense().equals("nad") ? "the backdoored model" : profile.model() + " (clean)");
            default -> Map.of("defense_config", promptConfig(cell, task).toString(), "label_words",
                    String.join(",", task.labelWords()));
        };
    }

    /** Clean-FT of the backdoored classifier, built once per backdoor and clean-data size. */
    private BertWeights teacher(Cell cell, PaperDataset task, Backdoor backdoor, List<LabeledText> clean,
                                Consumer<TextClassifier.Progress> progress) {
        String key = "clean-ft-" + cell.attack() + "-" + cell.trigger() + "-" + task.name() + "-" + clean.size();
        FineTuning fineTuning = profile.fineTuning(task, seed);
        Map<String, String> metadata = Map.of("gba4j.config", fineTuning.toString(), "gba4j.backdoor",
                new TreeMap<>(backdoor.config()).toString()); // sorted: Map.copyOf's order changes between JVMs
        return models.get(key, metadata, () -> fineTuning.run(backdoor.classifier(),
                base.tokenizer(), clean, task.classes(), List.of(), progress).model().weights());
    }
}
