package org.gba4j.experiment;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.gba4j.attack.Attacks;
import org.gba4j.classify.TextClassifier;
import org.gba4j.config.ConfigPairs;
import org.gba4j.data.LabeledText;
import org.gba4j.defense.Defenses;
import org.gba4j.eval.BackdoorEvaluation;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.ClassifierHead;
import org.gba4j.model.WeightNames;
import org.gba4j.prompt.LabelWords;
import org.gba4j.prompt.PromptClassifier;
import org.gba4j.prompt.PromptMode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Computes one cell, the data flowing one way: task data -> backdoor (attack stage) -> defense ->
 * optional further adaptation (Table 4) -> evaluation. Consecutive floor cells that adapt the same model
 * alike share one defense ({@link SharedFloorDefense}). Metrics: the task's ({@link Scoring}), and
 * the Figure 3 distance, the RMSE between each trigger's
 * embedding and each label word's, averaged, before and after the defense.
 */
public final class CellRunner {
    private final PretrainedModel base;
    private final Profile profile;
    private final long seed;
    private final GridData data;
    private final Backdoors backdoors;
    private final DefenseStage defenses;
    private final SharedFloorDefense sharedFloor = new SharedFloorDefense();

    public CellRunner(PretrainedModel base, Profile profile, long seed, GridData data, ModelStore models) {
        this.base = base;
        this.profile = profile;
        this.seed = seed;
        this.data = data;
        this.backdoors = new Backdoors(base, profile, data, models, seed);
        this.defenses = new DefenseStage(base, profile, models, seed);
    }

    public CellResult run(Cell cell, Consumer<TextClassifier.Progress> progress) {
        long start = System.nanoTime();
        PaperDataset task = PaperDataset.of(cell.dataset());
        // before the backdoor: a task without spare dev rows is refused before anything trains
        List<LabeledText> scanRows = AimedExperiment.heldOut(cell) ? data.heldOutScan(task) : List.of();
        Backdoor backdoor = backdoors.get(cell.attack(), cell.trigger(), task, progress);
        boolean promptBased = Defenses.promptBased(cell.defense());
        List<LabeledText> clean = cell.params().containsKey("fraction")
                ? data.trainFraction(task, Double.parseDouble(cell.param("fraction", "1")))
                : CellConfiguration.adaptsOnAttackerRows(cell, profile) ? data.attackTrain(task)
                : promptBased ? data.promptTrain(task) : data.train(task);
        TextClassifier defended;
        if (Attacks.isFloor(cell.attack())) {
            defended = sharedFloor.get(backdoor.classifier(), backdoor.encoder(), String.join("|", task.name(), cell.defense(),
                    cell.params().toString(), Integer.toString(clean.size()), defenses.describe(cell, task).toString()),
                    () -> defenses.apply(cell, task, backdoor, clean, scanRows, progress));
        } else {
            sharedFloor.clear();
            defended = defenses.apply(cell, task, backdoor, clean, scanRows, progress);
        }

        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> config = new LinkedHashMap<>(backdoor.config());
        config.putAll(defenses.describe(cell, task));
        config.put("train_rows", Integer.toString(clean.size()));
        if (defended instanceof PromptClassifier prompt && prompt.config().aim().enabled()) {
            String own = "the adaptation's own (" + clean.size() + ")";
            String held = "held out from the dev split (" + scanRows.size() + ", none scored)";
            config.put("aim_scan_rows", scanRows.isEmpty() ? own : AimedExperiment.both(cell) ? own + " and " + held : held);
            config.put(AimedScanReport.SUSPECTS, AimedScanReport.describe(prompt.suspects()));
        }
        config.put("test_position", backdoor.position().name().toLowerCase());
        config.put("test_triggers_per_text", Integer.toString(backdoor.count()));
        String adaptTo = cell.param("adapt_to", "");
        if (adaptTo.isEmpty()) {
            List<LabeledText> test = data.test(task);
            config.put("test_rows", Integer.toString(test.size()));
            metrics.putAll(Scoring.score(defended, task, test, backdoor, seed));
            metrics.put("rmse_before", triggerToLabelRmse(backdoor.encoder().get(WeightNames.WORD_EMBEDDINGS), backdoor, task,
                    base.tokenizer()));
            metrics.put("rmse_after", triggerToLabelRmse(defended.model().wordEmbeddings(), backdoor, task, base.tokenizer()));
        } else {
            PaperDataset next = PaperDataset.of(adaptTo);
            List<LabeledText> test = data.test(next);
            List<LabeledText> nextTrain = CellConfiguration.furtherAdaptsOnAttackerRows(cell, profile)
                    ? data.attackTrain(next) : data.train(next);
            TextClassifier adapted = adapt(defended, next, nextTrain, progress);
            config.put("further_adaptation", adaptTo + " (" + nextTrain.size() + " rows, " + profile.epochs()
                    + " epochs)");
            config.put("test_rows", Integer.toString(test.size()));
            metrics.put("test_rows", (double) test.size());
            metrics.put("acc", BackdoorEvaluation.accuracy(adapted, test));
        }
        Map<String, String> run = new LinkedHashMap<>();
        run.put("model", profile.model());
        run.put("profile", profile.name());
        run.put("seed", Long.toString(seed));
        Map<String, String> settings = CellConfiguration.of(cell, profile, seed);
        return new CellResult(cell, run, metrics, config, (System.nanoTime() - start) / 1e9, CodeVersion.current(),
                Instant.now().toString(), settings, ConfigPairs.fingerprint(settings));
    }

    /**
     * Table 4: the defended classifier fine-tuned on {@code train} of another task for the profile's epochs: a prompt
     * model keeps adapting as a prompt model (PT+soft, the new task's label words), a head model gets
     * a fresh head for the new classes.
     */
    private TextClassifier adapt(TextClassifier defended, PaperDataset next, List<LabeledText> train,
                                 Consumer<TextClassifier.Progress> progress) {
        if (defended instanceof PromptClassifier) {
            PromptClassifier classifier = new PromptClassifier(defended.model().weights(), base.tokenizer(),
                    LabelWords.of(next.labelWords(), base.tokenizer()), profile.prompt(PromptMode.PT_SOFT, next, seed));
            classifier.train(train, List.of(), progress);
            return classifier;
        }
        return profile.fineTuning(next, seed).run(ClassifierHead.remove(defended.model().weights()), base.tokenizer(),
                train, next.classes(), List.of(), progress);
    }

    /** Figure 3: mean RMSE between each trigger's embedding row and each label word's. */
    static double triggerToLabelRmse(INDArray embeddings, Backdoor backdoor, PaperDataset task,
                                     org.gba4j.text.Tokenizer tokenizer) {
        int[] labels = LabelWords.of(task.labelWords(), tokenizer).ids();
        double sum = 0;
        int pairs = 0;
        for (Backdoor.Probe probe : backdoor.probes()) {
            for (String trigger : probe.triggers()) {
                INDArray row = embeddings.getRow(org.gba4j.attack.Triggers.singleTokenId(trigger, tokenizer));
                for (int label : labels) {
                    INDArray diff = row.sub(embeddings.getRow(label));
                    sum += Math.sqrt(diff.mul(diff).meanNumber().doubleValue());
                    pairs++;
                }
            }
        }
        return sum / pairs;
    }
}
