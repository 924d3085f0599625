package org.gba4j.attack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.gba4j.classify.FineTuning;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertWeights;
import org.gba4j.text.Tokenizer;

/**
 * BadNets (Gu et al. 2017; appendix B.3): full fine-tuning of the encoder and a fresh
 * classification head on the poisoned training set (trigger inserted at the start of half of the
 * examples, relabelled to the target class).
 * The record is the configured attack ({@link Attacks#of}); {@link #attack} runs it on explicit inputs.
 */
public record BadNets(Config config) implements Attack {

    /**
     * @param trigger        the trigger word (a single vocabulary token)
     * @param target         the target class
     * @param poisonFraction share of the training set given a triggered, relabelled copy (B.2: 0.5)
     * @param learningRate   Adam step size
     * @param epochs         passes over the poisoned set
     * @param batchSize      examples per step
     * @param maxLength      tokens per input
     * @param seed           head initialisation, poisoning and shuffling
     */
    public record Config(String trigger, int target, double poisonFraction, double learningRate, int epochs,
                         int batchSize, int maxLength, long seed) {

        /** The fine-tuning run on the poisoned data (or, with the same budget, a clean baseline). */
        public FineTuning fineTuning() {
            return new FineTuning(learningRate, epochs, batchSize, maxLength, seed);
        }

        /** The settings a stored model records; {@code poisoned}: with the poison fraction (a floor's has none). */
        Map<String, String> hyperparameters(boolean poisoned) {
            Map<String, String> out = new LinkedHashMap<>(Map.of("learning_rate", Double.toString(learningRate),
                    "epochs", Integer.toString(epochs), "batch_size", Integer.toString(batchSize),
                    "max_length", Integer.toString(maxLength), "optimizer", "adam", "test_trigger_position", "start"));
            if (poisoned) {
                out.put("poison_fraction", Double.toString(poisonFraction));
            }
            return out;
        }

        /** Table 6: Adam, 5e-5, batch 64, 5 epochs; max length 64 (Table 1). */
        public static Config paper(String trigger, int target) {
            return new Config(trigger, target, 0.5, 5e-5, 5, 64, 64, 42);
        }

        /** Two CPU cores on MiniLM: a larger step to make up for fewer, shorter epochs. */
        public static Config quick(String trigger, int target) {
            return new Config(trigger, target, 0.5, 1e-4, 3, 32, 32, 42);
        }
    }

    @Override
    public String name() {
        return Attacks.BADNETS;
    }

    @Override
    public List<String> triggers() {
        return List.of(config.trigger());
    }

    @Override
    public BackdooredModel plant(AttackJob job) {
        return attack(job.clean(), job.tokenizer(), job.train(), job.classes(), job.dataName(), config, job.progress());
    }

    @Override
    public int maxLength() {
        return config.maxLength();
    }

    @Override
    public TriggerPosition testPosition() {
        return TriggerPosition.START;
    }

    @Override
    public String summary() {
        return config.toString();
    }

    public static BackdooredModel attack(BertWeights clean, Tokenizer tokenizer, List<LabeledText> train, int classes,
                                         String dataName, Config config, Consumer<TextClassifier.Progress> progress) {
        Triggers.singleTokenId(config.trigger(), tokenizer);
        Poisoner poisoner = new Poisoner(List.of(config.trigger()), config.target(), config.seed());
        List<LabeledText> poisoned = poisoner.poisonTraining(train, config.poisonFraction(), 1, TriggerPosition.START);
        TextClassifier classifier = config.fineTuning().run(clean, tokenizer, poisoned, classes, List.of(), progress);
        AttackMetadata metadata = new AttackMetadata(Attacks.BADNETS, List.of(config.trigger()), config.target(),
                dataName + " (" + train.size() + " examples, " + poisoned.size() + " after poisoning)", config.seed(),
                config.hyperparameters(true));
        return new BackdooredModel(classifier.model().weights(), metadata);
    }

}
