package org.gba4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gba4j.data.CsvDataset;
import org.gba4j.data.LabeledText;
import org.gba4j.io.ModelFileException;
import org.gba4j.io.PretrainedModel;
import org.gba4j.prompt.DefendedModel;
import org.gba4j.prompt.LabelWords;
import org.gba4j.prompt.PromptClassifier;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code defend}: adapt a downloaded model on the user's clean data with GBA (or PT / PT+soft). */
@Command(name = "defend", mixinStandardHelpOptions = true,
        description = {"Adapts a (possibly backdoored) model on clean labelled data with Gradient Broadcast Adaptation"
                + " and writes the defended classifier (ONNX + tokenizer.json + prompt settings) to --out."})
final class DefendCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "minilm, or an .onnx export with tokenizer.json beside it,"
            + " or a folder with model.onnx + tokenizer.json")
    String model;

    @Option(names = "--train", required = true, description = "clean training data, CSV with a header row")
    Path train;

    @Option(names = "--label-words", required = true, split = ",",
            description = "one single-token word per class, in label order (Table 1: e.g. terrible,good)")
    List<String> labelWords;

    @Option(names = "--text-column", defaultValue = "text", description = "default: ${DEFAULT-VALUE}")
    String textColumn;

    @Option(names = "--second-column", description = "second text of sentence pairs")
    String secondColumn;

    @Option(names = "--label-column", defaultValue = "label", description = "default: ${DEFAULT-VALUE}")
    String labelColumn;

    @Option(names = "--method", defaultValue = "gba", description = "gba, pt-soft or pt (Table 12); default: ${DEFAULT-VALUE}")
    String method;

    @Option(names = "--lambda", defaultValue = "0.5", description = "broadcast weight of Eq. 3; default: ${DEFAULT-VALUE}")
    double lambda;

    @Option(names = "--template-width", defaultValue = "2", description = "soft tokens on each side of [MASK]; default: ${DEFAULT-VALUE}")
    int templateWidth;

    @Option(names = "--temperature", defaultValue = "1", description = "T of Eq. 1; default: ${DEFAULT-VALUE}")
    double temperature;

    @Option(names = "--ratio-cap", defaultValue = "0", description = "clip p(w|x)/p(y|x) in Eq. 4 (0 = off, the paper); default: ${DEFAULT-VALUE}")
    double ratioCap;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd; default: ${DEFAULT-VALUE}")
    String optimizer;

    @Option(names = "--lr", defaultValue = "2e-5", description = "learning rate; default: ${DEFAULT-VALUE}")
    double learningRate;

    @Option(names = "--epochs", defaultValue = "3", description = "default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "default: ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--max-length", defaultValue = "64", description = "tokens per prompt, template included; default: ${DEFAULT-VALUE}")
    int maxLength;

    @Option(names = "--limit", defaultValue = "0", description = "use only the first N training rows (0 = all)")
    int limit;

    @Option(names = "--seed", defaultValue = "42", description = "default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--out", required = true, description = "folder for the defended model (must not exist)")
    Path out;

    @Option(names = "--overwrite", description = "replace --out if it exists")
    boolean overwrite;

    @Override
    public Integer call() {
        if (Files.exists(out) && !overwrite) {
            throw new ModelFileException(out, "already exists", "Choose another --out or pass --overwrite");
        }
        PromptMode mode = switch (method) {
            case "gba" -> PromptMode.GBA;
            case "pt-soft" -> PromptMode.PT_SOFT;
            case "pt" -> PromptMode.PT;
            default -> throw new IllegalArgumentException("--method must be gba, pt-soft or pt, got " + method);
        };
        PromptConfig config = new PromptConfig(mode, mode.usesTemplate() ? templateWidth : 0,
                mode.usesBroadcast() ? lambda : 0, temperature, ratioCap, optimizer, learningRate, epochs, batch, maxLength,
                seed);
        List<LabeledText> data = CsvDataset.read(train, new CsvDataset.Columns(textColumn, secondColumn, labelColumn));
        if (limit > 0 && limit < data.size()) {
            data = data.subList(0, limit);
        }
        try (PretrainedModel pretrained = PretrainedModel.load(model)) {
            if (pretrained.onnxFile() == null) {
                throw new ModelFileException(model, "is not an ONNX export, and defended models are written as ONNX",
                        "Give an ONNX export (e.g. optimum-cli export onnx) with its tokenizer.json");
            }
            LabelWords labels = LabelWords.of(labelWords, pretrained.tokenizer());
            for (LabeledText example : data) {
                if (example.label() >= labels.classes()) {
                    throw new ModelFileException(train, "has label " + example.label() + " but only " + labels.classes()
                            + " label words " + labels.words(), "Give one label word per class");
                }
            }
            PromptClassifier classifier = new PromptClassifier(pretrained.weights(), pretrained.tokenizer(), labels, config);
            long truncated = classifier.encoder().countTruncated(data);
            if (truncated > 0) {
                System.out.printf("note: %d of %d texts are longer than --max-length %d allows and are truncated%n",
                        truncated, data.size(), maxLength);
            }
            System.out.printf("adapting %s with %s on %d examples (%s)%n", model, method, data.size(), config);
            long start = System.nanoTime();
            double loss = classifier.train(data, List.of(), p -> Progress.print(p, start));
            System.out.println();
            DefendedModel.write(pretrained.onnxFile(), pretrained.tokenizerFile(), classifier.model().weights(), classifier,
                    config, Map.of("gba4j.method", method, "gba4j.source", pretrained.name(), "gba4j.config", config.toString(),
                            "gba4j.train", train.toString()), out, overwrite);
            System.out.printf(Locale.ROOT, "final epoch loss %.4f; wrote %s%n", loss, out);
        }
        return 0;
    }
}
