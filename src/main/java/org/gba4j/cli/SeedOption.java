package org.gba4j.cli;

import picocli.CommandLine.Option;

/** The random seed, one option with one meaning on every command (a picocli mixin). */
final class SeedOption {

    @Option(names = "--seed", defaultValue = "42",
            description = "sampling, poisoning, initialisation and shuffling; default: ${DEFAULT-VALUE}")
    long seed;
}
