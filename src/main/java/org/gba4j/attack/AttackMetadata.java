package org.gba4j.attack;

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
}
