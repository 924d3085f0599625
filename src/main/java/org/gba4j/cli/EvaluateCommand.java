package org.gba4j.cli;

import com.google.gson.GsonBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
                + " warning (at_chance in json and csv) when ACC is not above the majority-class rate.",
                "With --each-trigger every word of --trigger is scored alone, and with --target all towards every class:"
                + " one ASR row each, from one load of the model and one prediction of the clean rows (e.g. NeuBA's six"
                + " triggers, each of which may point at any class: --trigger cf,mn,bb,tq,mb,tn --each-trigger"
                + " --target all). Then json prints an array and csv one line per row."})
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

    @Option(names = "--each-trigger", description = "score each word of --trigger alone (one row each) instead of"
            + " inserting them together")
    boolean eachTrigger;

    @Option(names = "--target", defaultValue = "1", description = "the attacker's target class, or all (one row per"
            + " class); default: ${DEFAULT-VALUE}")
    String target;

    @Option(names = "--position", defaultValue = "start",
            description = "where the trigger goes: start (BadNets, NeuBA) or random (Embedding Poisoning, RIPPLe); default: ${DEFAULT-VALUE}")
    String position;

    @Option(names = "--count", defaultValue = "1",
            description = "triggers inserted per text (RIPPLe: 1 or 3 by sentence length); default: ${DEFAULT-VALUE}")
    int count;

    @Option(names = "--format", defaultValue = "text", description = "text, json or csv (a header line, then one line"
            + " per trigger and target); default: ${DEFAULT-VALUE}")
    String format;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() {
        OptionChecks.oneOf("--position", position, List.of("start", "random"));
        OptionChecks.oneOf("--format", format, List.of("text", "json", "csv"));
        OptionChecks.atLeast("--count", count, 1);
        csv.validate();
        if (eachTrigger && triggers == null) {
            throw new IllegalArgumentException("--each-trigger scores each word of --trigger alone; give --trigger too");
        }
        DefendedModel.Settings settings = DefendedModel.settings(model);
        List<Integer> targets = triggers == null ? List.of() : targets(settings.classes());
        List<LabeledText> data = csv.read(test);
        OptionChecks.labelsBelow(test, data, settings.classes(), "the model has " + settings.classes() + " classes",
                "Give test data of this model's task");
        try (PretrainedModel pretrained = PretrainedModel.load(model.toString())) {
            if (triggers != null) {
                triggers.forEach(t -> Triggers.singleTokenId(t, pretrained.tokenizer()));
            }
            System.out.print(format(scores(DefendedModel.classifier(pretrained, settings), data, targets)));
        }
        return 0;
    }

    /** The classes --target names: one, checked against the model's, or all of them. */
    private List<Integer> targets(int classes) {
        if (target.equals("all")) {
            return IntStream.range(0, classes).boxed().toList();
        }
        int one;
        try {
            one = Integer.parseInt(target);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--target must be a class number or all; got '" + target + "'");
        }
        OptionChecks.target("--target", one, classes);
        return List.of(one);
    }

    /**
     * One row of scores per trigger (all of --trigger together, or each alone with --each-trigger) and target: ACC,
     * Matthews correlation (CoLA's metric, appendix D.2) and the majority-class rate on the clean rows; with a trigger
     * also ASR (section 4.3), the clean target rate (the share of clean non-target rows predicted as the target: an ASR
     * means something only above it) and ASRR (Eq. 6, on Matthews); last, {@code at_chance}: whether ACC cannot be told
     * from the majority-class rate ({@link Evaluation#atChance()}). Rates as percentages, correlations as they are.
     * Without --trigger, one row of the clean scores.
     */
    List<Map<String, Object>> scores(TextClassifier classifier, List<LabeledText> data, List<Integer> targets) {
        int[] gold = Evaluation.gold(data);
        int[] predicted = classifier.predict(data);
        if (triggers == null) {
            return List.of(row(Evaluation.of(gold, predicted, null, -1), null));
        }
        TriggerPosition where = position.equals("start") ? TriggerPosition.START : TriggerPosition.RANDOM;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<String> inserted : eachTrigger ? triggers.stream().map(List::of).toList() : List.of(triggers)) {
            // the triggered text does not depend on the target class, so one prediction serves every target
            int[] attacked = classifier.predict(new Poisoner(inserted, targets.get(0), seed.seed).triggerTest(data, count,
                    where));
            for (int t : targets) {
                rows.add(row(Evaluation.of(gold, predicted, attacked, t), inserted));
            }
        }
        return rows;
    }

    private Map<String, Object> row(Evaluation e, List<String> inserted) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model.toString());
        out.put("test", test.toString());
        out.put("rows", e.rows());
        out.put("acc", e.acc());
        out.put("majority", e.majority());
        out.put("mcc", e.mcc());
        if (e.hasAttack()) {
            out.put("trigger", String.join(",", inserted));
            out.put("target", e.target());
            out.put("position", position);
            out.put("count", count);
            out.put("asr", e.asr());
            out.put("clean_target_rate", e.cleanTargetRate());
            out.put("asrr_mcc", e.asrrMcc());
        }
        out.put("at_chance", e.atChance());
        return out;
    }

    private String format(List<Map<String, Object>> rows) {
        Map<String, Object> first = rows.get(0);
        return switch (format) {
            case "json" -> new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                    .toJson(rows.size() == 1 ? first : rows) + System.lineSeparator();
            case "csv" -> csvRow(first.keySet()) + System.lineSeparator() + rows.stream()
                    .map(r -> csvRow(r.values()) + System.lineSeparator()).collect(Collectors.joining());
            default -> {
                StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                        "ACC %.2f%% on %d examples (majority class %.2f%%, MCC %.4f)%n", first.get("acc"),
                        first.get("rows"), first.get("majority"), first.get("mcc")));
                for (Map<String, Object> scores : rows) {
                    if (scores.containsKey("asr")) {
                        text.append(String.format(Locale.ROOT, "ASR %.2f%% (trigger '%s' x%d at %s, target class %d;"
                                + " clean target rate %.2f%%, ASRR on MCC %.4f)%n", scores.get("asr"), scores.get("trigger"),
                                scores.get("count"), scores.get("position"), scores.get("target"),
                                scores.get("clean_target_rate"), scores.get("asrr_mcc")));
                    }
                }
                Evaluation.chanceWarning((double) first.get("acc"), (double) first.get("majority"),
                        (int) first.get("rows"), "on the test rows").ifPresent(w -> text.append(w).append(System.lineSeparator()));
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
