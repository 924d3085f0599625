package org.gba4j.experiment;

import java.util.List;
import org.gba4j.attack.Attacks;
import org.gba4j.classify.FineTuning;
import org.gba4j.defense.Nad;
import org.gba4j.io.PretrainedModel;
import org.gba4j.prompt.BroadcastSettings;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptMode;
import org.gba4j.prompt.TriggerScan;

/**
 * How big a grid run is: the model, how much of each dataset it uses, and every training budget.
 * Explicit and immutable, and written in full into each cell it computes.
 *
 * @param name          quick, medium, paper or smoke
 * @param model         the clean pre-trained model (minilm, bert-base or a path)
 * @param trainRows     clean training rows per task for every defense (a seeded random sample of the train split);
 *                      0 = all
 * @param attackRows    clean training rows per task the attacker fine-tunes its classifier on (the same seeded
 *                      shuffle, so the defender's rows are among them); 0 = {@code trainRows}. The No-Defense
 *                      classifier is the attacker's: a defense can only be judged on one that works
 * @param testRows      test rows per task (a seeded random sample of the test split); 0 = all
 * @param maxLengthCap  cap on Table 1's sequence length (0 = none)
 * @param learningRate  Adam step size of every defense (Clean-FT, NAD, NAD-C, PT, PT+soft, GBA)
 * @param epochs        epochs of every defense (section 5.3: 3)
 * @param batchSize     batch size of every defense (32)
 * @param nadBeta       NAD's distillation weight (appendix C searches 1000, 2000, 5000)
 * @param attackScale   true: the attacks' paper settings (Tables 6-9); false: their quick settings
 * @param neubaSteps    NeuBA pre-training steps (overrides the attack config when positive)
 * @param attackEpochCap cap on the attacks' epochs (0 = none)
 * @param promptFraction share of the whole training split that PT, PT+soft and GBA adapt on (sections 5.4 and
 *                       C: 5%, while Clean-FT and NAD use the full split); 0 = the same rows as every defense
 */
public record Profile(String name, String model, int trainRows, int attackRows, int testRows, int maxLengthCap,
                      double learningRate, int epochs, int batchSize, double nadBeta, boolean attackScale,
                      int neubaSteps, int attackEpochCap, double promptFraction) {

    /**
     * Two CPU cores, MiniLM: 200 clean training rows per task for every defense (1,000 for prompt adaptation of an
     * encoder never fine-tuned on the task: {@link #untunedAdaptsOnAttackerRows()}), 32 tokens, 3 epochs of Adam 1e-4
     * with batch 32 (21 steps per defense; a few dozen steps at 2e-5 barely move MiniLM, and the issue 5 run used the
     * same rate); 1,000 test rows, so a 10-point difference is beyond noise. The attacker fine-tunes on 1,000 rows:
     * on 200, MiniLM's classifier reaches 65.8% on MR's dev split (more epochs: 67.0; a larger rate or 64 tokens
     * do not help), on 1,000 76.6 (reports/quick-acc-floor.md), at about four times the attack's cost.
     */
    public static final Profile QUICK = new Profile("quick", PretrainedModel.MINILM, 200, 1000, 1000, 32, 1e-4, 3, 32,
            5000, false, 0, 0, 0);

    /**
     * The paper: bert-base-uncased, full splits (GBA, PT and PT+soft: 5% of the train split), Table 1
     * lengths, Adam 2e-5, 3 epochs, batch 32; a GPU job.
     */
    public static final Profile PAPER = new Profile("paper", PretrainedModel.BERT_BASE, 0, 0, 0, 0, 2e-5, 3, 32, 5000,
            true, 0, 0, 0.05);

    /**
     * bert-base-uncased with its masked-LM head on two CPU cores, for the question MiniLM cannot answer (it has no
     * masked-LM head, so its p(w|x) at [MASK] is nearly uniform): PT, PT+soft and GBA adapt on 5% of the training
     * split as in the paper (sections 5.4, C), at Table 1's lengths and the paper's Adam 2e-5; the attacker
     * fine-tunes on a 500-row sample with the quick attack settings, and 1,000 test rows are scored. Hours per task:
     * a bert-base step at 32 x 64 takes about 30 s here.
     */
    public static final Profile MEDIUM = new Profile("medium", PretrainedModel.BERT_BASE, 500, 0, 1000, 0, 2e-5, 3, 32,
            5000, false, 0, 0, 0.05);

    /**
     * Minutes, not hours: 64 training rows (RIPPLe's surgery needs 10 important words per class), 32
     * test rows, 1 epoch, 8 NeuBA steps. Checks the machinery, not the paper (the tests use it).
     */
    public static final Profile SMOKE = new Profile("smoke", PretrainedModel.MINILM, 64, 0, 32, 32, 1e-4, 1, 16, 5000,
            false, 8, 1, 0);

    public static Profile of(String name) {
        return switch (name) {
            case "quick" -> QUICK;
            case "medium" -> MEDIUM;
            case "paper" -> PAPER;
            case "smoke" -> SMOKE;
            default -> throw new IllegalArgumentException("--profile must be quick, medium, paper or smoke, got " + name);
        };
    }

    public Profile withModel(String newModel) {
        return new Profile(name, newModel, trainRows, attackRows, testRows, maxLengthCap, learningRate, epochs, batchSize,
                nadBeta, attackScale, neubaSteps, attackEpochCap, promptFraction);
    }

    public Profile withTestRows(int rows) {
        return new Profile(name, model, trainRows, attackRows, rows, maxLengthCap, learningRate, epochs, batchSize,
                nadBeta, attackScale, neubaSteps, attackEpochCap, promptFraction);
    }

    /** The attacker's clean rows per task: {@code attackRows}, or {@code trainRows} where it is 0. */
    public int attackerRows() {
        return attackRows > 0 ? attackRows : trainRows;
    }

    /**
     * Whether prompt-based adaptation (PT, PT+soft, GBA) of an encoder never fine-tuned on the task (NeuBA's downloaded
     * encoder, its floor's clean model) gets the attacker's rows instead of {@code trainRows}: where the profile sets no
     * {@code promptFraction} (the paper's 5% is explicit and stays) and the attacker has more rows than the defenses.
     *
     * <p>Why: such an adaptation must teach the task from scratch, which the No-Defense victim it is compared with
     * learned from the attacker's rows, and {@code trainRows} is sized for adapting a classifier that already knows the
     * task. On the quick profile's 200 rows (21 steps) prompt tuning of MiniLM, which has no masked-LM head, is a coin
     * toss: dev ACC 76.4 or 54.5 on Yelp by sample, 54.0-56.5 on MR; on the 1,000 attacker rows 89.7-90.9 and
     * 73.2-75.7 (reports/neuba-budget.md; the rows more than the steps: 200 rows for 15 epochs gave 85.9 and 69.9).
     */
    public boolean untunedAdaptsOnAttackerRows() {
        return promptFraction == 0 && trainRows > 0 && attackerRows() > trainRows;
    }

    /** The sequence length used on a task: Table 1's, capped by the profile. */
    public int maxLength(PaperDataset dataset) {
        return maxLengthCap > 0 ? Math.min(maxLengthCap, dataset.maxLength()) : dataset.maxLength();
    }

    /** Clean-FT, NAD's teacher, and every head fine-tune of a defense. */
    public FineTuning fineTuning(PaperDataset dataset, long seed) {
        return new FineTuning(learningRate, epochs, batchSize, maxLength(dataset), seed);
    }

    public Nad nad(PaperDataset dataset, long seed) {
        return new Nad(nadBeta, fineTuning(dataset, seed));
    }

    /** Prompt-based adaptation (Table 12's rows) with the paper's template width 2 and lambda 0.5. */
    public PromptConfig prompt(PromptMode mode, PaperDataset dataset, long seed) {
        return new PromptConfig(mode, mode.usesTemplate() ? 2 : 0,
                mode.usesBroadcast() ? BroadcastSettings.literal(0.5) : BroadcastSettings.NONE, TriggerScan.Config.OFF, 1.0,
                "adam",
                learningRate, 0, epochs, batchSize, maxLength(dataset), seed);
    }

    /**
     * What this profile decides for every attack on {@code task}: the tables' or the quick settings,
     * the task's target and length, the epoch cap, the seed, NeuBA's steps and its corpus (Jane
     * Austen's novels; all sentences at paper scale, 4,000 otherwise).
     */
    public Attacks.Plan attackPlan(PaperDataset task, List<String> triggers, long seed) {
        return new Attacks.Plan(attackScale, triggers, task.target(), maxLength(task), attackEpochCap, seed, neubaSteps,
                "austen", attackScale ? Integer.MAX_VALUE : 4000);
    }
}
