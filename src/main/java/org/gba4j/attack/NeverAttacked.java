package org.gba4j.attack;

import java.util.List;
import org.gba4j.classify.TextClassifier;

/**
 * The floor of an ASR: the victim's fine-tuning with BadNets' budget on the same clean rows, with no
 * poisoned copy. Inserting the trigger into a model that never saw it measures what the trigger does by
 * itself (a word that leans towards the target class, or a classifier that already calls many rows the
 * target), so a defense's ASR is read against this model's, not against zero.
 */
public record NeverAttacked(BadNets.Config config) implements Attack {

    @Override
    public String name() {
        return Attacks.NEVER_ATTACKED;
    }

    /** The trigger the floor is measured with (none is planted). */
    @Override
    public List<String> triggers() {
        return List.of(config.trigger());
    }

    @Override
    public BackdooredModel plant(AttackJob job) {
        Triggers.singleTokenId(config.trigger(), job.tokenizer());
        TextClassifier classifier = config.fineTuning().run(job.clean(), job.tokenizer(), job.train(), job.classes(),
                List.of(), job.progress());
        AttackMetadata metadata = new AttackMetadata(Attacks.NEVER_ATTACKED, List.of(config.trigger()), config.target(),
                job.dataName() + " (" + job.train().size() + " examples, none poisoned)", config.seed(),
                config.hyperparameters(false));
        return new BackdooredModel(classifier.model().weights(), metadata);
    }

    @Override
    public int maxLength() {
        return config.maxLength();
    }

    /** Where BadNets inserts its trigger, so the floor and the attacked cell are scored alike. */
    @Override
    public TriggerPosition testPosition() {
        return TriggerPosition.START;
    }

    @Override
    public String summary() {
        return "NeverAttacked[" + config + "]";
    }
}
