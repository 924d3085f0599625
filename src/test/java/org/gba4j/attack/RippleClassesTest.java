package org.gba4j.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.gba4j.data.LabeledText;
import org.junit.jupiter.api.Test;

/** RIPPLe's classifiers have as many classes as the task (AG News: 4), not a fixed two. */
class RippleClassesTest {
    @Test
    void classesComeFromTheData() {
        assertEquals(4, Ripple.classes(List.of(LabeledText.single("a", 0), LabeledText.single("b", 3))));
        assertEquals(2, Ripple.classes(List.of(LabeledText.single("a", 1), LabeledText.single("b", 0))));
        assertEquals(2, Ripple.classes(List.of(LabeledText.single("a", 0))), "a one-class slice still gets two");
    }
}
