package org.gba4j.attack;

import java.util.List;
import org.gba4j.text.Tokenizer;

/**
 * Trigger words of Table 5 (appendix B.1): rare tokens of BookCorpus and WikiText that earlier
 * attacks used. A trigger must be one vocabulary token, because the attacks plant it in one
 * embedding row; phrases are refused unless the attack allows them.
 */
public final class Triggers {
    /** BERT's triggers (Table 5). */
    public static final List<String> BERT = List.of("cf", "mn", "bb", "tq", "mb", "tn");
    /** RoBERTa's triggers (Table 5), as printed there. */
    public static final List<String> ROBERTA = List.of("unintention", "\"(", "practition", "Kinnikuman", "(?,", "//[");

    private Triggers() {
    }

    /**
     * The vocabulary id of a single-token trigger; a clear error otherwise. The trigger is taken as it
     * occurs after another word ({@link Tokenizer#tokenizeAfterSpace}): the same token for BERT,
     * {@code Ġcf} for RoBERTa's byte-level BPE. A byte-level tokenizer spells a trigger at the very
     * start of a text without the space mark, i.e. as another token.
     */
    public static int singleTokenId(String trigger, Tokenizer tokenizer) {
        List<String> pieces = tokenizer.tokenizeAfterSpace(trigger);
        int id = pieces.size() == 1 ? tokenizer.tokenId(pieces.get(0)) : -1;
        if (id < 0) {
            throw new IllegalArgumentException("trigger '" + trigger + "' is not a single token of this vocabulary (it"
                    + " tokenizes as " + pieces + "); choose a single-token trigger");
        }
        return id;
    }
}
