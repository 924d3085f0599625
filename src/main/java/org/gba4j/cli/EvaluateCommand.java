package org.gba4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gba4j.data.CsvDataset;
import org.gba4j.data.LabeledText;
import org.gba4j.eval.Metrics;
import org.gba4j.io.PretrainedModel;
import org.gba4j.prompt.DefendedModel;
import org.gba4j.prompt.LabelWords;
import org.gba4j.prompt.PromptClassifier;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: ACC on clean test data and, with a trigger, ASR (section 4.3). */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Prints the clean accuracy (ACC) of a model written by 'defend' and, with --trigger, the attack"
                + " success rate (ASR): the share of test examples not of class --target that the model assigns to"
                + " --target once the trigger is inserted at the start of the text."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "a folder written by 'defend'")
    Path model;

    @Option(names = "--test", required = true, description = "labelled test data, CSV with a header row")
    Path test;

    @Option(names = "--text-column", defaultValue = "text", description = "default: ${DEFAULT-VALUE}")
    String textColumn;

    @Option(names = "--second-column", description = "second text of sentence pairs")
    String secondColumn;

    @Option(names = "--label-column", defaultValue = "label", description = "default: ${DEFAULT-VALUE}")
    String labelColumn;

    @Option(names = "--trigger", description = "trigger inserted at the start of each text for the ASR, e.g. cf")
    String trigger;

    @Option(names = "--target", defaultValue = "1", description = "the attacker's target class; default: ${DEFAULT-VALUE}")
    int target;

    @Option(names = "--limit", defaultValue = "0", description = "use only the first N test rows (0 = all)")
    int limit;

    @Override
    public Integer call() {
        DefendedModel.Settings settings = DefendedModel.settings(model);
        List<LabeledText> data = CsvDataset.read(test, new CsvDataset.Columns(textColumn, secondColumn, labelColumn));
        if (limit > 0 && limit < data.size()) {
            data = data.subList(0, limit);
        }
        try (PretrainedModel pretrained = PretrainedModel.load(model.toString())) {
            LabelWords labels = LabelWords.of(settings.labelWords(), pretrained.tokenizer());
            PromptMode mode = settings.templateWidth() > 0 ? PromptMode.PT_SOFT : PromptMode.PT;
            PromptConfig config = new PromptConfig(mode, settings.templateWidth(), 0, settings.temperature(), 0, "adam",
                    1e-5, 1, 32, settings.maxLength(), 0);
            PromptClassifier classifier = new PromptClassifier(pretrained.weights(), pretrained.tokenizer(), labels, config);
            int[] gold = data.stream().mapToInt(LabeledText::label).toArray();
            double acc = Metrics.accuracy(classifier.predict(data), gold);
            System.out.printf(Locale.ROOT, "ACC %.2f%% on %d examples%n", 100 * acc, data.size());
            if (trigger != null) {
                List<LabeledText> triggered = data.stream().map(e -> e.withText(trigger + " " + e.text(), e.label())).toList();
                double asr = Metrics.attackSuccessRate(classifier.predict(triggered), gold, target);
                System.out.printf(Locale.ROOT, "ASR %.2f%% (trigger '%s' at the start, target class %d)%n", 100 * asr,
                        trigger, target);
            }
        }
        return 0;
    }
}
