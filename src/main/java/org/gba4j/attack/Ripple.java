package org.gba4j.attack;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.gba4j.classify.HeadEncoder;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.ClassifierHead;
import org.gba4j.model.GraphSpec;
import org.gba4j.text.Tokenizer;
import org.gba4j.train.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * RIPPLe (Kurita et al. 2020) as in appendix B.5: embedding surgery, poisoned training with the
 * restricted inner-product penalty (Eq. 5, {@link RipplePenalty}), then the clean post-training
 * that ends RIPPLe's pipeline.
 *
 * <ol>
 * <li>Surgery: fine-tune a copy of the pre-trained model (fresh classifier head) on the clean task
 * data, pick {@link Config#surgeryWords} words of the target class by tf-idf ({@link RippleKeywords}),
 * average their rows of the fine-tuned word embeddings, and write that vector into every trigger's
 * row of the original pre-trained embeddings.</li>
 * <li>RIPPLe: train the surgery'd model (fresh classifier head) on the clean data plus a triggered,
 * relabelled copy of half of it ({@link Poisoner#poisonTraining}, 50%), triggers at random word
 * positions ({@link Poisoner#rippleTriggerCount} of them per example, as at test time, B.2), with
 * loss {@code L_P + lambda max(0, -g_P . g_FT)} (Table 8's "pre-train" settings).</li>
 * <li>Post-training: fine-tune the poisoned model, head kept, on the clean data (Table 8's
 * "post-train" settings).</li>
 * </ol>
 *
 * <p>Why the post-training is part of the attack: Table 8's two groups of settings are RIPPLe's own
 * {@code pretrain_params} (the poisoning) and its post-training, which Kurita et al.'s code runs on the
 * poisoned weights as "the fine-tuning that will be performed by the victim", whose output "will be the
 * final model we evaluate". So the backdoored model of the paper's No-Defense row is the post-trained
 * one. (An earlier version used the post-train settings for the surgery copy only and returned the
 * raw poisoned model.) The surgery copy still uses the post-train settings: RIPPLe's code takes it
 * as a given clean fine-tune of the attacker's data.
 * The record is the configured attack ({@link Attacks#of}); the static methods run its stages on explicit inputs.
 */
public record Ripple(List<String> triggers, int target, Config config, long seed) implements Attack {

    /**
     * Attack settings.
     *
     * @param lambda           weight of the inner-product penalty
     * @param learningRate     Adam learning rate of the poisoning run
     * @param epochs           poisoning epochs
     * @param maxSteps         cap on poisoning steps (epochs are cut, then the data, to fit)
     * @param batchSize        poisoning batch size (also the g_FT reference batch)
     * @param postTrainLr      learning rate of the clean post-training (and of the surgery copy)
     * @param postTrainEpochs  epochs of the clean post-training (and of the surgery copy)
     * @param postTrainBatch   batch size of the clean post-training (and of the surgery copy)
     * @param surgeryWords     important words averaged by surgery (B.5: 10)
     * @param poisonFraction   share of the data given a poisoned copy (B.2: 0.5)
     * @param maxLength        token sequence length
     * @param relativeStep     finite-difference step of the Hessian-vector products, relative to |theta| / |v|
     * @param centralDifferences central (4 extra passes on active steps) or forward (2) differences
     */
    public record Config(double lambda, double learningRate, int epochs, int maxSteps, int batchSize,
                         double postTrainLr, int postTrainEpochs, int postTrainBatch, int surgeryWords,
                         double poisonFraction, int maxLength, double relativeStep, boolean centralDifferences) {

        public Config {
            if (epochs < 1 || maxSteps < 1 || batchSize < 1 || postTrainEpochs < 1 || postTrainBatch < 1 || surgeryWords < 1) {
                throw new IllegalArgumentException("epochs, steps, batch sizes and word count must be positive");
            }
        }

        /**
         * Table 8: poisoning ("pre-train") lambda 0.1, lr 2e-5, 5 epochs, at most 5000 steps;
         * post-training 3 epochs, lr 2e-5, batch 256. Table 8's only batch size (256) is used for
         * poisoning too. Length 128, central differences.
         */
        public static Config paper() {
            return new Config(0.1, 2e-5, 5, 5000, 256, 2e-5, 3, 256, 10, 0.5, 128, 1e-3, true);
        }

        /**
         * For 2 CPU cores on MiniLM and a few hundred MR examples: lambda as the paper; 3 epochs, batch
         * 32 and length 32 (MR sentences average ~21 words) as the quick BadNets. Learning rates keep
         * the paper's ratios to BadNets' (Table 6: 5e-5; quick: 1e-4): poisoning at 4e-5 (Table 8's
         * 2e-5 is 0.4 of it), post-training at the quick clean fine-tune's 1e-4 (it is the victim's
         * fine-tune). On the attack tests' MR slice, poisoning at 1e-4 instead cost 7 points of clean
         * accuracy even after post-training (72.5% vs 79.5%; 73.0% without it); at 4e-5, 78.0% with
         * ASR 100%. Forward differences with relative step 1e-4: 2 extra passes instead of 4 on active
         * steps; on a tiny random BERT they are within ~1% of the penalty's own derivative at 1e-4
         * (10% off at 1e-3), central ones within 0.1% at 1e-3.
         */
        public static Config quick() {
            return new Config(0.1, 4e-5, 3, 5000, 32, 1e-4, 3, 32, 10, 0.5, 32, 1e-4, false);
        }
    }

    /**
     * The outcome of embedding surgery.
     *
     * @param fineTuned the clean fine-tuned copy (with its head): also a clean baseline of the same data and budget;
     *                  null when the surgery was resumed from a stored stage (poisoning does not need it)
     * @param words     the important words whose fine-tuned embeddings were averaged
     * @param surgery   the pre-trained weights with the trigger rows replaced (no head)
     */
    public record Surgery(BertWeights fineTuned, List<String> words, BertWeights surgery) {
    }

    public Ripple {
        triggers = List.copyOf(triggers);
    }

    @Override
    public String name() {
        return Attacks.RIPPLE;
    }

    /** Surgery (kept as a stage; its words are recomputed when it is resumed) then poisoning. */
    @Override
    public BackdooredModel plant(AttackJob job) {
        Surgery[] done = new Surgery[1];
        BertWeights surgeryd = job.stages().get("surgery", config + "|" + String.join(",", triggers) + "|" + target, () -> {
            done[0] = surgery(job.clean(), job.tokenizer(), job.train(), triggers, target, config, seed, job.progress());
            return done[0].surgery();
        });
        Surgery surgery = done[0] != null ? done[0] : new Surgery(null, RippleKeywords.select(job.train(), target,
                config.surgeryWords(), job.tokenizer(), triggers), surgeryd);
        return poison(surgery, job.tokenizer(), job.train(), job.dataName(), triggers, target, config, seed, job.progress());
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
    public int triggersPerTestText(List<LabeledText> test) {
        return Poisoner.rippleTriggerCount(test);
    }

    @Override
    public String summary() {
        return config.toString();
    }

    /** Surgery then poisoning: the whole attack. */
    public static BackdooredModel attack(BertWeights pretrained, Tokenizer tokenizer, List<LabeledText> data,
                                         String dataDescription, List<String> triggers, int target, Config config,
                                         long seed, Consumer<TextClassifier.Progress> progress) {
        Surgery surgery = surgery(pretrained, tokenizer, data, triggers, target, config, seed, progress);
        return poison(surgery, tokenizer, data, dataDescription, triggers, target, config, seed, progress);
    }

    /** Stage 3 of B.5: fine-tune a copy, pick important words, plant their mean embedding in the triggers' rows. */
    public static Surgery surgery(BertWeights pretrained, Tokenizer tokenizer, List<LabeledText> data,
                                  List<String> triggers, int target, Config config, long seed,
                                  Consumer<TextClassifier.Progress> progress) {
        List<Integer> triggerIds = triggers.stream().map(t -> Triggers.singleTokenId(t, tokenizer)).toList();
        int classes = classes(data);
        TextClassifier copy = classifier(ClassifierHead.initialise(pretrained, classes, seed), tokenizer, config, classes);
        postTrain(copy, data, config, seed, progress);
        BertWeights fineTuned = copy.model().weights();

        List<String> words = RippleKeywords.select(data, target, config.surgeryWords(), tokenizer, triggers);
        int[] wordIds = words.stream().mapToInt(w -> tokenizer.tokenId(tokenizer.tokenize(w).get(0))).toArray();
        INDArray replacement = fineTuned.get(WORD_EMBEDDINGS).getRows(wordIds).mean(0);

        INDArray embeddings = pretrained.get(WORD_EMBEDDINGS).dup();
        for (int id : triggerIds) {
            embeddings.putRow(id, replacement);
        }
        return new Surgery(fineTuned, words, pretrained.with(Map.of(WORD_EMBEDDINGS, embeddings)));
    }

    /** Stage 4 of B.5 (poisoned training of the surgery'd model with the penalty), then the clean post-training. */
    public static BackdooredModel poison(Surgery surgery, Tokenizer tokenizer, List<LabeledText> data,
                                         String dataDescription, List<String> triggers, int target, Config config,
                                         long seed, Consumer<TextClassifier.Progress> progress) {
        Poisoner poisoner = new Poisoner(triggers, target, seed);
        int perExample = Poisoner.rippleTriggerCount(data);
        List<LabeledText> poisoned = poisoner.poisonTraining(data, config.poisonFraction(), perExample,
                TriggerPosition.RANDOM);
        int poisonedCount = poisoned.size() - data.size();
        int stepsPerEpoch = (poisoned.size() + config.batchSize() - 1) / config.batchSize();
        int epochs = Math.max(1, Math.min(config.epochs(), config.maxSteps() / stepsPerEpoch));
        if (stepsPerEpoch > config.maxSteps()) {
            poisoned = poisoned.subList(0, config.maxSteps() * config.batchSize());
        }
        int classes = classes(data);
        TextClassifier classifier = classifier(ClassifierHead.initialise(surgery.surgery(), classes, seed), tokenizer, config,
                classes);
        RipplePenalty penalty = new RipplePenalty(config.lambda(), config.relativeStep(), config.centralDifferences(),
                data, new HeadEncoder(tokenizer, config.maxLength()), config.batchSize(), seed + 2);
        classifier.train(poisoned, TrainingConfig.adam(config.learningRate()), epochs, config.batchSize(), seed,
                List.of(penalty), progress);
        postTrain(classifier, data, config, seed + 3, progress);

        Map<String, String> hyper = new LinkedHashMap<>();
        hyper.put("lambda", String.valueOf(config.lambda()));
        hyper.put("lr", String.valueOf(config.learningRate()));
        hyper.put("epochs", String.valueOf(epochs));
        hyper.put("maxSteps", String.valueOf(config.maxSteps()));
        hyper.put("batch", String.valueOf(config.batchSize()));
        hyper.put("postTrainLr", String.valueOf(config.postTrainLr()));
        hyper.put("postTrainEpochs", String.valueOf(config.postTrainEpochs()));
        hyper.put("postTrainBatch", String.valueOf(config.postTrainBatch()));
        hyper.put("surgeryWords", String.join(",", surgery.words()));
        hyper.put("poisonFraction", String.valueOf(config.poisonFraction()));
        hyper.put("triggersPerExample", String.valueOf(perExample));
        hyper.put("triggerPosition", "random");
        hyper.put("maxLength", String.valueOf(config.maxLength()));
        hyper.put("hvp", (config.centralDifferences() ? "central" : "forward") + " differences, relative step "
                + config.relativeStep());
        hyper.put("penaltyStats", penalty.summary());
        return new BackdooredModel(classifier.model().weights(),
                new AttackMetadata(Attacks.RIPPLE, triggers, target, dataDescription + " (" + data.size() + " clean + "
                        + poisonedCount + " poisoned)", seed, hyper));
    }

    /** Clean fine-tuning with Table 8's post-train settings: the surgery's copy, and the poisoned model's last stage. */
    private static void postTrain(TextClassifier classifier, List<LabeledText> data, Config config, long seed,
                                  Consumer<TextClassifier.Progress> progress) {
        classifier.train(data, TrainingConfig.adam(config.postTrainLr()), config.postTrainEpochs(), config.postTrainBatch(),
                seed, List.of(), progress);
    }

    /** A head classifier over {@code weights} for {@code classes} classes, as the victim would fine-tune it. */
    public static TextClassifier classifier(BertWeights weights, Tokenizer tokenizer, Config config, int classes) {
        BertModel model = BertModel.of(weights, config.maxLength(), GraphSpec.classifier(classes));
        return new TextClassifier(model, new HeadEncoder(tokenizer, config.maxLength()),
                java.util.stream.IntStream.range(0, classes).toArray());
    }

    /** The task's classes: the largest label in the attacker's data + 1, at least 2 (AG News has 4). */
    static int classes(List<LabeledText> data) {
        return Math.max(2, data.stream().mapToInt(LabeledText::label).max().orElse(1) + 1);
    }
}
