package org.gba4j.attack;

import java.util.List;
import java.util.Map;
import org.gba4j.config.ConfigPairs;
import org.gba4j.data.LabeledText;

/**
 * One of the paper's attacks (appendix B) with its settings: plants a backdoor in a clean model.
 * Every implementation is a record of its typed settings and is built by {@link Attacks#of}, the
 * one place that knows the attacks' names.
 */
public interface Attack {

    /** The attack's name on the command line and in cells: one of {@link Attacks#NAMES}. */
    String name();

    /** The trigger words it plants (BadNets and Embedding Poisoning: one; RIPPLe and NeuBA: a list). */
    List<String> triggers();

    /** The backdoored model and what made it. */
    BackdooredModel plant(AttackJob job);

    /** Tokens per input the attack trains with (the victim's classifier keeps it). */
    int maxLength();

    /** Where the test inserts the triggers (B.2). */
    TriggerPosition testPosition();

    /** Triggers inserted per test text (RIPPLe: 1 or 3 by the texts' length; the others 1). */
    default int triggersPerTestText(List<LabeledText> test) {
        return 1;
    }

    /** Every setting that decides the planted weights, one pair each ({@link ConfigPairs}). */
    default Map<String, String> settings() {
        return ConfigPairs.write((Record) this);
    }

    /** The settings as one line, as stored models have recorded them since the first release. */
    String summary();
}
