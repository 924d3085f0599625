package org.gba4j.attack;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;

/**
 * The floor of an ASR: the victim's fine-tuning with BadNets' budget on the same clean rows, with no
 * poisoned copy, measured as the {@code mirrored} attack's test measures (its triggers, positions and
 * count). Inserting the triggers into a model that never saw them measures what they do by themselves (a
 * word that leans towards the target class, a classifier that already calls many rows the target, or
 * NeuBA's best-of-six-triggers rule), so a defense's ASR is read against this model's, not against zero.
 *
 * <p>Every attack's floor on a task shares one model: only the measurement differs. (A choice: BadNets'
 * budget stands for "the victim's clean fine-tuning" for every attack, NeuBA's victim recipe included.)
 *
 * @param config   the fine-tuning budget (BadNets'); its poison fraction is not used
 * @param mirrored the attack whose test this floor repeats
 */
public record NeverAttacked(BadNets.Config config, Attack mirrored) implements Attack {

    public NeverAttacked {
        if (mirrored instanceof NeverAttacked) {
            throw new IllegalArgumentException("a floor mirrors an attack, not another floor");
        }
    }

    /** {@code never-attacked-} and the mirrored attack's name. */
    @Override
    public String name() {
        return Attacks.floorOf(mirrored.name());
    }

    /** The triggers the floor is measured with (none is planted). */
    @Override
    public List<String> triggers() {
        return mirrored.triggers();
    }

    @Override
    public BackdooredModel plant(AttackJob job) {
        for (String trigger : triggers()) {
            Triggers.singleTokenId(trigger, job.tokenizer());
        }
        TextClassifier classifier = config.fineTuning().run(job.clean(), job.tokenizer(), job.train(), job.classes(),
                List.of(), job.progress());
        Map<String, String> hyperparameters = config.hyperparameters(false);
        hyperparameters.put("test_trigger_position", testPosition().name().toLowerCase(Locale.ROOT));
        AttackMetadata metadata = new AttackMetadata(name(), triggers(), config.target(),
                job.dataName() + " (" + job.train().size() + " examples, none poisoned)", config.seed(), hyperparameters);
        return new BackdooredModel(classifier.model().weights(), metadata);
    }

    @Override
    public int maxLength() {
        return config.maxLength();
    }

    /** Where the mirrored attack's test inserts its triggers, so the floor and the attacked cell are scored alike. */
    @Override
    public TriggerPosition testPosition() {
        return mirrored.testPosition();
    }

    @Override
    public int triggersPerTestText(List<LabeledText> test) {
        return mirrored.triggersPerTestText(test);
    }

    /** What the shared model is trained with: the same for every mirrored attack. */
    public String training() {
        return "NeverAttacked[" + config.fineTuning() + "]";
    }

    @Override
    public String summary() {
        return training() + " measured as " + mirrored.name() + " " + triggers();
    }
}
