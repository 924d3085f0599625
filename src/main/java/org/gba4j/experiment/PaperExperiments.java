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

    /**
     * The experiment a report names: a grid's name, or {@code NAME-aimed} ({@code NAME-aimed-held-out},
     * {@code NAME-aimed-both}) for its {@code --aim} ({@code --aim-held-out}, {@code --aim-both}) run, with
     * {@code -clsN} after it for {@code --aim-consistent N}, then {@code -pad} for {@code --aim-pull pad}.
     */
    public static java.util.Optional<Experiment> named(String name) {
        java.util.regex.Matcher cls = java.util.regex.Pattern.compile("-cls([1-9][0-9]{0,5})(?:-pad)?$").matcher(name);
        int consistent = cls.find() ? Integer.parseInt(cls.group(1)) : 0;
        for (Experiment e : all()) {
            if (e.name().equals(name)) {
                return java.util.Optional.of(e);
            }
            for (AimedExperiment.Scan scan : AimedExperiment.Scan.values()) {
                for (org.gba4j.prompt.TriggerScan.PullTarget pull : org.gba4j.prompt.TriggerScan.PullTarget.values()) {
                    AimedExperiment aimed = new AimedExperiment(e, scan, consistent, pull);
                    if (aimed.name().equals(name)) {
                        return java.util.Optional.of(aimed);
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }
}
