package org.gba4j.attack;

import org.gba4j.model.BertWeights;

/**
 * The result of an attack: weights (with a classification head when the attack fine-tuned one) and
 * what made them.
 */
public record BackdooredModel(BertWeights weights, AttackMetadata metadata) {
}
