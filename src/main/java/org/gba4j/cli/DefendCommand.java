package org.gba4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gba4j.classify.FineTuning;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.experiment.GridProgress;
import org.gba4j.io.PretrainedModel;
import org.gba4j.io.StageCache;
import org.gba4j.defense.BroadcastSettings;
import org.gba4j.defense.Defense;
import org.gba4j.defense.DefenseJob;
import org.gba4j.defense.Defenses;
import org.gba4j.defense.TriggerScan;
import org.gba4j.prompt.DefendedModel;
import org.gba4j.prompt.LabelWords;
import org.gba4j.prompt.PromptClassifier;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptEncoder;
import org.gba4j.prompt.PromptMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code defend}: adapt a downloaded model on the user's clean data with GBA (or PT / PT+soft). */
@Command(name = "defend", mixinStandardHelpOptions = true,
        description = {"Adapts a (possibly backdoored) model on clean labelled data with Gradient Broadcast Adaptation (or a"
                + " baseline defense) and writes the defended classifier to --out: ONNX + tokenizer.json for a prompt"
                + " classifier adapted from an ONNX export, a gba4j checkpoint otherwise."})
final class DefendCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "minilm, bert-base, an .onnx export with tokenizer.json beside"
            + " it, a folder with model.onnx + tokenizer.json, or a checkpoint written by 'attack'")
    String model;

    @Option(names = "--train", required = true, description = "clean training data, CSV with a header row")
    Path train;

    @Option(names = "--label-words", required = true, split = ",",
            description = "one single-token word per class, in label order (Table 1: e.g. terrible,good)")
    List<String> labelWords;

    @Mixin
    CsvOptions csv;

    @Option(names = "--method", defaultValue = Defenses.GBA, description = "gba, pt-soft, pt (Table 12), clean-ft, nad or nad-c"
            + " (section 4.2); default: ${DEFAULT-VALUE}")
    String method;

    @Option(names = "--lambda", defaultValue = "0.5", description = "broadcast weight of Eq. 3; default: ${DEFAULT-VALUE}")
    double lambda;

    @Option(names = "--template-width", defaultValue = "2", description = "soft tokens on each side of [MASK]; default: ${DEFAULT-VALUE}")
    int templateWidth;

    @Option(names = "--temperature", defaultValue = "1", description = "T of Eq. 1; default: ${DEFAULT-VALUE}")
    double temperature;

    @Option(names = "--ratio-cap", defaultValue = "0", description = "clip p(w|x)/p(y|x) in Eq. 4 (0 = off, the paper); default: ${DEFAULT-VALUE}")
    double ratioCap;

    @Option(names = "--broadcast", defaultValue = "coupled", description = "where lambda*Q enters: coupled (the paper's"
            + " literal Eq. 3, Q joins the gradient the optimizer sees) or decoupled (the optimizer steps on the"
            + " gradient, then E -= broadcast-lr * lambda * Q); default: ${DEFAULT-VALUE}")
    String broadcastForm;

    @Option(names = "--broadcast-lr", defaultValue = "0", description = "eta_b, the decoupled broadcast's step size;"
            + " default: ${DEFAULT-VALUE}")
    double broadcastLr;

    @Option(names = "--broadcast-rows", defaultValue = "matrix", description = "Eq. 4's gradient rows: matrix (rows of"
            + " the batch's word-embedding gradient at the input tokens) or positions (each example's own input-position"
            + " gradients); default: ${DEFAULT-VALUE}")
    String broadcastRows;

    @Option(names = "--aim", description = "after adapting, probe every token absent from --train alone and at the start"
            + " of clean rows; tokens that flip at least --aim-flip-rate of them to one class, and --aim-lift more than"
            + " the rows' own rate of that class, are moved to the label words' centre (gba4j's aimed broadcast, not in"
            + " the paper; see reports/gba-diagnosis.md)")
    boolean aim;

    @Option(names = "--aim-flip-rate", defaultValue = "0", description = "share of clean rows a token must flip to be"
            + " moved (0 = no bar on the rate); default: ${DEFAULT-VALUE}")
    double aimFlipRate;

    @Option(names = "--aim-lift", defaultValue = "0.2", description = "how far the flip rate must exceed the rows' own"
            + " rate of the class (chosen on dev, reports/gba-diagnosis.md); default: ${DEFAULT-VALUE}")
    double aimLift;

    @Option(names = "--embedding-lr", defaultValue = "0", description = "the word-embedding matrix's own learning rate"
            + " (0 = --lr); default: ${DEFAULT-VALUE}")
    double embeddingLr;

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

    @Option(names = "--seed", defaultValue = "42", description = "default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--out", required = true, description = "folder for the defended model (must not exist)")
    Path out;

    @Option(names = "--overwrite", description = "replace --out if it exists")
    boolean overwrite;

    @Option(names = "--classes", defaultValue = "0",
            description = "classes of a head classifier (clean-ft, nad, nad-c); default: the number of label words")
    int classes;

    @Option(names = "--beta", defaultValue = "5000", description = "NAD's distillation weight; the paper searches 1000, 2000,"
            + " 5000; default: ${DEFAULT-VALUE}")
    double beta;

    @Option(names = "--clean-model", defaultValue = PretrainedModel.MINILM,
            description = "NAD-C's clean pre-trained student; default: ${DEFAULT-VALUE}")
    String cleanModel;

    /** Every defense but No-Defense. */
    private static final List<String> METHODS = Defenses.NAMES.stream().filter(n -> !n.equals(Defenses.NONE)).toList();

    /** Every option, before anything is loaded: a typo costs a second, not a training run. */
    private void validate() {
        OptionChecks.oneOf("--method", method, METHODS);
        OptionChecks.atLeast("--epochs", epochs, 1);
        OptionChecks.atLeast("--batch", batch, 1);
        OptionChecks.between("--max-length", maxLength, 2L * templateWidth + 6, 512);
        OptionChecks.between("--template-width", templateWidth, 0, 16);
        OptionChecks.positive("--lr", learningRate);
        OptionChecks.positive("--temperature", temperature);
        OptionChecks.nonNegative("--lambda", lambda);
        OptionChecks.nonNegative("--ratio-cap", ratioCap);
        OptionChecks.nonNegative("--broadcast-lr", broadcastLr);
        OptionChecks.nonNegative("--embedding-lr", embeddingLr);
        OptionChecks.nonNegative("--beta", beta);
        OptionChecks.atLeast("--limit", csv.limit, 0);
        OptionChecks.oneOf("--optimizer", optimizer, List.of("adam", "sgd"));
        BroadcastOptions.form(broadcastForm);
        BroadcastOptions.reading(broadcastRows);
        if (aim) {
            scanConfig();
        }
        if (classes != 0) {
            OptionChecks.atLeast("--classes", classes, 2);
        }
        if (labelWords.size() < 2) {
            throw new IllegalArgumentException("--label-words needs one word per class, at least two; got " + labelWords);
        }
        labelWords.forEach(LabelWords::checkNotSpecial);
    }

    private TriggerScan.Config scanConfig() {
        try {
            return new TriggerScan.Config(TriggerScan.Config.DEFAULT.rows(), TriggerScan.Config.DEFAULT.candidates(),
                    aimFlipRate, aimLift);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--aim-flip-rate and --aim-lift must be in [0, 1]; got "
                    + aimFlipRate + " and " + aimLift);
        }
    }

    @Override
    public Integer call() {
        validate();
        DefendedModel.checkTarget(out, overwrite, OptionChecks.modelBytes(model), OptionChecks.modelPath(model),
                train.toAbsolutePath());
        List<LabeledText> data = csv.read(train);
        boolean prompt = Defenses.promptBased(method);
        int n = prompt || classes == 0 ? labelWords.size() : classes; // the classes of either head
        OptionChecks.labelsBelow(train, data, n, "only " + n + " label words " + labelWords, "Give one label word per class");
        Defense defense = Defenses.of(method, new Defenses.Plan(new FineTuning(learningRate, epochs, batch, maxLength, seed),
                beta, prompt ? promptConfig() : null));
        Map<String, String> provenance = Map.of("gba4j.method", method, "gba4j.source", model, "gba4j.train",
                train.toString(), "gba4j.train_rows", Integer.toString(data.size()));
        long start = System.nanoTime();
        try (PretrainedModel pretrained = PretrainedModel.load(model);
             PretrainedModel clean = method.equals(Defenses.NAD_C) ? PretrainedModel.load(cleanModel) : null) {
            if (defense instanceof Defenses.PromptAdaptation p) {
                long truncated = new PromptEncoder(pretrained.tokenizer(), p.config().templateWidth(), maxLength)
                        .countTruncated(data);
                if (truncated > 0) {
                    System.out.printf("note: %d of %d texts are longer than --max-length %d allows and are"
                            + " truncated%n", truncated, data.size(), maxLength);
                }
            }
            System.out.printf("adapting %s with %s on %d examples (%s)%n", model, method, data.size(), defense.summary());
            StageCache stages = new StageCache(out, pretrained.tokenizerFile());
            String dataKey = String.join("|", StageCache.modelKey(model), StageCache.fileHash(train), csv.describe(),
                    Integer.toString(n));
            TextClassifier defended = defense.defend(new DefenseJob(pretrained.weights(), pretrained.weights(),
                    pretrained.tokenizer(), data, n, labelWords, clean == null ? null : clean.weights(),
                    (name, settings, build) -> stages.get(name, dataKey + "|" + settings, build),
                    p -> Progress.print(p, start)));
            System.out.println();
            DefendedModel.Settings settings = DefendedModel.Settings.head(n, maxLength);
            if (defended instanceof PromptClassifier p) {
                if (aim) {
                    System.out.printf("aimed: %d token(s) moved to the label words' centre: %s%n", p.suspects().size(),
                            p.suspects());
                }
                settings = DefendedModel.Settings.prompt(p.labels(), p.config());
            }
            DefendedModel.write(pretrained, defended.model().weights(), settings, provenance, out, overwrite);
            stages.clear();
            System.out.printf(Locale.ROOT, "wrote %s in %s%n", out, GridProgress.clock((System.nanoTime() - start) / 1e9));
        }
        return 0;
    }

    /** The prompt settings the options give (PT, PT+soft or GBA by --method). */
    private PromptConfig promptConfig() {
        PromptMode mode = Defenses.mode(method);
        BroadcastSettings broadcast = mode.usesBroadcast() ? new BroadcastSettings(lambda,
                BroadcastOptions.form(broadcastForm), broadcastLr, BroadcastOptions.reading(broadcastRows), ratioCap)
                : BroadcastSettings.NONE;
        return new PromptConfig(mode, mode.usesTemplate() ? templateWidth : 0, broadcast,
                aim ? scanConfig() : TriggerScan.Config.OFF, temperature, optimizer, learningRate, embeddingLr, epochs, batch,
                maxLength, seed);
    }
}
