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

    /** The experiment a report names: a grid's name, or {@code NAME-aimed} for its {@code --aim} run. */
    public static java.util.Optional<Experiment> named(String name) {
        for (Experiment e : all()) {
            if (e.name().equals(name)) {
                return java.util.Optional.of(e);
            }
            if (new AimedExperiment(e).name().equals(name)) {
                return java.util.Optional.of(new AimedExperiment(e));
            }
        }
        return java.util.Optional.empty();
    }
}
