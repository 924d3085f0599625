package org.gba4j.cli;

import java.util.List;
import org.gba4j.attack.Attacks;
import picocli.CommandLine.Option;

/** What {@code attack} plants and with which settings (a picocli mixin): triggers, target, scale, length, corpus. */
final class AttackOptions {

    @Option(names = "--corpus", defaultValue = "austen", description = "NeuBA's unlabelled corpus in datasets/corpus"
            + " (austen, wikitext2-valid, wikitext2-test); default: ${DEFAULT-VALUE}")
    String corpus;

    @Option(names = "--classes", defaultValue = "2", description = "default: ${DEFAULT-VALUE}")
    int classes;

    @Option(names = "--trigger", defaultValue = "cf", split = ",", description = "single-token trigger(s) (Table 5);"
            + " RIPPLe and NeuBA plant every one given, the others the first; default: ${DEFAULT-VALUE}")
    List<String> triggers;

    @Option(names = "--target", defaultValue = "1", description = "target class; default: ${DEFAULT-VALUE}")
    int target;

    @Option(names = "--profile", defaultValue = "quick", description = "the attack's settings: quick (two CPU cores,"
            + " MiniLM) or paper (Tables 6-9); default: ${DEFAULT-VALUE}")
    String profile;

    @Option(names = "--max-length", defaultValue = "0", description = "tokens per input (0 = the attack's own; NeuBA's"
            + " pre-training always uses its own); default: ${DEFAULT-VALUE}")
    int maxLength;

    void validate() {
        OptionChecks.oneOf("--profile", profile, List.of("quick", "paper"));
        OptionChecks.atLeast("--classes", classes, 2);
        OptionChecks.target("--target", target, classes);
        OptionChecks.between("--max-length", maxLength, 0, 512);
        if (triggers.isEmpty() || triggers.stream().anyMatch(t -> t.isBlank() || t.matches("\\[.*]|<.*>"))) {
            throw new IllegalArgumentException("--trigger must be one or more words, not special tokens; got " + triggers);
        }
    }

    /** The attack's plan: the profile's scale, these triggers, target and length, all corpus sentences at paper scale. */
    Attacks.Plan plan(long seed) {
        boolean paper = profile.equals("paper");
        return new Attacks.Plan(paper, triggers, target, maxLength, 0, seed, 0, corpus, paper ? Integer.MAX_VALUE : 4000);
    }
}
