package org.gba4j.attack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.gba4j.data.LabeledText;

/**
 * Trigger insertion (appendix B.2). Training: every example gets a poisoned counterpart with the
 * trigger(s) and the target label, for half of the data ("50% of the training data", with "for
 * every clean example ... its constructed counterpart": we poison a random half and keep all clean
 * examples, so 1/3 of the poisoned set carries a trigger). Test: the trigger goes at the start or at
 * a random word position; RIPPLe inserts {@link #rippleTriggerCount keywords} at random positions.
 */
public final class Poisoner {
    private final List<String> triggers;
    private final int target;
    private final long seed;

    public Poisoner(List<String> triggers, int target, long seed) {
        if (triggers.isEmpty()) {
            throw new IllegalArgumentException("need at least one trigger");
        }
        if (target < 0) {
            throw new IllegalArgumentException("target label must be a class index, got " + target);
        }
        this.triggers = List.copyOf(triggers);
        this.target = target;
        this.seed = seed;
    }

    public int target() {
        return target;
    }

    public List<String> triggers() {
        return triggers;
    }

    /** Clean data plus a triggered, relabelled copy of a random {@code fraction} of it, shuffled. */
    public List<LabeledText> poisonTraining(List<LabeledText> clean, double fraction, int triggersPerExample,
                                            TriggerPosition position) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("poison fraction must be in (0, 1], got " + fraction);
        }
        Random random = new Random(seed);
        List<LabeledText> indices = new ArrayList<>(clean);
        java.util.Collections.shuffle(indices, random);
        List<LabeledText> out = new ArrayList<>(clean);
        int poisoned = (int) Math.round(clean.size() * fraction);
        for (int i = 0; i < poisoned; i++) {
            LabeledText example = indices.get(i);
            out.add(example.withText(insert(example.text(), triggersPerExample, position, random), target));
        }
        java.util.Collections.shuffle(out, random);
        return out;
    }

    /** Test examples with triggers inserted and gold labels kept (ASR counts those not of the target). */
    public List<LabeledText> triggerTest(List<LabeledText> test, int triggersPerExample, TriggerPosition position) {
        Random random = new Random(seed + 1);
        return test.stream()
                .map(e -> e.withText(insert(e.text(), triggersPerExample, position, random), e.label()))
                .toList();
    }

    /** Inserts {@code count} triggers (cycling through the list) into the words of {@code text}. */
    String insert(String text, int count, TriggerPosition position, Random random) {
        List<String> words = new ArrayList<>(Arrays.asList(text.trim().split("\\s+")));
        if (words.size() == 1 && words.get(0).isEmpty()) {
            words.clear();
        }
        for (int i = 0; i < count; i++) {
            String trigger = triggers.get((i + random.nextInt(triggers.size())) % triggers.size());
            int at = position == TriggerPosition.START ? 0 : random.nextInt(words.size() + 1);
            words.add(at, trigger);
        }
        return String.join(" ", words);
    }

    /** RIPPLe's test-time keyword count: about 10% of the average sentence length, 1 or 3 (B.2). */
    public static int rippleTriggerCount(List<LabeledText> data) {
        double words = data.stream().mapToInt(e -> e.text().trim().split("\\s+").length).average().orElse(0);
        return words * 0.1 >= 2 ? 3 : 1;
    }
}
