package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.gba4j.attack.BadNets;
import org.gba4j.attack.EmbeddingPoisoning;
import org.gba4j.attack.NeuBA;
import org.gba4j.attack.NeuBAEvaluation;
import org.gba4j.attack.Poisoner;
import org.gba4j.attack.Ripple;
import org.gba4j.attack.TriggerPosition;
import org.gba4j.attack.Triggers;
import org.gba4j.classify.FineTuning;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.CorpusSentences;
import org.gba4j.data.LabeledText;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertWeights;

/**
 * The attack stage of a grid: one backdoored model per (attack, task), built on first use and
 * kept in the {@link ModelStore}; NeuBA's task-free pre-training once per model. Triggers: the
 * cell's single word for BadNets and Embedding Poisoning, Table 5's whole list for RIPPLe and
 * NeuBA (which plant several).
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
    public Backdoor get(String attack, String trigger, PaperDataset task, Consumer<TextClassifier.Progress> progress) {
        List<LabeledText> train = data.train(task);
        String key = attack + "-" + trigger + "-" + task.name();
        String dataName = task.name() + "/train[sample " + train.size() + ", seed " + seed + "]";
        switch (attack) {
            case "badnets" -> {
                BadNets.Config config = profile.badNets(trigger, task, seed);
                BertWeights weights = models.get(key, describe(config.toString()), () -> BadNets.attack(base.weights(),
                        base.tokenizer(), train, task.classes(), dataName, config, progress).weights());
                return new Backdoor(weights, weights, List.of(new Backdoor.Probe(List.of(trigger), task.target())),
                        TriggerPosition.START, 1, hyper(config.toString()));
            }
            case "ep" -> {
                EmbeddingPoisoning.Config config = profile.embeddingPoisoning(trigger, task, seed);
                BadNets.Config proxy = profile.badNets(trigger, task, seed);
                String settings = config + ", proxy " + proxy.fineTuning();
                BertWeights weights = models.get(key, describe(settings), () -> {
                    BertWeights fineTuned = proxy.fineTuning().run(base.weights(), base.tokenizer(), train, task.classes(),
                            List.of(), progress).model().weights();
                    return EmbeddingPoisoning.attack(fineTuned, base.tokenizer(), train, task.classes(), dataName, config,
                            progress).weights();
                });
                return new Backdoor(weights, weights, List.of(new Backdoor.Probe(List.of(trigger), task.target())),
                        TriggerPosition.RANDOM, 1, hyper(settings));
            }
            case "ripple" -> {
                List<String> triggers = triggers(trigger);
                Ripple.Config config = profile.ripple(task);
                BertWeights weights = models.get(key, describe(config.toString()), () -> Ripple.attack(base.weights(),
                        base.tokenizer(), train, dataName, triggers, task.target(), config, seed, progress).weights());
                int count = Poisoner.rippleTriggerCount(data.test(task));
                return new Backdoor(weights, weights, List.of(new Backdoor.Probe(triggers, task.target())),
                        TriggerPosition.RANDOM, count, hyper(config.toString()));
            }
            case "neuba" -> {
                List<String> triggers = triggers(trigger);
                NeuBA.Config config = profile.neuba();
                BertWeights encoder = models.get("neuba-" + trigger + "-pretrained", describe(config.toString()), () -> {
                    List<String> sentences = CorpusSentences.load(data.datasets().root(), "austen", 6, 30,
                            profile.attackScale() ? Integer.MAX_VALUE : 4000);
                    return NeuBA.attack(base.weights(), base.tokenizer(), triggers, sentences, "corpus/austen", config,
                            seed, p -> progress.accept(new TextClassifier.Progress(1, 1, p.step(), p.steps(), p.loss(),
                                    p.secondsPerStep()))).weights();
                });
                BertWeights victim = models.get(key + "-victim", describe("victim fine-tune of " + config), () ->
                        NeuBAEvaluation.fineTune(encoder, base.tokenizer(), train, task.classes(), config, seed)
                                .model().weights());
                TextClassifier victimClassifier = new FineTuning(1e-5, 1, 32, config.maxLength(), seed)
                        .classifier(victim, base.tokenizer(), task.classes());
                int[] targets = NeuBAEvaluation.targetClasses(victimClassifier, triggers.size());
                List<Backdoor.Probe> probes = new ArrayList<>();
                for (int i = 0; i < triggers.size(); i++) {
                    probes.add(new Backdoor.Probe(List.of(triggers.get(i)), targets[i]));
                }
                return new Backdoor(victim, encoder, probes, TriggerPosition.START, 1, hyper(config.toString()));
            }
            default -> throw new IllegalArgumentException("unknown attack '" + attack + "'; choose badnets, neuba, ripple or ep");
        }
    }

    /** RIPPLe's and NeuBA's trigger list: Table 5's, or the cell's own comma-separated words. */
    static List<String> triggers(String trigger) {
        return TABLE5.equals(trigger) ? Triggers.BERT : List.of(trigger.split(","));
    }

    private Map<String, String> describe(String config) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("gba4j.profile", profile.name());
        out.put("gba4j.seed", Long.toString(seed));
        out.put("gba4j.config", config);
        return out;
    }

    private static Map<String, String> hyper(String config) {
        return Map.of("attack_config", config);
    }
}
