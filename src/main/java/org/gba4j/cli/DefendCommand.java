package org.gba4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.defense.Defense;
import org.gba4j.defense.DefenseJob;
import org.gba4j.defense.Defenses;
import org.gba4j.io.PretrainedModel;
import org.gba4j.io.StageCache;
import org.gba4j.model.BertWeights;
import org.gba4j.prompt.DefendedModel;
import org.gba4j.prompt.PromptClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code defend}: adapt a downloaded model on the user's clean data with GBA (or a baseline defense). */
@Command(name = "defend", mixinStandardHelpOptions = true,
        description = {"Adapts a (possibly backdoored) model on clean labelled data with Gradient Broadcast Adaptation (or a"
                + " baseline defense) and writes the defended classifier to --out (ONNX if it came as ONNX and is a prompt).",
                "Then it scores up to " + FitCheck.ROWS + " of the training rows and warns when the result is at chance on them"
                + " (one class for every row, say): such a model has not learnt the task."})
final class DefendCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "minilm, bert-base, an .onnx export with tokenizer.json beside"
            + " it, a folder with model.onnx + tokenizer.json, or a checkpoint written by 'attack'")
    String model;

    @Option(names = "--train", required = true, description = "clean training data, CSV with a header row")
    Path train;

    @Option(names = "--label-words", required = true, split = ",",
            description = "one single-token word per class, in label order (Table 1: e.g. terrible,good)")
    List<String> labelWords;

    @Option(names = "--method", defaultValue = Defenses.GBA, completionCandidates = Choices.DefenseNames.class,
            description = "${COMPLETION-CANDIDATES}: prompt-based (Table 12) or head defenses (section 4.2); default: ${DEFAULT-VALUE}")
    String method;

    @Mixin CsvOptions csv;
    @Mixin TrainingOptions training;
    @Mixin PromptOptions prompt;
    @Mixin NadOptions nad;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
        OptionChecks.oneOf("--method", method, Choices.DefenseNames.NAMES);
        prompt.validate(training);
        nad.validate();
        csv.validate();
        OptionChecks.labelWords("--label-words", labelWords);
        output.checkTarget(model, train);
        List<LabeledText> data = csv.read(train);
        boolean promptBased = Defenses.promptBased(method);
        int n = promptBased || nad.classes == 0 ? labelWords.size() : nad.classes; // the classes of either head
        String limit = "only " + n + " label words " + labelWords;
        OptionChecks.labelsBelow(train, data, n, limit, "Give one label word per class");
        List<LabeledText> scanRows = prompt.aimScanData == null ? List.of() : csv.read(prompt.aimScanData);
        OptionChecks.labelsBelow(prompt.aimScanData, scanRows, n, limit, "Give one label word per class");
        prompt.thinScanDataNotes(scanRows, n).forEach(System.out::println);
        Defense defense = Defenses.of(method, new Defenses.Plan(training.fineTuning(), nad.beta,
                promptBased ? prompt.config(Defenses.mode(method), training) : null));
        long start = System.nanoTime();
        try (PretrainedModel pretrained = PretrainedModel.load(model);
             PretrainedModel clean = method.equals(Defenses.NAD_C) ? PretrainedModel.load(nad.cleanModel) : null) {
            training.noteTruncated(pretrained.tokenizer(), data, defense);
            System.out.printf("adapting %s with %s on %d examples (%s)%n", model, method, data.size(), defense.summary());
            StageCache stages = output.stages(pretrained);
            // a prompt defense trains one graph on the loaded encoder and nothing reads it afterwards: the graph takes
            // its arrays instead of a copy (NAD and Clean-FT read the loaded model more than once)
            BertWeights encoder = promptBased ? pretrained.weights().handOver() : pretrained.weights();
            TextClassifier defended = defense.defend(new DefenseJob(encoder, encoder,
                    pretrained.tokenizer(), data, n, labelWords, clean == null ? null : clean.weights(), stages.stages(
                    String.join("|", StageCache.modelKey(model), StageCache.fileHash(train), csv.describe(), "" + n)),
                    new Progress()::print, scanRows));
            DefendedModel.Settings settings = defended instanceof PromptClassifier p ? prompt.report(p)
                    : DefendedModel.Settings.head(n, training.maxLength);
            Map<String, String> provenance = new java.util.LinkedHashMap<>(Map.of("gba4j.method", method, "gba4j.source",
                    model, "gba4j.train", train.toString(), "gba4j.train_rows", "" + data.size()));
            if (prompt.aimScanData != null) {
                provenance.put("gba4j.aim_scan_data", prompt.aimScanData + " (" + scanRows.size() + " rows)");
            }
            output.write(pretrained, defended.model().weights(), settings, provenance, stages, start);
            // after the write: the model is kept whatever this check finds or throws
            FitCheck.lines(defended, data, training.fineTuning().seed()).forEach(System.out::println);
        }
        return 0;
    }
}
