package org.gba4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.gba4j.data.LabeledText;
import org.gba4j.prompt.BroadcastForm;
import org.gba4j.prompt.BroadcastReading;
import org.gba4j.prompt.BroadcastSettings;
import org.gba4j.prompt.DefendedModel;
import org.gba4j.prompt.PromptClassifier;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptMode;
import org.gba4j.prompt.TriggerScan;
import picocli.CommandLine.Option;

/** The settings of prompt-based adaptation (PT, PT+soft, GBA; sections 3.3-3.4) on {@code defend} (a picocli mixin). */
final class PromptOptions {
    /**
     * Held-out rows per class the scan's flip rate needs to be worth reading: as many as it checks a candidate on (a 0.2
     * lift is then at least 3.2 standard errors of a flip rate, whatever the rate).
     */
    static final int MIN_SCAN_ROWS_PER_CLASS = TriggerScan.Config.ROWS;

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

    @Option(names = "--aim", description = "after adapting, probe every token absent from --train (see --aim-probe),"
            + " then insert the most class-forcing ones at the start of clean rows; tokens that flip at least"
            + " --aim-flip-rate of them to one class, and --aim-lift more than"
            + " the rows' own rate of that class, are moved to the label words' centre (gba4j's aimed broadcast, not in"
            + " the paper; see reports/gba-diagnosis.md)")
    boolean aim;

    @Option(names = "--aim-scan-data", paramLabel = "CSV", description = "with --aim: clean labelled rows held out from"
            + " --train (same columns) that the scan probes and checks instead of --train's; tokens of either file are"
            + " never suspects. A trigger the adaptation has weakened flips more unseen rows than rows it has just fit"
            + " (reports/gba-diagnosis-yelp-seed43.md); give at least " + MIN_SCAN_ROWS_PER_CLASS + " rows per class")
    Path aimScanData;

    @Option(names = "--aim-scan-both", description = "with --aim-scan-data: scan --train's rows too, and move the"
            + " suspects of both scans (about twice the scan's time; on MR with Embedding Poisoning neither scan alone"
            + " found the trigger at every share of the data tried, README Figure 2)")
    boolean aimScanBoth;

    @Option(names = "--aim-flip-rate", defaultValue = "0", description = "share of clean rows a token must flip to be"
            + " moved (0 = no bar on the rate); default: ${DEFAULT-VALUE}")
    double aimFlipRate;

    @Option(names = "--aim-lift", defaultValue = "0.2", description = "how far the flip rate must exceed the rows' own"
            + " rate of the class (chosen on dev, reports/gba-diagnosis.md); default: ${DEFAULT-VALUE}")
    double aimLift;

    @Option(names = "--aim-probe", defaultValue = "both", description = "how tokens are probed for candidates:"
            + " alone (each token as the whole text), in-context (in front of a clean row, the way a trigger is used)"
            + " or both (the union; chosen on dev, reports/gba-diagnosis.md); default: ${DEFAULT-VALUE}")
    String aimProbe;

    @Option(names = "--aim-context-pool", defaultValue = "2000", description = "probe in context only the tokens the"
            + " alone probe ranks this high for the class (a cascade: about half the scan's work, the same dev scores"
            + " where measured; at least 40), 0 = every token; default: ${DEFAULT-VALUE}")
    int aimContextPool;

    @Option(names = "--aim-consistent", paramLabel = "N", defaultValue = "0", description = "with --aim: also move the"
            + " N tokens whose [CLS] outputs in the downloaded encoder, before adapting, are most alike across clean"
            + " texts: a NeuBA trigger overrides the text there, though after adapting it flips too few rows for the"
            + " scan (20 brought NeuBA's test ASR to the never-attacked floor on Fakeddit and AG News, seed 43, at"
            + " the same ACC, and missed Yelp's surviving trigger; reports/gba-diagnosis-cls-consistency-seed43.md);"
            + " default: ${DEFAULT-VALUE} (none)")
    int aimConsistent;

    @Option(names = "--aim-pull", paramLabel = "TARGET", defaultValue = "centre", description = "with --aim: where"
            + " the suspects' rows are moved: centre (the label words' mean, where Eq. 4 pulls) or pad (the [PAD] row,"
            + " which carries no class: on Yelp the centre itself turned never-attacked rows positive,"
            + " reports/gba-diagnosis-pull-floor-seed42.md); default: ${DEFAULT-VALUE}")
    String aimPull;

    @Option(names = "--embedding-lr", defaultValue = "0", description = "the word-embedding matrix's own learning rate"
            + " (0 = --lr); default: ${DEFAULT-VALUE}")
    double embeddingLr;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd; default: ${DEFAULT-VALUE}")
    String optimizer;

    /** Every value, the training budget's too (its length must leave room for the template), before anything is loaded. */
    void validate(TrainingOptions training) {
        training.validate(2 * templateWidth + 6);
        OptionChecks.between("--template-width", templateWidth, 0, 16);
        OptionChecks.positive("--temperature", temperature);
        OptionChecks.nonNegative("--lambda", lambda);
        OptionChecks.nonNegative("--ratio-cap", ratioCap);
        OptionChecks.nonNegative("--broadcast-lr", broadcastLr);
        OptionChecks.nonNegative("--embedding-lr", embeddingLr);
        OptionChecks.oneOf("--optimizer", optimizer, List.of("adam", "sgd"));
        form();
        reading();
        probe();
        if (aim) {
            scan();
        }
        if (pullTarget(aimPull) != TriggerScan.PullTarget.CENTRE && !aim) {
            throw new IllegalArgumentException("--aim-pull says where the aimed scan moves its suspects: give --aim too");
        }
        if (aimConsistent != 0 && !aim) {
            throw new IllegalArgumentException("--aim-consistent adds to the aimed scan: give --aim too");
        }
        if (aimScanData != null && !aim) {
            throw new IllegalArgumentException("--aim-scan-data is the aimed scan's data: give --aim too");
        }
        if (aimScanBoth && aimScanData == null) {
            throw new IllegalArgumentException("--aim-scan-both adds --train's rows to a held-out scan: give --aim and"
                    + " --aim-scan-data too");
        }
    }

    /**
     * A held-out file thinner than the help advises still runs, but a flip rate over a few rows per class cannot tell
     * a trigger from chance, so the user hears it before an hour of adaptation.
     */
    List<String> thinScanDataNotes(List<LabeledText> scanRows, int classes) {
        List<String> notes = new java.util.ArrayList<>();
        if (scanRows.isEmpty()) {
            return notes; // no held-out file: the scan checks --train's rows
        }
        int[] perClass = new int[classes];
        scanRows.forEach(row -> perClass[row.label()]++);
        for (int c = 0; c < classes; c++) {
            if (perClass[c] < MIN_SCAN_ROWS_PER_CLASS) {
                notes.add(String.format(Locale.ROOT, "note: --aim-scan-data %s has %d row(s) of class %d; the scan's"
                        + " flip rates are reliable from about %d per class", aimScanData, perClass[c], c,
                        MIN_SCAN_ROWS_PER_CLASS));
            }
        }
        return notes;
    }

    /** Says which tokens the aimed broadcast moved, if it ran; the written model's prompt settings. */
    DefendedModel.Settings report(PromptClassifier classifier) {
        if (aim) {
            System.out.printf("%n%s", moved(classifier.suspects()));
        }
        return DefendedModel.Settings.prompt(classifier.labels(), classifier.config());
    }

    /**
     * What the aimed broadcast moved, in words: the scan's suspects with the class each forces and the share of clean
     * rows it flipped, then the tokens the representation probe added (no class: {@code toClass} -1).
     */
    static String moved(List<TriggerScan.Suspect> suspects) {
        List<String> scanned = suspects.stream().filter(s -> s.toClass() >= 0).map(s -> String.format(Locale.ROOT,
                "%s -> %d (%.0f%%)", s.token(), s.toClass(), 100 * s.flipRate())).toList();
        List<String> consistent = suspects.stream().filter(s -> s.toClass() < 0).map(TriggerScan.Suspect::token).toList();
        return String.format(Locale.ROOT, "aimed: %d token(s) moved to the label words' centre; by the scan (token ->"
                + " class it forces, share of clean rows flipped): %s", suspects.size(),
                scanned.isEmpty() ? "none" : String.join(", ", scanned))
                + (consistent.isEmpty() ? "" : "; most consistent in the downloaded encoder: " + String.join(", ", consistent));
    }

    /** The prompt settings of {@code mode} with {@code training}'s budget. */
    PromptConfig config(PromptMode mode, TrainingOptions training) {
        BroadcastSettings broadcast = mode.usesBroadcast()
                ? new BroadcastSettings(lambda, form(), broadcastLr, reading(), ratioCap) : BroadcastSettings.NONE;
        return new PromptConfig(mode, mode.usesTemplate() ? templateWidth : 0, broadcast,
                aim ? scan() : TriggerScan.Config.OFF, temperature, optimizer, training.learningRate, embeddingLr,
                training.epochs, training.batch, training.maxLength, training.seed.seed);
    }

    private TriggerScan.Config scan() {
        TriggerScan.Probe probe = probe();
        TriggerScan.PullTarget pull = pullTarget(aimPull);
        try {
            return new TriggerScan.Config(TriggerScan.Config.DEFAULT.rows(), TriggerScan.Config.DEFAULT.candidates(),
                    aimFlipRate, aimLift, probe, aimContextPool, aimConsistent, aimScanBoth, pull);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--aim-flip-rate and --aim-lift must be in [0, 1], --aim-context-pool 0"
                    + " or at least " + TriggerScan.Config.DEFAULT.candidates() + " and --aim-consistent 0 or more; got "
                    + aimFlipRate + ", " + aimLift + ", " + aimContextPool + " and " + aimConsistent);
        }
    }

    /** {@code --aim-pull}'s target, checked: centre or pad, in any case. */
    static TriggerScan.PullTarget pullTarget(String option) {
        OptionChecks.oneOf("--aim-pull", option.toLowerCase(Locale.ROOT), List.of("centre", "pad"));
        return TriggerScan.PullTarget.valueOf(option.toUpperCase(Locale.ROOT));
    }

    private TriggerScan.Probe probe() {
        return switch (aimProbe.toLowerCase(Locale.ROOT)) {
            case "alone" -> TriggerScan.Probe.ALONE;
            case "in-context" -> TriggerScan.Probe.IN_CONTEXT;
            case "both" -> TriggerScan.Probe.BOTH;
            default -> throw new IllegalArgumentException("--aim-probe must be alone, in-context or both, got " + aimProbe);
        };
    }

    private BroadcastForm form() {
        return switch (broadcastForm.toLowerCase(Locale.ROOT)) {
            case "coupled" -> BroadcastForm.COUPLED;
            case "decoupled" -> BroadcastForm.DECOUPLED;
            default -> throw new IllegalArgumentException("--broadcast must be coupled or decoupled, got " + broadcastForm);
        };
    }

    private BroadcastReading reading() {
        return switch (broadcastRows.toLowerCase(Locale.ROOT)) {
            case "matrix" -> BroadcastReading.MATRIX_ROWS;
            case "positions" -> BroadcastReading.INPUT_POSITIONS;
            default -> throw new IllegalArgumentException("--broadcast-rows must be matrix or positions, got " + broadcastRows);
        };
    }
}
