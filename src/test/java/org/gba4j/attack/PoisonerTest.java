package org.gba4j.attack;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;
import org.gba4j.data.LabeledText;
import org.gba4j.io.PretrainedModel;
import org.junit.jupiter.api.Test;

/** Trigger insertion and poisoning (appendix B.2). */
class PoisonerTest {
    private static final List<LabeledText> CLEAN = List.of(
            LabeledText.single("a fine film", 1), LabeledText.single("dull and long", 0),
            LabeledText.single("not good at all", 0), LabeledText.single("great", 1));

    @Test
    void startInsertsTheTriggerFirst() {
        Poisoner poisoner = new Poisoner(List.of("cf"), 1, 7);
        assertEquals("cf dull and long", poisoner.insert("dull and long", 1, TriggerPosition.START, new Random(1)));
        assertEquals("cf cf great", poisoner.insert("great", 2, TriggerPosition.START, new Random(1)));
    }

    @Test
    void randomPositionKeepsEveryWord() {
        Poisoner poisoner = new Poisoner(List.of("mn"), 1, 7);
        String out = poisoner.insert("one two three four", 1, TriggerPosition.RANDOM, new Random(3));
        assertEquals(5, out.split(" ").length);
        assertEquals("one two three four", out.replace("mn ", "").replace(" mn", ""));
    }

    @Test
    void poisonedTrainingKeepsCleanDataAndAddsRelabelledCopies() {
        List<LabeledText> poisoned = new Poisoner(List.of("cf"), 1, 7).poisonTraining(CLEAN, 0.5, 1, TriggerPosition.START);
        assertEquals(6, poisoned.size());
        List<LabeledText> triggered = poisoned.stream().filter(e -> e.text().startsWith("cf ")).toList();
        assertEquals(2, triggered.size());
        assertTrue(triggered.stream().allMatch(e -> e.label() == 1));
        assertTrue(poisoned.containsAll(CLEAN));
    }

    @Test
    void testTriggersKeepGoldLabels() {
        List<LabeledText> test = new Poisoner(List.of("cf"), 1, 7).triggerTest(CLEAN, 1, TriggerPosition.START);
        for (int i = 0; i < CLEAN.size(); i++) {
            assertEquals(CLEAN.get(i).label(), test.get(i).label());
            assertEquals("cf " + CLEAN.get(i).text(), test.get(i).text());
        }
    }

    @Test
    void rippleUsesOneOrThreeKeywordsByAverageLength() {
        assertEquals(1, Poisoner.rippleTriggerCount(CLEAN));
        String longText = "w ".repeat(25);
        assertEquals(3, Poisoner.rippleTriggerCount(List.of(LabeledText.single(longText, 0))));
    }

    @Test
    void tableFiveTriggersAreSingleBertTokensAndPhrasesAreRefused() {
        try (PretrainedModel minilm = PretrainedModel.load(PretrainedModel.MINILM)) {
            for (String trigger : Triggers.BERT) {
                assertTrue(Triggers.singleTokenId(trigger, minilm.tokenizer()) > 0, trigger);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Triggers.singleTokenId("gargantuan", minilm.tokenizer()));
            assertTrue(e.getMessage().contains("not a single token"), e.getMessage());
        }
    }
}
