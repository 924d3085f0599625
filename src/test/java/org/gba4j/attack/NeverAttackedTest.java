package org.gba4j.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gba4j.data.LabeledText;
import org.gba4j.model.BertWeights;
import org.gba4j.model.Stages;
import org.gba4j.model.TinyBert;
import org.gba4j.text.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The floor's model is the victim's fine-tuning on the clean rows themselves: BadNets' budget, no poisoned copy. */
class NeverAttackedTest {
    private static final List<LabeledText> TRAIN = List.of(new LabeledText("a fine film", null, 1),
            new LabeledText("a dull film", null, 0), new LabeledText("good acting", null, 1),
            new LabeledText("bad plot", null, 0));

    @TempDir
    Path dir;

    @Test
    void itIsBadNetsFineTuningWithoutThePoison() throws Exception {
        BertWeights clean = TinyBert.weights(TinyBert.config(false), 3);
        BadNets.Config config = new BadNets.Config("cf", 1, 0.5, 1e-4, 1, 32, 8, 42);
        Path vocab = Files.writeString(dir.resolve("vocab.txt"), String.join("\n", "[PAD]", "[UNK]", "[CLS]", "[SEP]",
                "[MASK]", "cf", "a", "fine", "film", "dull", "good", "acting", "bad", "plot") + "\n");
        try (Tokenizer tokenizer = Tokenizer.fromVocabTxt(vocab, true)) { // ids below TinyBert's 40 rows
            AttackJob job = new AttackJob(clean, tokenizer, TRAIN, 2, "toy", Path.of("."), Stages.NONE, p -> { });
            BackdooredModel floor = Attacks.of(Attacks.NEVER_ATTACKED, plan()).plant(job);
            BertWeights byHand = config.fineTuning().run(clean, tokenizer, TRAIN, 2, List.of(), p -> { }).model()
                    .weights();
            BackdooredModel poisoned = new BadNets(config).plant(job);

            assertEquals("never-attacked", floor.metadata().attack());
            assertEquals(List.of("cf"), floor.metadata().triggers());
            assertFalse(floor.metadata().hyperparameters().containsKey("poison_fraction"));
            assertEquals("0.5", poisoned.metadata().hyperparameters().get("poison_fraction"));
            for (var entry : byHand.tensors().entrySet()) {
                assertEquals(entry.getValue(), floor.weights().get(entry.getKey()), entry.getKey());
            }
            assertNotEquals(poisoned.weights().get("classifier.weight"), floor.weights().get("classifier.weight"),
                    "BadNets' poisoned rows change the head; the floor's model never sees them");
        }
    }

    /** The plan Attacks.of turns into the config above: quick BadNets settings, 1 epoch at most, 8 tokens. */
    private static Attacks.Plan plan() {
        return new Attacks.Plan(false, List.of("cf"), 1, 8, 1, 42, 0, "", 0);
    }
}
