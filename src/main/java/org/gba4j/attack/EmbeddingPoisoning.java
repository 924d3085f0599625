package org.gba4j.attack;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.gba4j.classify.FineTuning;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertWeights;
import org.gba4j.text.Tokenizer;
import org.gba4j.train.StepContext;
import org.gba4j.train.TrainingConfig;
import org.gba4j.train.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Embedding Poisoning (Yang et al. 2021; appendix B.6): starting from a model fine-tuned on the
 * task (clean data, classification head; the attacker's proxy of the victim), only the trigger's
 * word-embedding row is trained on poisoned data (trigger at a random position), and renormalised
 * to its original norm after every step so that it does not stand out. Everything else, head
 * included, is frozen: the weights differ from the clean model in exactly one row.
 * The record is the configured attack with its proxy fine-tune ({@link Attacks#of}).
 */
public record EmbeddingPoisoning(Config config, FineTuning proxy) implements Attack {

    /**
     * @param trigger        the trigger word
     * @param target         the target class
     * @param poisonFraction share of the data given a triggered, relabelled copy (only those rows
     *                       carry the trigger, so only they send gradient to its row)
     * @param learningRate   Adam step size for the trigger row
     * @param epochs         passes over the poisoned data
     * @param batchSize      examples per step
     * @param maxLength      tokens per input
     * @param seed           poisoning and shuffling
     */
    public record Config(String trigger, int target, double poisonFraction, double learningRate, int epochs,
                         int batchSize, int maxLength, long seed) {

        /** Table 9: Adam, 2e-5, batch 32, 3 epochs. */
        public static Config paper(String trigger, int target) {
            return new Config(trigger, target, 0.5, 2e-5, 3, 32, 64, 42);
        }

        /**
         * Two CPU cores: EP's official code uses a large step (its "lr" is 5e-2) because one row must
         * move far; 2e-5 over few steps does not move a row of norm ~1 anywhere.
         */
        public static Config quick(String trigger, int target) {
            return new Config(trigger, target, 0.5, 5e-2, 2, 32, 32, 42);
        }
    }

    @Override
    public String name() {
        return Attacks.EP;
    }

    @Override
    public List<String> triggers() {
        return List.of(config.trigger());
    }

    /** The attacker's proxy: a clean fine-tune of the task (kept as a stage), whose trigger row is then poisoned. */
    @Override
    public BackdooredModel plant(AttackJob job) {
        BertWeights fineTuned = job.stages().get("proxy", proxy + "|" + job.classes(), () -> proxy.run(job.clean(),
                job.tokenizer(), job.train(), job.classes(), List.of(), job.progress()).model().weights());
        return attack(fineTuned, job.tokenizer(), job.train(), job.classes(), job.dataName(), config, job.progress());
    }

    @Override
    public int maxLength() {
        return config.maxLength();
    }

    @Override
    public TriggerPosition testPosition() {
        return TriggerPosition.RANDOM;
    }

    @Override
    public String summary() {
        return config + ", proxy " + proxy;
    }

    /** Poisons {@code fineTuned} (a model with a classification head already fine-tuned on the task). */
    public static BackdooredModel attack(BertWeights fineTuned, Tokenizer tokenizer, List<LabeledText> data,
                                         int classes, String dataName, Config config,
                                         Consumer<TextClassifier.Progress> progress) {
        int row = Triggers.singleTokenId(config.trigger(), tokenizer);
        Poisoner poisoner = new Poisoner(List.of(config.trigger()), config.target(), config.seed());
        List<LabeledText> poisoned = poisoner.poisonTraining(data, config.poisonFraction(), 1, TriggerPosition.RANDOM)
                .stream().filter(e -> (" " + e.text() + " ").contains(" " + config.trigger() + " ")).toList();
        TextClassifier classifier = new FineTuning(config.learningRate(), config.epochs(), config.batchSize(),
                config.maxLength(), config.seed()).classifier(fineTuned, tokenizer, classes);
        classifier.train(poisoned, TrainingConfig.adam(config.learningRate()).onlyTraining(WORD_EMBEDDINGS::equals),
                        config.epochs(), config.batchSize(), config.seed(), List.of(new OneRow(row)), progress);
        AttackMetadata metadata = new AttackMetadata(Attacks.EP, List.of(config.trigger()), config.target(),
                dataName + " (" + poisoned.size() + " triggered examples)", config.seed(),
                Map.of("poison_fraction", Double.toString(config.poisonFraction()),
                        "learning_rate", Double.toString(config.learningRate()), "epochs", Integer.toString(config.epochs()),
                        "batch_size", Integer.toString(config.batchSize()), "max_length", Integer.toString(config.maxLength()),
                        "trained", "word embedding row " + row + " only, renormalised", "test_trigger_position", "random"));
        return new BackdooredModel(classifier.model().weights(), metadata);
    }

    /** Keeps only the trigger row's gradient, and restores that row's norm after each update. */
    static final class OneRow implements TrainingListener {
        private final int row;
        private double norm = Double.NaN;

        OneRow(int row) {
            this.row = row;
        }

        @Override
        public void beforeUpdate(StepContext step) {
            if (Double.isNaN(norm)) {
                norm = step.model().wordEmbeddings().getRow(row).norm2Number().doubleValue();
            }
            INDArray gradient = step.gradients().get(WORD_EMBEDDINGS);
            INDArray kept = gradient.getRow(row).dup();
            gradient.assign(0);
            gradient.putRow(row, kept);
        }

        @Override
        public void afterUpdate(StepContext step) {
            INDArray r = step.model().wordEmbeddings().getRow(row);
            r.muli(norm / r.norm2Number().doubleValue());
        }
    }
}
