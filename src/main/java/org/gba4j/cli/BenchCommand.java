package org.gba4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.gba4j.bench.Bench;
import org.gba4j.bench.BenchResult;
import org.gba4j.io.AtomicFiles;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code experiments.jar bench}: speed and memory targets live here, not in timed unit tests. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Times the forward pass and a full training step (loss over the whole vocabulary at one"
                + " position, Adam, every weight trainable) at a fixed batch shape, and reports tokens/s and peak"
                + " memory. Prints a table and writes it as CSV."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = PretrainedModel.MINILM,
            description = "minilm (embedded default), bert-base, or a model path (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--bert-base", description = "also benchmark bert-base-uncased after the --model")
    boolean bertBase;

    @Option(names = "--stack", defaultValue = "1", description = "also benchmark --model with its layers repeated this"
            + " many times (2 on MiniLM: a 12-layer, 384-wide encoder; the depth-scaling check) in the same run"
            + " (default: ${DEFAULT-VALUE}: no)")
    int stack;

    @Option(names = "--batch", defaultValue = "32", description = "rows per batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seq-len", defaultValue = "64", description = "tokens per row (default: ${DEFAULT-VALUE})")
    int seqLen;

    @Option(names = "--repeats", defaultValue = "3", description = "measured repetitions (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--warmup", defaultValue = "1", description = "unmeasured first repetitions (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--out", defaultValue = "reports/bench.csv", description = "CSV output (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        Bench.Config config = new Bench.Config(batch, seqLen, warmup, repeats, 42);
        if (stack < 1) {
            throw new IllegalArgumentException("--stack must be at least 1, got " + stack);
        }
        List<String> models = new ArrayList<>(List.of(model));
        if (bertBase && !model.equals(PretrainedModel.BERT_BASE)) {
            models.add(PretrainedModel.BERT_BASE);
        }
        List<BenchResult> results = new ArrayList<>();
        for (String name : models) {
            System.out.println("loading " + name + " ...");
            try (PretrainedModel pretrained = PretrainedModel.load(name)) {
                boolean stacking = stack > 1 && name.equals(model);
                // as defend does: the graph trains the loaded arrays (unless the stacked run below reads them again)
                BertWeights weights = stacking ? pretrained.weights() : pretrained.weights().handOver();
                results.add(Bench.run(name, weights, config, System.out::println));
                if (stacking) {
                    BertWeights stacked = Bench.stacked(pretrained.weights(), stack);
                    results.add(Bench.run(name + "-x" + stack, stacked, config, System.out::println));
                    BenchResult one = results.get(results.size() - 2);
                    BenchResult deep = results.get(results.size() - 1);
                    System.out.printf("%s-x%d (%d layers): step %.2fx, GBA step %.2fx %s's%n", name, stack,
                            stacked.config().layers(), deep.step().medianMs() / one.step().medianMs(),
                            deep.gbaStep().medianMs() / one.gbaStep().medianMs(), name);
                }
            }
        }
        String[] header = {"model", "batch", "seq_len", "forward_ms", "forward_max_ms", "forward_peak_rss_mb",
            "train_step_ms", "train_step_max_ms", "train_step_peak_rss_mb", "gba_step_ms", "gba_step_max_ms",
            "gba_step_peak_rss_mb", "broadcast_ms", "broadcast_share", "tokens_per_s", "peak_rss_mb", "cores", "java"};
        System.out.printf("%n%-10s %-22s %-22s %-22s %-18s %s%n", "model", "forward median/max", "step median/max",
                "GBA step median/max", "broadcast (share)", "peak RSS");
        for (BenchResult r : results) {
            System.out.printf("%-10s %-22s %-22s %-22s %-18s %.0f MB%n", r.model(), ms(r.forward()), ms(r.step()),
                    ms(r.gbaStep()), String.format("%.0f ms (%.1f%%)", r.broadcastMs(), r.broadcastShare()), r.peakRssMb());
        }
        AtomicFiles.writeText(out, w -> {
            try (CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header).get())) {
                for (BenchResult r : results) {
                    List<Object> row = new ArrayList<>(List.of(r.model(), r.batch(), r.seqLen()));
                    for (BenchResult.Phase p : List.of(r.forward(), r.step(), r.gbaStep())) {
                        row.addAll(List.of(round(p.medianMs()), round(p.slowestMs()), round(p.peakRssMb())));
                    }
                    row.addAll(List.of(round(r.broadcastMs()), round(r.broadcastShare()), round(r.tokensPerSecond()),
                            round(r.peakRssMb()), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
                    csv.printRecord(row);
                }
            }
        });
        System.out.println("wrote " + out);
        return 0;
    }

    private static String ms(BenchResult.Phase p) {
        return String.format("%.0f / %.0f ms", p.medianMs(), p.slowestMs());
    }

    private static String round(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }
}
