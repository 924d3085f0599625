package org.gba4j.cli;

import java.util.List;
import org.gba4j.classify.FineTuning;
import org.gba4j.data.LabeledText;
import org.gba4j.defense.Defense;
import org.gba4j.defense.Defenses;
import org.gba4j.prompt.PromptEncoder;
import org.gba4j.text.Tokenizer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The training budget every adaptation shares (a picocli mixin): rate, epochs, batch, length and seed. */
final class TrainingOptions {

    @Option(names = "--lr", defaultValue = "2e-5", description = "learning rate; default: ${DEFAULT-VALUE}")
    double learningRate;

    @Option(names = "--epochs", defaultValue = "3", description = "default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "default: ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--max-length", defaultValue = "64",
            description = "tokens per input, a prompt's template included; default: ${DEFAULT-VALUE}")
    int maxLength;

    @Mixin
    SeedOption seed;

    /** Checks the values; {@code minLength} is the shortest input the method can use. */
    void validate(int minLength) {
        OptionChecks.positive("--lr", learningRate);
        OptionChecks.atLeast("--epochs", epochs, 1);
        OptionChecks.atLeast("--batch", batch, 1);
        OptionChecks.between("--max-length", maxLength, minLength, 512);
    }

    /** Says how many texts a prompt-based defense's length cuts (its template included). */
    void noteTruncated(Tokenizer tokenizer, List<LabeledText> data, Defense defense) {
        if (!(defense instanceof Defenses.PromptAdaptation prompt)) {
            return;
        }
        long truncated = new PromptEncoder(tokenizer, prompt.config().templateWidth(), maxLength).countTruncated(data);
        if (truncated > 0) {
            System.out.printf("note: %d of %d texts are longer than --max-length %d allows and are truncated%n", truncated,
                    data.size(), maxLength);
        }
    }

    FineTuning fineTuning() {
        return new FineTuning(learningRate, epochs, batch, maxLength, seed.seed);
    }
}
