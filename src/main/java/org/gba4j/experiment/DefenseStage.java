package org.gba4j.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.defense.Defense;
import org.gba4j.defense.DefenseJob;
import org.gba4j.defense.Defenses;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.Stages;
import org.gba4j.prompt.BroadcastForm;
import org.gba4j.prompt.BroadcastReading;
import org.gba4j.prompt.BroadcastSettings;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptMode;
import org.gba4j.prompt.TriggerScan;

/**
 * The defense stage of a grid (section 4.2, Table 12): what each defense does to a backdoor, on
 * the clean data the defender has. Clean-FT's model is stored, since it is also NAD's and NAD-C's
 * teacher.
 */
public final class DefenseStage {
    private final PretrainedModel base;
    private final Profile profile;
    private final ModelStore models;
    private final long seed;

    public DefenseStage(PretrainedModel base, Profile profile, ModelStore models, long seed) {
        this.base = base;
        this.profile = profile;
        this.models = models;
        this.seed = seed;
    }

    /** The defense a cell names, with the profile's settings for {@code task} and the cell's parameters. */
    public Defense defense(Cell cell, PaperDataset task) {
        return Defenses.of(cell.defense(), new Defenses.Plan(profile.fineTuning(task, seed), profile.nadBeta(),
                Defenses.promptBased(cell.defense()) ? promptConfig(cell, task) : null));
    }

    /**
     * The defended classifier of {@code cell}, adapted on {@code clean}; an aimed scan checks {@code scanRows} (empty:
     * {@code clean}).
     */
    public TextClassifier apply(Cell cell, PaperDataset task, Backdoor backdoor, List<LabeledText> clean,
                                List<LabeledText> scanRows, Consumer<TextClassifier.Progress> progress) {
        // NAD's teacher (Clean-FT's model) is kept once per backdoor and clean-data size
        String teacherKey = cell.attack() + "-" + cell.trigger() + "-" + task.name() + "-" + clean.size();
        // the backdoor's settings sorted: Map.copyOf's order changes between JVMs
        Map<String, String> backdoorRecord = Map.of("gba4j.backdoor", new TreeMap<>(backdoor.config()).toString());
        Stages stages = (name, settings, build) -> models.get((name.equals("teacher") ? Defenses.CLEAN_FT : name) + "-" + teacherKey,
                with(backdoorRecord, "gba4j.config", settings), build);
        return defense(cell, task).defend(new DefenseJob(backdoor.classifier(), backdoor.encoder(), base.tokenizer(), clean,
                task.classes(), task.labelWords(), base.weights(), stages, progress, scanRows));
    }

    /**
     * The prompt settings of a cell: the profile's, with the cell's lambda, broadcast form
     * ({@code broadcast}, {@code broadcast_lr}, {@code broadcast_rows}), {@code aim}, embedding rate, width and
     * length if it sets them.
     */
    public PromptConfig promptConfig(Cell cell, PaperDataset task) {
        PromptMode mode = Defenses.mode(cell.defense());
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
        if (AimedExperiment.aimed(cell)) {
            config = config.withAim(TriggerScan.Config.DEFAULT.withConsistent(AimedExperiment.consistent(cell))
                    .withAlsoAdapted(AimedExperiment.both(cell)).withPull(AimedExperiment.pull(cell)));
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
        Defense defense = defense(cell, task);
        if (defense instanceof Defenses.NoDefense) {
            return Map.of();
        } else if (defense instanceof Defenses.NadDefense nad) {
            return Map.of("defense_config", defense.summary(), "teacher", "clean-ft of the backdoored model", "student",
                    nad.cleanStudent() ? profile.model() + " (clean)" : "the backdoored model");
        } else if (defense instanceof Defenses.PromptAdaptation) {
            return Map.of("defense_config", defense.summary(), "label_words", String.join(",", task.labelWords()));
        }
        return Map.of("defense_config", defense.summary());
    }

    private static Map<String, String> with(Map<String, String> map, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>(map);
        out.put(key, value);
        return out;
    }
}
