package org.gba4j.experiment;

import java.util.List;

/** Every experiment the jar runs, in the order {@code list} shows them. */
public final class PaperExperiments {
    private PaperExperiments() {
    }

    public static List<Experiment> all() {
        return List.of(new Table2(), new Table12(), new Table3(), new Fig2(), new Fig3(), new Fig4(), new Table4(), new Table10(),
                new Table11());
    }
}
