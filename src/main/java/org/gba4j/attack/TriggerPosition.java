package org.gba4j.attack;

/** Where test-time triggers go (appendix B.2). */
public enum TriggerPosition {
    /** BadNets and NeuBA: at the beginning of the sentence. */
    START,
    /** Embedding Poisoning: at a random word position, as in its official code. */
    RANDOM
}
