package org.gba4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gba4j.classify.TextClassifier;
import org.junit.jupiter.api.Test;

/** A command's progress line: training by epoch, step and loss; a one-pass stage by its own name and step. */
class ProgressTest {

    @Test
    void trainingShowsEpochAndLossAndAStageItsNameAndStep() {
        assertEquals("epoch 2/3 step 4/10 loss 0.2500  1.5 s/step  elapsed 0:00:21  left ~0:00:24",
                Progress.line(new TextClassifier.Progress(2, 3, 4, 10, 0.25, 1.0), 1.5, 21));
        assertEquals("probe: [CLS] in front of clean row 1 of 3 13/45  4.0 s/step  elapsed 0:00:52  left ~0:02:08",
                Progress.line(TextClassifier.Progress.of("probe: [CLS] in front of clean row 1 of 3", 13, 45, 4.0), 4.0, 52));
    }
}
