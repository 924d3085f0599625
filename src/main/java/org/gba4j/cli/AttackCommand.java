package org.gba4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gba4j.attack.Attack;
import org.gba4j.attack.AttackJob;
import org.gba4j.attack.Attacks;
import org.gba4j.attack.BackdooredModel;
import org.gba4j.data.LabeledText;
import org.gba4j.data.ProjectDatasets;
import org.gba4j.io.PretrainedModel;
import org.gba4j.io.StageCache;
import org.gba4j.prompt.DefendedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code attack}: builds a backdoored checkpoint, so that every defense claim can be measured. */
@Command(name = "attack", mixinStandardHelpOptions = true, description = {"Plants a backdoor (appendix B) and writes the"
        + " backdoored checkpoint, with the attack, trigger, target, data, seed and hyperparameters, to --out (atomically)."})
final class AttackCommand implements Callable<Integer> {

    @Option(names = "--method", required = true, completionCandidates = Choices.AttackNames.class, description = "${COMPLETION-CANDIDATES}"
            + " (ep: Embedding Poisoning; neuba is data-free: it pre-trains on --corpus, the victim then fine-tunes)")
    String method;

    @Option(names = "--model", defaultValue = PretrainedModel.MINILM, description = "the clean model; default: ${DEFAULT-VALUE}")
    String model;

    @Option(names = "--train", description = "the attacker's labelled data, CSV (text,label) with a header (all but neuba)")
    Path train;

    @Mixin AttackOptions plan;
    @Mixin CsvOptions csv;
    @Mixin SeedOption seed;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
        OptionChecks.oneOf("--method", method, Attacks.NAMES);
        plan.validate();
        csv.validate();
        if (train == null && Attacks.needsLabelledData(method)) {
            throw new IllegalArgumentException("--method " + method + " needs --train");
        }
        output.checkTarget(model, train);
        List<LabeledText> data = train == null ? List.of() : csv.read(train);
        OptionChecks.labelsBelow(train, data, plan.classes, "--classes is " + plan.classes,
                "Give the number of classes with --classes");
        Attack attack = Attacks.of(method, plan.plan(seed.seed));
        System.out.println(method + ": " + attack.summary());
        long start = System.nanoTime();
        try (PretrainedModel pretrained = PretrainedModel.load(model)) {
            StageCache stages = output.stages(pretrained);
            BackdooredModel backdoored = attack.plant(new AttackJob(pretrained.weights(), pretrained.tokenizer(), data,
                    plan.classes, train + (csv.limit > 0 ? "[0:" + data.size() + "]" : ""), ProjectDatasets.locate().root(),
                    stages.stages(String.join("|", StageCache.modelKey(model), train == null ? "" : StageCache.fileHash(train),
                            csv.describe())), new Progress()::print));
            Map<String, String> provenance = new LinkedHashMap<>(backdoored.metadata().provenance());
            provenance.put("gba4j.profile", plan.profile);
            output.write(pretrained, backdoored.weights(), DefendedModel.Settings.head(plan.classes, attack.maxLength()),
                    provenance, stages, start);
        }
        return 0;
    }
}
