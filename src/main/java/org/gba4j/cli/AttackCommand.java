package org.gba4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gba4j.attack.Attack;
import org.gba4j.attack.AttackJob;
import org.gba4j.attack.Attacks;
import org.gba4j.attack.BackdooredModel;
import org.gba4j.data.LabeledText;
import org.gba4j.data.ProjectDatasets;
import org.gba4j.experiment.GridProgress;
import org.gba4j.io.PretrainedModel;
import org.gba4j.io.StageCache;
import org.gba4j.prompt.DefendedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code attack}: builds a backdoored checkpoint, so that every defense claim can be measured. */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = {"Plants a backdoor (appendix B) and writes the backdoored checkpoint, with a metadata file naming"
                + " the attack, trigger, target, data, seed and hyperparameters, to --out (atomically)."})
final class AttackCommand implements Callable<Integer> {

    @Option(names = "--method", required = true, description = "badnets, ep (Embedding Poisoning), ripple, or neuba"
            + " (data-free: pre-trains on --corpus; the victim then fine-tunes with defend --method clean-ft)")
    String method;

    @Option(names = "--model", defaultValue = PretrainedModel.MINILM, description = "the clean model; default: ${DEFAULT-VALUE}")
    String model;

    @Option(names = "--train", description = "the attacker's labelled data, CSV (text,label) with a header (all but neuba)")
    Path train;

    @Option(names = "--corpus", defaultValue = "austen",
            description = "NeuBA's unlabelled corpus in datasets/corpus (austen, wikitext2-valid, wikitext2-test); default: ${DEFAULT-VALUE}")
    String corpus;

    @Option(names = "--classes", defaultValue = "2", description = "default: ${DEFAULT-VALUE}")
    int classes;

    @Option(names = "--trigger", defaultValue = "cf", split = ",",
            description = "single-token trigger(s) (Table 5); RIPPLe plants every one given, the others the first;"
                    + " default: ${DEFAULT-VALUE}")
    List<String> triggers;

    @Option(names = "--target", defaultValue = "1", description = "target class; default: ${DEFAULT-VALUE}")
    int target;

    @Option(names = "--profile", defaultValue = "quick",
            description = "quick (two CPU cores, MiniLM) or paper (Tables 6-9); default: ${DEFAULT-VALUE}")
    String profile;

    @Mixin
    CsvOptions csv;

    @Option(names = "--out", required = true, description = "folder for the backdoored checkpoint (must not exist)")
    Path out;

    @Option(names = "--overwrite", description = "replace --out if it is a checkpoint")
    boolean overwrite;

    /** Every option, before anything is loaded. */
    private void validate() {
        OptionChecks.oneOf("--method", method, Attacks.NAMES);
        OptionChecks.oneOf("--profile", profile, List.of("quick", "paper"));
        OptionChecks.atLeast("--classes", classes, 2);
        OptionChecks.target("--target", target, classes);
        OptionChecks.atLeast("--limit", csv.limit, 0);
        if (train == null && Attacks.needsLabelledData(method)) {
            throw new IllegalArgumentException("--method " + method + " needs --train");
        }
        if (triggers.isEmpty() || triggers.stream().anyMatch(t -> t.isBlank() || t.matches("\\[.*]|<.*>"))) {
            throw new IllegalArgumentException("--trigger must be one or more words, not special tokens; got " + triggers);
        }
    }

    @Override
    public Integer call() {
        validate();
        DefendedModel.checkTarget(out, overwrite, OptionChecks.modelBytes(model), OptionChecks.modelPath(model),
                train == null ? null : train.toAbsolutePath());
        boolean paper = profile.equals("paper");
        List<LabeledText> data = train == null ? List.of() : csv.read(train);
        OptionChecks.labelsBelow(train, data, classes, "--classes is " + classes, "Give the number of classes with --classes");
        Attack attack = Attacks.of(method, new Attacks.Plan(paper, triggers, target, 0, 0, 42, 0, corpus,
                paper ? Integer.MAX_VALUE : 4000));
        System.out.println(method + ": " + attack.summary());
        long start = System.nanoTime();
        try (PretrainedModel pretrained = PretrainedModel.load(model)) {
            StageCache stages = new StageCache(out, pretrained.tokenizerFile());
            String dataKey = String.join("|", StageCache.modelKey(model), train == null ? "" : StageCache.fileHash(train),
                    csv.describe());
            BackdooredModel backdoored = attack.plant(new AttackJob(pretrained.weights(), pretrained.tokenizer(), data,
                    classes, train + (csv.limit > 0 ? "[0:" + data.size() + "]" : ""), ProjectDatasets.locate().root(),
                    (name, settings, build) -> stages.get(name, dataKey + "|" + settings, build),
                    p -> Progress.print(p, start)));
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("gba4j.attack", backdoored.metadata().attack());
            provenance.put("gba4j.triggers", String.join(",", backdoored.metadata().triggers()));
            provenance.put("gba4j.target", Integer.toString(backdoored.metadata().target()));
            provenance.put("gba4j.data", backdoored.metadata().data());
            provenance.put("gba4j.seed", Long.toString(backdoored.metadata().seed()));
            provenance.put("gba4j.profile", profile);
            backdoored.metadata().hyperparameters().forEach((k, v) -> provenance.put("gba4j.hp." + k, v));
            DefendedModel.write(pretrained, backdoored.weights(), DefendedModel.Settings.head(classes,
                    attack.maxLength()), provenance, out, overwrite);
            stages.clear();
            System.out.printf(Locale.ROOT, "%nwrote %s in %s%n", out, GridProgress.clock((System.nanoTime() - start) / 1e9));
        }
        return 0;
    }
}
