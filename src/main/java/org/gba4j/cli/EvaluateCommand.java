package org.gba4j.cli;

import com.google.gson.GsonBuilder;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.gba4j.attack.Poisoner;
import org.gba4j.attack.TriggerPosition;
import org.gba4j.attack.Triggers;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.eval.Evaluation;
import org.gba4j.io.PretrainedModel;
import org.gba4j.prompt.DefendedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate}: ACC on clean test data and, with a trigger, ASR (section 4.3). */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Prints the clean accuracy (ACC) of a model written by 'attack' or 'defend' and, with --trigger, the"
                + " attack success rate (ASR): the share of test examples not of class --target that the model assigns to"
                + " --target once the trigger is inserted (section 4.3, appendix B.2), beside the clean target rate, the"
                + " share it assigns to --target without the trigger. Also Matthews correlation and ASRR (appendix D.2), and a"
                + " warning (at_chance in json and csv) when ACC is not above the majority-class rate."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "a folder written by 'attack' or 'defend'")
    Path model;

    @Option(names = "--test", required = true, description = "labelled test data, CSV with a header row")
    Path test;

    @Mixin
    CsvOptions csv;

    @Option(names = "--trigger", split = ",", description = "trigger word(s) inserted into each text for the ASR, e.g."
            + " cf (several: each text gets --count of them, drawn from the list)")
    List<String> triggers;

    @Option(names = "--target", defaultValue = "1", description = "the attacker's target class; default: ${DEFAULT-VALUE}")
    int target;

    @Option(names = "--position", defaultValue = "start",
            description = "where the trigger goes: start (BadNets, NeuBA) or random (Embedding Poisoning, RIPPLe); default: ${DEFAULT-VALUE}")
    String position;

    @Option(names = "--count", defaultValue = "1",
            description = "triggers inserted per text (RIPPLe: 1 or 3 by sentence length); default: ${DEFAULT-VALUE}")
    int count;

    @Option(names = "--format", defaultValue = "text", description = "text, json or csv (one header line, one row);"
            + " default: ${DEFAULT-VALUE}")
    String format;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() {
        OptionChecks.oneOf("--position", position, List.of("start", "random"));
        OptionChecks.oneOf("--format", format, List.of("text", "json", "csv"));
        OptionChecks.atLeast("--count", count, 1);
        csv.validate();
        DefendedModel.Settings settings = DefendedModel.settings(model);
        if (triggers != null) {
            OptionChecks.target("--target", target, settings.classes());
        }
        List<LabeledText> data = csv.read(test);
        OptionChecks.labelsBelow(test, data, settings.classes(), "the model has " + settings.classes() + " classes",
                "Give test data of this model's task");
        try (PretrainedModel pretrained = PretrainedModel.load(model.toString())) {
            if (triggers != null) {
                triggers.forEach(t -> Triggers.singleTokenId(t, pretrained.tokenizer()));
            }
            System.out.print(format(scores(DefendedModel.classifier(pretrained, settings), data)));
        }
        return 0;
    }

    /**
     * ACC, Matthews correlation (CoLA's metric, appendix D.2) and the majority-class rate on the clean rows;
     * with a trigger also ASR (section 4.3), the clean target rate (the share of clean non-target rows
     * predicted as the target: an ASR means something only above it) and ASRR (Eq. 6, on Matthews); last,
     * {@code at_chance}: whether ACC cannot be told from the majority-class rate ({@link Evaluation#atChance()}).
     * Rates as percentages, correlations as they are.
     */
    Map<String, Object> scores(TextClassifier classifier, List<LabeledText> data) {
        List<LabeledText> triggered = triggers == null ? null : new Poisoner(triggers, target, seed.seed).triggerTest(data,
                count, position.equals("start") ? TriggerPosition.START : TriggerPosition.RANDOM);
        Evaluation e = Evaluation.of(classifier, data, triggered, target);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model.toString());
        out.put("test", test.toString());
        out.put("rows", e.rows());
        out.put("acc", e.acc());
        out.put("majority", e.majority());
        out.put("mcc", e.mcc());
        if (e.hasAttack()) {
            out.put("trigger", String.join(",", triggers));
            out.put("target", target);
            out.put("position", position);
            out.put("count", count);
            out.put("asr", e.asr());
            out.put("clean_target_rate", e.cleanTargetRate());
            out.put("asrr_mcc", e.asrrMcc());
        }
        out.put("at_chance", e.atChance());
        return out;
    }

    private String format(Map<String, Object> scores) {
        return switch (format) {
            case "json" -> new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                    .toJson(scores) + System.lineSeparator();
            case "csv" -> csvRow(scores.keySet()) + System.lineSeparator() + csvRow(scores.values()) + System.lineSeparator();
            default -> {
                StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                        "ACC %.2f%% on %d examples (majority class %.2f%%, MCC %.4f)%n", scores.get("acc"),
                        scores.get("rows"), scores.get("majority"), scores.get("mcc")));
                if (scores.containsKey("asr")) {
                    text.append(String.format(Locale.ROOT, "ASR %.2f%% (trigger '%s' x%d at %s, target class %d; clean"
                            + " target rate %.2f%%, ASRR on MCC %.4f)%n", scores.get("asr"), scores.get("trigger"),
                            scores.get("count"), scores.get("position"), scores.get("target"),
                            scores.get("clean_target_rate"), scores.get("asrr_mcc")));
                }
                Evaluation.chanceWarning((double) scores.get("acc"), (double) scores.get("majority"),
                        (int) scores.get("rows"), "on the test rows").ifPresent(w -> text.append(w).append(System.lineSeparator()));
                yield text.toString();
            }
        };
    }

    /** One CSV line as Commons CSV's RFC 4180 format writes it: a field is quoted when it holds a comma, quote or line break. */
    static String csvRow(Collection<?> values) {
        return CSVFormat.RFC4180.format(values.toArray());
    }

    static String csvCell(Object value) {
        return csvRow(List.of(value));
    }
}
