package org.gba4j.classify;

import java.util.List;
import org.gba4j.data.LabeledText;
import org.gba4j.train.MaskedTokenBatch;

/** Turns labelled examples into a scored batch: where the head reads, and what it should output. */
@FunctionalInterface
public interface BatchEncoder {
    MaskedTokenBatch batch(List<LabeledText> examples);
}
