package org.gba4j.experiment;

import java.util.Map;
import java.util.TreeMap;

/**
 * One measurement of a grid: a defense applied to one attack on one task. Cells are shared across
 * experiments: table12's PT+soft+GB cell is table2's GBA cell, so it is computed once.
 *
 * @param dataset  task folder (Table 1)
 * @param attack   badnets, neuba, ripple or ep
 * @param trigger  the planted trigger (NeuBA and RIPPLe plant the Table 5 list; this names the list)
 * @param defense  none, clean-ft, nad, nad-c, pt, pt-soft or gba
 * @param params   what else varies in a grid (lambda, width, fraction, adapt_to), by name
 */
public record Cell(String dataset, String attack, String trigger, String defense, Map<String, String> params) {

    public Cell {
        params = Map.copyOf(new TreeMap<>(params));
    }

    public Cell(String dataset, String attack, String trigger, String defense) {
        this(dataset, attack, trigger, defense, Map.of());
    }

    public Cell with(String key, String value) {
        Map<String, String> more = new TreeMap<>(params);
        more.put(key, value);
        return new Cell(dataset, attack, trigger, defense, more);
    }

    public String param(String key, String fallback) {
        return params.getOrDefault(key, fallback);
    }

    /** A stable, readable file name: every field, parameters in name order. */
    public String id() {
        StringBuilder out = new StringBuilder().append(dataset).append('_').append(attack).append('-').append(trigger)
                .append('_').append(defense);
        new TreeMap<>(params).forEach((k, v) -> out.append('_').append(k).append('=').append(v));
        return out.toString().replaceAll("[^A-Za-z0-9_.=-]", "-");
    }

    @Override
    public String toString() {
        return id();
    }
}
