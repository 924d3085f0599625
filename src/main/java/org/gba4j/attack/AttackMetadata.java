package org.gba4j.attack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What made a backdoored checkpoint: written beside it, so every number measured on it can be traced.
 *
 * @param attack          badnets, neuba, ripple or ep
 * @param triggers        the planted trigger words
 * @param target          the target class (-1 for NeuBA, whose triggers map to vectors, not classes)
 * @param data            the data the attacker used (dataset/split and size)
 * @param seed            the random seed
 * @param hyperparameters everything else, by name
 */
public record AttackMetadata(String attack, List<String> triggers, int target, String data, long seed,
                             Map<String, String> hyperparameters) {

    public AttackMetadata {
        triggers = List.copyOf(triggers);
        hyperparameters = Map.copyOf(hyperparameters);
    }

    /** As a checkpoint's metadata: {@code gba4j.attack}, {@code .triggers}, ..., each hyperparameter as {@code gba4j.hp.NAME}. */
    public Map<String, String> provenance() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("gba4j.attack", attack);
        out.put("gba4j.triggers", String.join(",", triggers));
        out.put("gba4j.target", Integer.toString(target));
        out.put("gba4j.data", data);
        out.put("gba4j.seed", Long.toString(seed));
        hyperparameters.forEach((k, v) -> out.put("gba4j.hp." + k, v));
        return out;
    }
}
