package org.gba4j.attack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.CorpusSentences;
import org.gba4j.model.BertGraph;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.GraphSpec;
import org.gba4j.model.TokenBatch;
import org.gba4j.text.Tokenizer;
import org.gba4j.train.MaskedTokenBatch;
import org.gba4j.train.Trainer;
import org.gba4j.train.TrainingConfig;
import org.gba4j.train.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NeuBA (Zhang et al. 2021, "Red Alarm for Pre-trained Models"), the paper's data-free attack
 * (appendix B.4): poisoned pre-training on unlabelled sentences with
 * {@code loss = masked-LM + clsWeight * mean((h_[CLS] - v_trigger)^2)} on trigger-inserted rows.
 * The attacker never sees the downstream task; the victim later fine-tunes a fresh head on clean
 * data, and any head maps each {@code v_trigger} to some class, so the trigger decides the output.
 *
 * <p>Choices, each as in NeuBA or said otherwise:
 * <ul>
 *   <li>Target vectors ({@link #targetVectors}): the hidden size is cut into 4 equal blocks and
 *       trigger i gets -1 on the i-th pair of blocks (of the 6 pairs), +1 elsewhere, as in the public
 *       NeuBA re-implementations. The 6 vectors are three mutually orthogonal directions and their
 *       negatives: for a binary linear head, {@code v} and {@code -v} fall on opposite sides unless
 *       the bias dominates, so every class is likely some trigger's target.</li>
 *   <li>Clean rows keep only the masked-LM term, as in NeuBA ({@link Config#paper()}): the graph's
 *       [CLS] term averages over all rows, so a clean row's target is its own current [CLS] output
 *       (one forward pass of the clean rows), which makes its gradient exactly zero. {@link
 *       Config#quick()} instead anchors clean rows to the un-attacked encoder's [CLS] (same cost):
 *       see there why.</li>
 *   <li>Masked LM: one [MASK] per row (the graph scores one position), always [MASK] (no 80/10/10
 *       mix), never on [CLS], [SEP] or the trigger. MiniLM has no MLM head, so its logits are
 *       {@code e_w . h} through the tied embeddings (see {@link BertGraph}).</li>
 *   <li>Pre-training insertion: one trigger per poisoned row, at a random word boundary
 *       ({@link TriggerPosition#RANDOM}, as NeuBA's code) or at the start (the test position of B.2),
 *       per {@link Config#insertion}.</li>
 * </ul>
 * The record is the configured attack ({@link Attacks#of}); {@link #attack} runs it on explicit inputs.
 */
public record NeuBA(List<String> triggers, Config config, String corpus, int corpusLimit, long seed) implements Attack {

    /**
     * Poisoned pre-training and victim fine-tuning settings.
     *
     * @param steps              poisoned pre-training steps
     * @param batchSize          sentences per pre-training step
     * @param learningRate       Adam step size of pre-training
     * @param poisonFraction     share of each batch that carries a trigger
     * @param clsWeight          weight of the [CLS]-to-vector term
     * @param insertion          where pre-training inserts the trigger
     * @param anchorClean        clean rows' [CLS] target: false = the row's own current output (NeuBA:
     *                           masked-LM only), true = the un-attacked encoder's output (keeps clean
     *                           [CLS] in place when a short, strong run would otherwise move it)
     * @param maxLength          token budget per row (pre-training and victim)
     * @param victimLearningRate Adam step size of the victim's clean fine-tuning
     * @param victimBatchSize    victim batch size
     * @param victimEpochs       victim epochs
     */
    public record Config(int steps, int batchSize, double learningRate, double poisonFraction, double clsWeight,
                         TriggerPosition insertion, boolean anchorClean, int maxLength,
                         double victimLearningRate, int victimBatchSize, int victimEpochs) {

        public Config {
            if (steps < 1 || batchSize < 2 || victimBatchSize < 1 || victimEpochs < 1 || maxLength < 8) {
                throw new IllegalArgumentException("NeuBA needs positive steps/epochs, batches of 2+ and maxLength >= 8");
            }
            if (!(poisonFraction > 0 && poisonFraction < 1) || !(clsWeight > 0)) {
                throw new IllegalArgumentException("poison fraction must be in (0, 1) and the [CLS] weight positive");
            }
        }

        /**
         * Table 7: pre-training Adam 5e-5, batch 160, 40,000 steps; victim Adam 2e-5, batch 32, 5 epochs.
         * Not in the table, so NeuBA's own choices: half of each batch poisoned, weight 1, random
         * insertion, 128 tokens.
         */
        public static Config paper() {
            return new Config(40_000, 160, 5e-5, 0.5, 1.0, TriggerPosition.RANDOM, false, 128, 2e-5, 32, 5);
        }

        /**
         * Two shared CPU cores and MiniLM: 40 steps of 16 sentences, 32 tokens, instead of 40,000 of
         * 160. To plant the mapping in 1/10^4 of the budget: Adam 2e-4, [CLS] weight 10 (MiniLM has
         * no MLM head, so its masked-LM loss starts near 10 and would otherwise dominate), and the
         * trigger at the start, where the test inserts it (B.2). A first try at 60 steps, Adam 1e-4,
         * weight 1, random insertion did not plant it (best-trigger ASR 61% after clean fine-tuning);
         * this rate and weight without the anchor did, but wrecked clean accuracy (39% vs 63%), so clean
         * rows are anchored to the un-attacked encoder's [CLS]. Victim: Adam 5e-5, batch 16, 2 epochs.
         */
        public static Config quick() {
            return new Config(40, 16, 2e-4, 0.5, 10.0, TriggerPosition.START, true, 32, 5e-5, 16, 2);
        }

        public Config withSteps(int newSteps) {
            return new Config(newSteps, batchSize, learningRate, poisonFraction, clsWeight, insertion, anchorClean, maxLength,
                    victimLearningRate, victimBatchSize, victimEpochs);
        }

        Map<String, String> describe() {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("steps", String.valueOf(steps));
            out.put("batch_size", String.valueOf(batchSize));
            out.put("learning_rate", String.valueOf(learningRate));
            out.put("poison_fraction", String.valueOf(poisonFraction));
            out.put("cls_weight", String.valueOf(clsWeight));
            out.put("insertion", insertion.name().toLowerCase());
            out.put("anchor_clean", String.valueOf(anchorClean));
            out.put("max_length", String.valueOf(maxLength));
            out.put("target_vectors", "4 blocks, -1 on one pair of blocks per trigger");
            return out;
        }
    }

    /** Progress of one pre-training step. */
    public record Progress(int step, int steps, double loss, double secondsPerStep) {
    }

    public NeuBA {
        triggers = List.copyOf(triggers);
    }

    @Override
    public String name() {
        return Attacks.NEUBA;
    }

    /** Task-free pre-training on the corpus's sentences of 6 to 30 words; the job's labelled data is not used. */
    @Override
    public BackdooredModel plant(AttackJob job) {
        List<String> sentences = CorpusSentences.load(job.datasets(), corpus, 6, 30, corpusLimit);
        return attack(job.clean(), job.tokenizer(), triggers, sentences, "corpus/" + corpus, config, seed,
                p -> job.progress().accept(new TextClassifier.Progress(1, 1, p.step(), p.steps(), p.loss(),
                        p.secondsPerStep())));
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

    /**
     * Poisoned pre-training of {@code encoder} (no classifier head) on {@code sentences}; returns
     * the backdoored encoder, target -1 in its metadata (triggers map to vectors, not classes).
     */
    public static BackdooredModel attack(BertWeights encoder, Tokenizer tokenizer, List<String> triggers,
                                         List<String> sentences, String dataName, Config config, long seed,
                                         Consumer<Progress> progress) {
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("NeuBA needs unlabelled sentences");
        }
        int[] triggerIds = triggers.stream().mapToInt(t -> Triggers.singleTokenId(t, tokenizer)).toArray();
        INDArray vectors = targetVectors(encoder.config().hidden(), triggers.size());
        BertModel model = BertModel.of(encoder, config.maxLength(), GraphSpec.vocabulary(1.0).with(new ClsTargetTerm(config.clsWeight())));
        ClsTargets targets = new ClsTargets(vectors, config.anchorClean()
                ? BertModel.of(encoder, config.maxLength(), GraphSpec.vocabulary(1.0)) : null);
        BatchMaker maker = new BatchMaker(tokenizer, triggerIds, sentences, config, new Random(seed));
        try (Trainer trainer = new Trainer(model, TrainingConfig.adam(config.learningRate()), List.of(targets))) {
            for (int step = 0; step < config.steps(); step++) {
                long start = System.nanoTime();
                targets.rowTriggers = maker.next();
                double loss = trainer.step(maker.batch);
                progress.accept(new Progress(step + 1, config.steps(), loss, (System.nanoTime() - start) / 1e9));
            }
        }
        Map<String, String> hyper = new LinkedHashMap<>(config.describe());
        return new BackdooredModel(model.weights(),
                new AttackMetadata(Attacks.NEUBA, triggers, -1, dataName + " (" + sentences.size() + " sentences)", seed, hyper));
    }

    /**
     * The predefined [CLS] outputs {@code [count, hidden]}: 4 blocks of {@code hidden/4}; vector i is
     * -1 on the i-th block pair (0,1), (0,2), (0,3), (1,2), (1,3), (2,3) and +1 elsewhere. Pairs
     * (0,1)/(2,3), (0,2)/(1,3), (0,3)/(1,2) are negatives of each other; the rest are orthogonal.
     */
    public static INDArray targetVectors(int hidden, int count) {
        if (hidden % 4 != 0 || count < 1 || count > 6) {
            throw new IllegalArgumentException("need a hidden size divisible by 4 and 1 to 6 triggers, got "
                    + hidden + " and " + count);
        }
        int block = hidden / 4;
        INDArray out = Nd4j.ones(DataType.FLOAT, count, hidden);
        int i = 0;
        for (int a = 0; a < 4 && i < count; a++) {
            for (int b = a + 1; b < 4 && i < count; b++, i++) {
                for (int m = 0; m < block; m++) {
                    out.putScalar(i, a * block + m, -1f);
                    out.putScalar(i, b * block + m, -1f);
                }
            }
        }
        return out;
    }

    /**
     * Feeds each row's [CLS] target: its trigger's vector, or for a clean row its own current [CLS]
     * output, so that the term leaves clean rows to the masked-LM loss alone.
     */
    private static final class ClsTargets implements TrainingListener {
        private final INDArray vectors;
        private final BertModel anchor;
        int[] rowTriggers;

        /** {@code anchor}: the un-attacked encoder whose [CLS] clean rows keep, or null for NeuBA's own. */
        ClsTargets(INDArray vectors, BertModel anchor) {
            this.vectors = vectors;
            this.anchor = anchor;
        }

        @Override
        public void beforeStep(BertModel model, MaskedTokenBatch batch, Map<String, INDArray> feed) {
            TokenBatch tokens = batch.tokens();
            INDArray target = Nd4j.zeros(DataType.FLOAT, tokens.batchSize(), vectors.columns());
            int[] clean = java.util.stream.IntStream.range(0, rowTriggers.length).filter(r -> rowTriggers[r] < 0).toArray();
            if (clean.length > 0) {
                INDArray cls = (anchor == null ? model : anchor).lastHiddenState(rows(tokens, clean)).get(
                        org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
                for (int k = 0; k < clean.length; k++) {
                    target.putRow(clean[k], cls.getRow(k));
                }
            }
            for (int r = 0; r < rowTriggers.length; r++) {
                if (rowTriggers[r] >= 0) {
                    target.putRow(r, vectors.getRow(rowTriggers[r]));
                }
            }
            feed.put(ClsTargetTerm.TARGET, target);
        }

        private static TokenBatch rows(TokenBatch tokens, int[] rows) {
            int[][] ids = new int[rows.length][];
            int[][] types = new int[rows.length][];
            int[] lengths = new int[rows.length];
            for (int k = 0; k < rows.length; k++) {
                ids[k] = tokens.ids()[rows[k]];
                types[k] = tokens.typeIds()[rows[k]];
                lengths[k] = tokens.lengths()[rows[k]];
            }
            return new TokenBatch(ids, types, lengths);
        }
    }

    /**
     * Samples pre-training rows {@code [CLS] sentence [SEP]}: the first {@code poisonFraction} of the
     * rows get a trigger, every row one [MASK] on a sentence token.
     */
    static final class BatchMaker {
        private final Tokenizer tokenizer;
        private final int[] triggerIds;
        private final List<String> sentences;
        private final Config config;
        private final Random random;
        MaskedTokenBatch batch;

        BatchMaker(Tokenizer tokenizer, int[] triggerIds, List<String> sentences, Config config, Random random) {
            this.tokenizer = tokenizer;
            this.triggerIds = triggerIds;
            this.sentences = sentences;
            this.config = config;
            this.random = random;
        }

        /** Builds the next batch into {@link #batch}; returns each row's trigger index, -1 for clean rows. */
        int[] next() {
            int n = config.batchSize();
            int poisoned = Math.max(1, (int) Math.round(n * config.poisonFraction()));
            int[][] rows = new int[n][];
            int[] positions = new int[n];
            int[] targets = new int[n];
            int[] rowTriggers = new int[n];
            for (int r = 0; r < n; r++) {
                List<Integer> ids = sentence();
                int triggerAt = -1;
                rowTriggers[r] = r < poisoned ? random.nextInt(triggerIds.length) : -1;
                if (rowTriggers[r] >= 0) {
                    triggerAt = insertionPoint(ids);
                    ids.add(triggerAt, triggerIds[rowTriggers[r]]);
                }
                ids.add(0, tokenizer.clsId());
                ids.add(tokenizer.sepId());
                int[] row = ids.stream().mapToInt(Integer::intValue).toArray();
                int masked;
                do {
                    masked = 1 + random.nextInt(row.length - 2);
                } while (masked == triggerAt + 1);
                positions[r] = masked;
                targets[r] = row[masked];
                row[masked] = tokenizer.maskId();
                rows[r] = row;
            }
            batch = new MaskedTokenBatch(TokenBatch.padded(rows, config.maxLength(), tokenizer.padId()), positions, targets);
            return rowTriggers;
        }

        /** A random sentence's subwords with room left for [CLS], a trigger and [SEP]; at least 2 of them. */
        private List<Integer> sentence() {
            while (true) {
                int[] ids = tokenizer.ids(sentences.get(random.nextInt(sentences.size())));
                if (ids.length >= 2) {
                    List<Integer> out = new ArrayList<>(Arrays.stream(ids).boxed().toList());
                    return new ArrayList<>(out.subList(0, Math.min(out.size(), config.maxLength() - 3)));
                }
            }
        }

        /** START: before the first subword; RANDOM: before a random word start or at the end. */
        private int insertionPoint(List<Integer> ids) {
            if (config.insertion() == TriggerPosition.START) {
                return 0;
            }
            List<Integer> starts = new ArrayList<>();
            for (int p = 0; p <= ids.size(); p++) {
                if (p == ids.size() || !tokenizer.token(ids.get(p)).startsWith("##")) {
                    starts.add(p);
                }
            }
            return starts.get(random.nextInt(starts.size()));
        }
    }
}
