package org.gba4j.cli;

import org.gba4j.io.PretrainedModel;
import picocli.CommandLine.Option;

/** The head defenses' options on {@code defend} (Clean-FT, NAD, NAD-C; section 4.2) (a picocli mixin). */
final class NadOptions {

    @Option(names = "--classes", defaultValue = "0",
            description = "classes of a head classifier (clean-ft, nad, nad-c); default: the number of label words")
    int classes;

    @Option(names = "--beta", defaultValue = "5000", description = "NAD's distillation weight; the paper searches 1000, 2000,"
            + " 5000; default: ${DEFAULT-VALUE}")
    double beta;

    @Option(names = "--clean-model", defaultValue = PretrainedModel.MINILM,
            description = "NAD-C's clean pre-trained student; default: ${DEFAULT-VALUE}")
    String cleanModel;

    void validate() {
        OptionChecks.nonNegative("--beta", beta);
        if (classes != 0) {
            OptionChecks.atLeast("--classes", classes, 2);
        }
    }
}
