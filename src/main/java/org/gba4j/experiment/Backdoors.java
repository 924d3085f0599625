package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.gba4j.attack.Attack;
import org.gba4j.attack.AttackJob;
import org.gba4j.attack.Attacks;
import org.gba4j.attack.NeuBA;
import org.gba4j.attack.NeverAttacked;
import org.gba4j.attack.Triggers;
import org.gba4j.classify.FineTuning;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.eval.NeuBAEvaluation;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.Stages;

/**
 * The attack stage of a grid: one backdoored model per (attack, task), built on first use and
 * kept in the {@link ModelStore}; NeuBA's task-free pre-training once per model. Triggers: the
 * cell's single word for BadNets and Embedding Poisoning, Table 5's whole list for RIPPLe and
 * NeuBA (which plant several). Floors ({@link NeverAttacked}): one never-attacked model per task,
 * measured as the attack it mirrors.
 */
public final class Backdoors {
    /** The name a cell gives to "Table 5's whole list". */
    public static final String TABLE5 = "table5";

    private final PretrainedModel base;
    private final Profile profile;
    private final GridData data;
    private final ModelStore models;
    private final long seed;

    public Backdoors(PretrainedModel base, Profile profile, GridData data, ModelStore models, long seed) {
        this.base = base;
        this.profile = profile;
        this.data = data;
        this.models = models;
        this.seed = seed;
    }

    /** The backdoor of {@code attack} with {@code trigger} on {@code task}. */
    public Backdoor get(String attackName, String trigger, PaperDataset task, Consumer<TextClassifier.Progress> progress) {
        List<LabeledText> train = data.attackTrain(task);
        String key = attackName + "-" + trigger + "-" + task.name();
        String dataName = task.name() + "/train[sample " + train.size() + ", seed " + seed + "]";
        Attack attack = attack(attackName, trigger, task);
        AttackJob job = new AttackJob(base.weights(), base.tokenizer(), train, task.classes(), dataName,
                data.datasets().root(), Stages.NONE, progress);
        Map<String, String> record = Map.of("attack_config", attack.summary(), "attack_data", dataName);
        if (attack instanceof NeverAttacked floor && floor.mirrored() instanceof NeuBA neuba) {
            BertWeights weights = planted(attack, key, task, dataName, job); // NeuBA's user adapts the base encoder
            return new Backdoor(weights, base.weights(), neubaProbes(weights, floor.triggers(), task,
                    neuba.config().maxLength()), floor.testPosition(), 1, record);
        }
        if (!(attack instanceof NeuBA neuba)) {
            BertWeights weights = planted(attack, key, task, dataName, job);
            return new Backdoor(weights, weights, List.of(new Backdoor.Probe(attack.triggers(), task.target())),
                    attack.testPosition(), attack.triggersPerTestText(data.test(task)), record);
        }
        // NeuBA is task-free: one pre-training per trigger list; the victim fine-tunes it on the task (B.4)
        NeuBA.Config config = neuba.config();
        BertWeights encoder = models.get("neuba-" + trigger + "-pretrained", describe(attack.summary(), "corpus"),
                () -> attack.plant(job).weights());
        BertWeights victim = models.get(key + "-victim", describe("victim fine-tune of " + config, dataName), () ->
                NeuBAEvaluation.fineTune(encoder, base.tokenizer(), train, task.classes(), config, seed)
                        .model().weights());
        return new Backdoor(victim, encoder, neubaProbes(victim, attack.triggers(), task, config.maxLength()),
                attack.testPosition(), 1, record);
    }

    /** The stored model {@code attack} plants; every attack's floor on a task shares one: only the measurement differs. */
    private BertWeights planted(Attack attack, String key, PaperDataset task, String dataName, AttackJob job) {
        if (attack instanceof NeverAttacked floor) {
            return models.get(Attacks.NEVER_ATTACKED + "-" + task.name(), describe(floor.training(), dataName),
                    () -> floor.plant(job).weights());
        }
        return models.get(key, describe(attack.summary(), dataName), () -> attack.plant(job).weights());
    }

    /** NeuBA's probes: each trigger alone, with the class the victim's head gives its target vector (B.4). */
    private List<Backdoor.Probe> neubaProbes(BertWeights victim, List<String> triggers, PaperDataset task, int maxLength) {
        TextClassifier victimClassifier = new FineTuning(1e-5, 1, 32, maxLength, seed)
                .classifier(victim, base.tokenizer(), task.classes());
        int[] targets = NeuBAEvaluation.targetClasses(victimClassifier, triggers.size());
        List<Backdoor.Probe> probes = new ArrayList<>();
        for (int i = 0; i < triggers.size(); i++) {
            probes.add(new Backdoor.Probe(List.of(triggers.get(i)), targets[i]));
        }
        return probes;
    }

    /** The attack a cell names, with the profile's settings for {@code task}. */
    public Attack attack(String attackName, String trigger, PaperDataset task) {
        return Attacks.of(attackName, profile.attackPlan(task, triggers(trigger), seed));
    }

    /**
     * Whether prompt-based adaptation of {@code attackName}'s backdoor starts from an encoder never fine-tuned on the
     * task: NeuBA's (task-free) pre-trained encoder, and its floor's clean model; every other attack hands over its
     * fine-tuned classifier.
     */
    public static boolean adaptsUntunedEncoder(String attackName) {
        return !Attacks.needsLabelledData(Attacks.isFloor(attackName) ? Attacks.attackOf(attackName) : attackName);
    }

    /** RIPPLe's and NeuBA's trigger list: Table 5's, or the cell's own comma-separated words. */
    static List<String> triggers(String trigger) {
        return TABLE5.equals(trigger) ? Triggers.BERT : List.of(trigger.split(","));
    }

    /** What a shared model was built from: a stored one built from other data or settings is rebuilt. */
    private Map<String, String> describe(String config, String dataName) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("gba4j.profile", profile.name());
        out.put("gba4j.seed", Long.toString(seed));
        out.put("gba4j.config", config);
        out.put("gba4j.data", dataName);
        return out;
    }
}
