package org.gba4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gba4j.attack.Poisoner;
import org.gba4j.attack.TriggerPosition;
import org.gba4j.attack.Triggers;
import org.gba4j.classify.FineTuning;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.eval.BackdoorEvaluation;
import org.gba4j.eval.Metrics;
import org.gba4j.io.ModelFileException;
import org.gba4j.io.PretrainedModel;
import org.gba4j.prompt.DefendedModel;
import org.gba4j.prompt.LabelWords;
import org.gba4j.prompt.PromptClassifier;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate}: ACC on clean test data and, with a trigger, ASR (section 4.3). */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Prints the clean accuracy (ACC) of a model written by 'defend' and, with --trigger, the attack"
                + " success rate (ASR): the share of test examples not of class --target that the model assigns to"
                + " --target once the trigger is inserted (section 4.3, appendix B.2)."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "a folder written by 'attack' or 'defend'")
    Path model;

    @Option(names = "--test", required = true, description = "labelled test data, CSV with a header row")
    Path test;

    @Mixin
    CsvOptions csv;

    @Option(names = "--trigger", description = "trigger word inserted into each text for the ASR, e.g. cf")
    String trigger;

    @Option(names = "--target", defaultValue = "1", description = "the attacker's target class; default: ${DEFAULT-VALUE}")
    int target;

    @Option(names = "--position", defaultValue = "start",
            description = "where the trigger goes: start (BadNets, NeuBA) or random (Embedding Poisoning); default: ${DEFAULT-VALUE}")
    String position;

    @Option(names = "--count", defaultValue = "1",
            description = "triggers inserted per text (RIPPLe: 1 or 3 by sentence length); default: ${DEFAULT-VALUE}")
    int count;

    @Override
    public Integer call() {
        OptionChecks.oneOf("--position", position, List.of("start", "random"));
        OptionChecks.atLeast("--count", count, 1);
        OptionChecks.atLeast("--limit", csv.limit, 0);
        DefendedModel.Settings settings = DefendedModel.settings(model);
        if (trigger != null) {
            OptionChecks.target("--target", target, settings.classes());
        }
        List<LabeledText> data = csv.read(test);
        OptionChecks.labelsBelow(test, data, settings.classes(), "the model has " + settings.classes() + " classes",
                "Give test data of this model's task");
        TriggerPosition where = position.equals("start") ? TriggerPosition.START : TriggerPosition.RANDOM;
        try (PretrainedModel pretrained = PretrainedModel.load(model.toString())) {
            TextClassifier classifier = classifier(pretrained, settings);
            if (trigger == null) {
                int[] gold = data.stream().mapToInt(LabeledText::label).toArray();
                System.out.printf(Locale.ROOT, "ACC %.2f%% on %d examples%n",
                        100 * Metrics.accuracy(classifier.predict(data), gold), data.size());
            } else {
                Triggers.singleTokenId(trigger, pretrained.tokenizer());
                BackdoorEvaluation.Scores scores = BackdoorEvaluation.evaluate(classifier, data,
                        new Poisoner(List.of(trigger), target, 42), count, where);
                System.out.printf(Locale.ROOT, "ACC %.2f%% on %d examples%nASR %.2f%% (trigger '%s' x%d at %s, target class"
                        + " %d)%n", 100 * scores.acc(), data.size(), 100 * scores.asr(), trigger, count, position, target);
            }
        }
        return 0;
    }

    /** The saved model's own way of classifying: its prompt and label words, or its classification head. */
    static TextClassifier classifier(PretrainedModel pretrained, DefendedModel.Settings settings) {
        if (!settings.isPrompt()) {
            if (!org.gba4j.model.ClassifierHead.has(pretrained.weights())) {
                throw new IllegalArgumentException("this model has no classification head (e.g. a NeuBA encoder):"
                        + " fine-tune it first, e.g. defend --method clean-ft");
            }
            long headClasses = pretrained.weights().get(org.gba4j.model.BertGraph.CLASSIFIER_WEIGHT).columns();
            if (headClasses != settings.classes()) {
                throw new ModelFileException("--model", "has a " + headClasses + "-class head but its settings"
                        + " say " + settings.classes() + " classes", "Write the model again");
            }
            return new FineTuning(1e-5, 1, 32, settings.maxLength(), 0).classifier(pretrained.weights(),
                    pretrained.tokenizer(), settings.classes());
        }
        LabelWords labels = LabelWords.of(settings.labelWords(), pretrained.tokenizer());
        PromptMode mode = settings.templateWidth() > 0 ? PromptMode.PT_SOFT : PromptMode.PT;
        PromptConfig config = new PromptConfig(mode, settings.templateWidth(), org.gba4j.defense.BroadcastSettings.NONE,
                org.gba4j.defense.TriggerScan.Config.OFF,
                settings.temperature(), "adam", 1e-5, 0, 1, 32, settings.maxLength(), 0);
        return new PromptClassifier(pretrained.weights(), pretrained.tokenizer(), labels, config);
    }
}
