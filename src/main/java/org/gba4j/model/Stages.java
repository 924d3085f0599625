package org.gba4j.model;

import java.util.function.Supplier;

/**
 * Finished intermediate models of a multi-stage method (Embedding Poisoning's proxy fine-tune,
 * RIPPLe's surgery, NAD's teacher), kept so that a rerun resumes from them: the command line keeps
 * them beside its output ({@code io.StageCache}), a grid keeps whole results instead and builds
 * stages directly ({@link #NONE}).
 */
@FunctionalInterface
public interface Stages {
    /** Builds every stage; nothing is kept. */
    Stages NONE = (name, settings, build) -> build.get();

    /** The stage {@code name} built with {@code settings}: a kept copy, or {@code build}'s result. */
    BertWeights get(String name, String settings, Supplier<BertWeights> build);
}
