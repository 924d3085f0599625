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
        List<String> models = new ArrayList<>(List.of(model));
        if (bertBase && !model.equals(PretrainedModel.BERT_BASE)) {
            models.add(PretrainedModel.BERT_BASE);
        }
        List<BenchResult> results = new ArrayList<>();
        for (String name : models) {
            System.out.println("loading " + name + " ...");
            try (PretrainedModel pretrained = PretrainedModel.load(name)) {
                results.add(Bench.run(name, pretrained.weights(), config, System.out::println));
            }
        }
        String[] header = {"model", "batch", "seq_len", "forward_ms", "train_step_ms", "gba_step_ms", "broadcast_ms",
                "broadcast_share", "tokens_per_s", "peak_rss_mb", "cores", "java"};
        System.out.printf("%n%-10s %5s %7s %10s %13s %11s %12s %15s %12s %11s%n", (Object[]) java.util.Arrays.copyOf(header, 10));
        for (BenchResult r : results) {
            System.out.printf("%-10s %5d %7d %10.0f %13.0f %11.0f %12.0f %14.1f%% %12.0f %11.0f%n", r.model(), r.batch(),
                    r.seqLen(), r.forwardMs(), r.stepMs(), r.gbaStepMs(), r.broadcastMs(), share(r), r.tokensPerSecond(),
                    r.peakRssMb());
        }
        AtomicFiles.writeText(out, w -> {
            try (CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header).get())) {
                for (BenchResult r : results) {
                    csv.printRecord(r.model(), r.batch(), r.seqLen(), round(r.forwardMs()), round(r.stepMs()),
                            round(r.gbaStepMs()), round(r.broadcastMs()), round(share(r)), round(r.tokensPerSecond()), round(r.peakRssMb()), Runtime.getRuntime().availableProcessors(),
                            System.getProperty("java.version"));
                }
            }
        });
        System.out.println("wrote " + out);
        return 0;
    }

    /** The broadcast's share of a GBA step, in percent. */
    private static double share(BenchResult r) {
        return 100 * r.broadcastMs() / r.gbaStepMs();
    }

    private static String round(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }
}
