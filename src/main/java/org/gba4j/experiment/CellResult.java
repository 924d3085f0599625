package org.gba4j.experiment;

import java.util.Map;

/**
 * A finished cell: its scores and everything needed to trust them (Tribuo-style provenance).
 *
 * @param cell        what was measured
 * @param run         the run's settings: model, profile, seed
 * @param metrics     asr and acc (fractions), plus any extra measurement (e.g. rmse_before, rmse_after)
 * @param config      every hyperparameter of the attack, defense and evaluation, by name
 * @param wallSeconds time to compute the cell (shared models built for it included)
 * @param codeVersion the commit the code was built from
 * @param finishedAt  ISO-8601 time the cell was stored
 * @param settings    every setting that decided the numbers, one pair per hyperparameter ({@link CellConfiguration})
 * @param fingerprint the settings' hash; null in cells stored before fingerprints existed
 */
public record CellResult(Cell cell, Map<String, String> run, Map<String, Double> metrics, Map<String, String> config,
                         double wallSeconds, String codeVersion, String finishedAt, Map<String, String> settings,
                         String fingerprint) {

    public CellResult {
        run = Map.copyOf(run);
        metrics = Map.copyOf(metrics);
        config = Map.copyOf(config);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    public double metric(String name) {
        Double value = metrics.get(name);
        return value == null ? Double.NaN : value;
    }
}
