package org.gba4j.experiment;

import java.util.Map;
import java.util.TreeMap;
import org.gba4j.attack.Attacks;
import org.gba4j.config.ConfigPairs;
import org.gba4j.defense.Defenses;

/**
 * Every setting that decides a cell's numbers, one pair per hyperparameter: the profile (model,
 * data sizes, lengths, budgets), the seed, the attack's and the defense's typed settings, and the
 * cell's own parameters. Its fingerprint is stored with the cell, so a stored cell is reused only
 * while every one of these is unchanged.
 */
final class CellConfiguration {

    private CellConfiguration() {
    }

    static Map<String, String> of(Cell cell, Profile profile, long seed) {
        PaperDataset task = PaperDataset.of(cell.dataset());
        Map<String, String> out = new TreeMap<>(ConfigPairs.write("profile", profile));
        out.put("seed", Long.toString(seed));
        Attacks.of(cell.attack(), profile.attackPlan(task, Backdoors.triggers(cell.trigger()), seed)).settings()
                .forEach((k, v) -> out.put("attack." + k, v));
        new DefenseStage(null, profile, null, seed).defense(cell, task).settings()
                .forEach((k, v) -> out.put("defense." + k, v));
        if (adaptsOnAttackerRows(cell, profile)) {
            // only where it applies, so no other cell's fingerprint changed when the rule came
            out.put("defense.untuned_encoder_rows", Integer.toString(profile.attackerRows()));
        }
        if (furtherAdaptsOnAttackerRows(cell, profile)) {
            out.put("adapt.untuned_encoder_rows", Integer.toString(profile.attackerRows()));
        }
        cell.params().forEach((k, v) -> out.put("cell." + k, v));
        return out;
    }

    /**
     * Whether a Table 4 cell's further adaptation to a new task fits that task's attacker rows: no encoder of the cell
     * has learned the new task, so on a profile that gives such encoders the attacker's rows (as prompt adaptation of
     * an untuned encoder gets them) all three models, raw, GBA- and NAD-C-defended, adapt on those same rows. On
     * 200 rows prompt tuning of an encoder that never saw MR stays at chance (47.2 in a first quick run), which would
     * charge the profile's budget to GBA.
     */
    static boolean furtherAdaptsOnAttackerRows(Cell cell, Profile profile) {
        return !cell.param("adapt_to", "").isEmpty() && profile.untunedAdaptsOnAttackerRows();
    }

    /**
     * Whether {@code cell}'s defense adapts on the attacker's rows: prompt adaptation of an encoder never fine-tuned on
     * the task, on a profile that says so ({@link Profile#untunedAdaptsOnAttackerRows()}), unless the cell sets its own
     * share of the data ({@code fraction}).
     */
    static boolean adaptsOnAttackerRows(Cell cell, Profile profile) {
        return Defenses.promptBased(cell.defense()) && !cell.params().containsKey("fraction")
                && promptAdaptsOnAttackerRows(cell.attack(), profile);
    }

    /**
     * Whether prompt adaptation against {@code attack} fits the attacker's rows: its encoder was never fine-tuned on
     * the task, and the profile says so. The grids' cells and the diagnosis both decide by this.
     */
    static boolean promptAdaptsOnAttackerRows(String attack, Profile profile) {
        return Backdoors.adaptsUntunedEncoder(attack) && profile.untunedAdaptsOnAttackerRows();
    }

    static String fingerprint(Cell cell, Profile profile, long seed) {
        return ConfigPairs.fingerprint(of(cell, profile, seed));
    }
}
