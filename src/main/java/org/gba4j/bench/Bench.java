package org.gba4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.TokenBatch;
import org.gba4j.model.WeightNames;
import org.gba4j.prompt.GradientBroadcast;
import org.gba4j.train.MaskedTokenBatch;
import org.gba4j.train.StepContext;
import org.gba4j.train.Trainer;
import org.gba4j.train.TrainingConfig;
import org.gba4j.train.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Speed and memory of the encoder at a fixed batch shape: the forward pass to the vocabulary
 * logits, and a full training step (loss over the whole vocabulary at one position, Adam, every
 * weight trainable), the step the issue compares with PyTorch, with and without the gradient
 * broadcast of GBA, whose own cost is timed apart.
 *
 * <p>Token ids are drawn at random (fixed seed) and every row is full length, so the numbers do not
 * depend on a dataset: the work is the same for any text of that shape.
 */
public final class Bench {

    /** Shape and repetitions. */
    public record Config(int batch, int seqLen, int warmup, int repeats, long seed) {
        public Config {
            if (batch < 1 || seqLen < 2 || warmup < 0 || repeats < 1) {
                throw new IllegalArgumentException("bench needs batch >= 1, seqLen >= 2, warmup >= 0, repeats >= 1");
            }
        }
    }

    private Bench() {
    }

    public static BenchResult run(String name, BertWeights weights, Config config, Consumer<String> progress) {
        BertModel model = BertModel.of(weights, config.seqLen());
        MaskedTokenBatch batch = randomBatch(weights.config().vocabSize(), config);
        List<Double> forward = new ArrayList<>();
        for (int i = 0; i < config.warmup() + config.repeats(); i++) {
            long start = System.nanoTime();
            model.logits(batch.tokens(), batch.positions()).close();
            if (i >= config.warmup()) {
                forward.add((System.nanoTime() - start) / 1e6);
            }
        }
        BenchResult.Phase forwardPhase = phase(forward);
        progress.accept(String.format("%s forward %d x %d: %.0f ms (median of %d)", name, config.batch(),
                config.seqLen(), forwardPhase.medianMs(), forward.size()));
        BenchResult.Phase step;
        try (Trainer trainer = new Trainer(model, TrainingConfig.adam(1e-5), List.of())) {
            step = phase(timeSteps(name + " step", trainer, batch, config, progress));
        }
        TimedListener broadcast = new TimedListener(new GradientBroadcast(0.5, 0));
        BenchResult.Phase gbaStep;
        // the same graph, a fresh optimiser: a second model would double the memory
        try (Trainer trainer = new Trainer(model, TrainingConfig.adam(1e-5), List.of(broadcast))) {
            gbaStep = phase(timeSteps(name + " GBA step", trainer, batch, config, progress));
        }
        double broadcastMs = median(broadcast.millis.subList(config.warmup(), broadcast.millis.size()));
        return new BenchResult(name, config.batch(), config.seqLen(), forwardPhase, step, gbaStep, broadcastMs,
                config.batch() * config.seqLen() / (step.medianMs() / 1000.0));
    }

    /**
     * {@code weights} with its transformer blocks repeated {@code times} (block i is a copy of block i mod L): MiniLM
     * twice is a 12-layer, 384-wide encoder, twice MiniLM's work per step, for the depth-scaling check of issue 14
     * (a step should cost about twice MiniLM's, not the 13 times an earlier build took).
     */
    public static BertWeights stacked(BertWeights weights, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("--stack must be at least 1, got " + times);
        }
        BertConfig c = weights.config();
        String prefix = "encoder.layer.";
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        weights.tensors().forEach((name, array) -> {
            if (!name.startsWith(prefix)) {
                tensors.put(name, array);
                return;
            }
            String rest = name.substring(prefix.length());
            int layer = Integer.parseInt(rest.substring(0, rest.indexOf('.')));
            for (int copy = 0; copy < times; copy++) {
                tensors.put(WeightNames.layer(copy * c.layers() + layer, rest.substring(rest.indexOf('.') + 1)),
                        copy == 0 ? array : array.dup());
            }
        });
        return new BertWeights(weights.source() + " x" + times, new BertConfig(c.architecture(), c.vocabSize(), c.hidden(),
                c.layers() * times, c.heads(), c.intermediate(), c.maxPositions(), c.typeVocabSize(), c.layerNormEps(),
                c.hasMlmHead(), c.positionOffset()), tensors);
    }

    private static BenchResult.Phase phase(List<Double> millis) {
        return new BenchResult.Phase(median(millis), millis.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                peakRssMb());
    }

    private static List<Double> timeSteps(String label, Trainer trainer, MaskedTokenBatch batch, Config config,
                                          Consumer<String> progress) {
        List<Double> steps = new ArrayList<>();
        for (int i = 0; i < config.warmup() + config.repeats(); i++) {
            long start = System.nanoTime();
            double loss = trainer.step(batch);
            double ms = (System.nanoTime() - start) / 1e6;
            if (i >= config.warmup()) {
                steps.add(ms);
            }
            progress.accept(String.format("%s %d/%d: %.0f ms, loss %.4f%s", label, i + 1,
                    config.warmup() + config.repeats(), ms, loss, i < config.warmup() ? " (warm-up)" : ""));
        }
        return steps;
    }

    /** Times another listener's {@code beforeUpdate}. */
    private static final class TimedListener implements TrainingListener {
        private final TrainingListener inner;
        private final List<Double> millis = new ArrayList<>();

        TimedListener(TrainingListener inner) {
            this.inner = inner;
        }

        @Override
        public void beforeUpdate(StepContext step) {
            long start = System.nanoTime();
            inner.beforeUpdate(step);
            millis.add((System.nanoTime() - start) / 1e6);
        }
    }

    static MaskedTokenBatch randomBatch(int vocabSize, Config config) {
        Random random = new Random(config.seed());
        int[][] ids = new int[config.batch()][config.seqLen()];
        int[] positions = new int[config.batch()];
        int[] targets = new int[config.batch()];
        for (int b = 0; b < config.batch(); b++) {
            for (int t = 0; t < config.seqLen(); t++) {
                ids[b][t] = 1000 + random.nextInt(vocabSize - 1000); // past the special and unused ids
            }
            positions[b] = random.nextInt(config.seqLen());
            targets[b] = 1000 + random.nextInt(vocabSize - 1000);
        }
        int[] lengths = new int[config.batch()];
        Arrays.fill(lengths, config.seqLen());
        return new MaskedTokenBatch(new TokenBatch(ids, new int[config.batch()][config.seqLen()], lengths),
                positions, targets);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Peak resident set size from /proc (VmHWM): counts ND4J's off-heap buffers, which JMX does not. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: fall through
        }
        return Double.NaN;
    }
}
