package org.gba4j.experiment;

import java.util.List;
import java.util.Map;
import org.gba4j.attack.TriggerPosition;
import org.gba4j.model.BertWeights;

/**
 * A backdoored model as a defender receives it, and how its backdoor is measured.
 *
 * @param classifier the No-Defense classifier (weights with a head): the backdoored classifier, or
 *                   for NeuBA the victim's clean fine-tune of the backdoored encoder
 * @param encoder    what prompt-based adaptation starts from: the same weights, or NeuBA's
 *                   backdoored pre-trained encoder (a user adapts the downloaded model)
 * @param probes     each trigger set and the class it should force; the attack's ASR is the best probe's
 * @param position   where the test inserts triggers (B.2)
 * @param count      triggers per test text (RIPPLe: 1 or 3 by sentence length; otherwise 1)
 * @param config     the attack's hyperparameters, for the cell's provenance
 */
public record Backdoor(BertWeights classifier, BertWeights encoder, List<Probe> probes, TriggerPosition position,
                       int count, Map<String, String> config) {

    /** A trigger set inserted at test time and the class it forces. */
    public record Probe(List<String> triggers, int target) {
        public Probe {
            triggers = List.copyOf(triggers);
        }
    }

    public Backdoor {
        probes = List.copyOf(probes);
        config = Map.copyOf(config);
    }
}
