package org.gba4j.attack;

import java.util.List;

/**
 * The registry of attacks: their names, and each attack's settings from a {@link Plan}. The command
 * line ({@code attack --method}) and the grids both build attacks here.
 */
public final class Attacks {
    public static final String BADNETS = "badnets";
    public static final String EP = "ep";
    public static final String RIPPLE = "ripple";
    public static final String NEUBA = "neuba";
    /**
     * Not an attack: the victim's fine-tuning with BadNets' budget and no poison ({@link NeverAttacked}), the
     * floor a grid reads an ASR against, named {@code never-attacked-<attack>} after the attack whose test it
     * repeats ({@link #floorOf}). Grids only: {@code attack --method} plants backdoors.
     */
    public static final String NEVER_ATTACKED = "never-attacked";

    /** Every attack. */
    public static final List<String> NAMES = List.of(BADNETS, EP, RIPPLE, NEUBA);

    /**
     * What the caller decides for any attack; each attack takes its own settings from Tables 6-9
     * ({@code paperScale}) or its quick CPU settings and applies these on top.
     *
     * @param paperScale     the tables' settings rather than the quick ones
     * @param triggers       the trigger words: RIPPLe and NeuBA plant all, BadNets and EP the first
     * @param target         the target class (NeuBA has none: its triggers map to vectors)
     * @param maxLength      tokens per input; 0 = the attack's own (NeuBA's pre-training always uses its own)
     * @param epochCap       at most this many epochs in any stage; 0 = no cap
     * @param seed           poisoning, initialisation and shuffling
     * @param neubaSteps     NeuBA's pre-training steps; 0 = its own
     * @param corpus         NeuBA's unlabelled corpus (a name in datasets/corpus)
     * @param corpusLimit    at most this many corpus sentences
     */
    public record Plan(boolean paperScale, List<String> triggers, int target, int maxLength, int epochCap, long seed,
                       int neubaSteps, String corpus, int corpusLimit) {
        public Plan {
            triggers = List.copyOf(triggers);
            if (triggers.isEmpty()) {
                throw new IllegalArgumentException("an attack needs at least one trigger word");
            }
        }

        int epochs(int own) {
            return epochCap > 0 ? Math.min(own, epochCap) : own;
        }

        int maxLength(int own) {
            return maxLength > 0 ? maxLength : own;
        }
    }

    private Attacks() {
    }

    /** The attack {@code name} with {@code plan}'s settings. */
    public static Attack of(String name, Plan plan) {
        String trigger = plan.triggers().get(0);
        if (isFloor(name)) {
            return new NeverAttacked(badNets(plan, trigger), of(attackOf(name), plan));
        }
        return switch (name) {
            case BADNETS -> new BadNets(badNets(plan, trigger));
            case EP -> {
                EmbeddingPoisoning.Config c = plan.paperScale() ? EmbeddingPoisoning.Config.paper(trigger, plan.target())
                        : EmbeddingPoisoning.Config.quick(trigger, plan.target());
                yield new EmbeddingPoisoning(new EmbeddingPoisoning.Config(trigger, plan.target(), c.poisonFraction(),
                        c.learningRate(), plan.epochs(c.epochs()), c.batchSize(), plan.maxLength(c.maxLength()), plan.seed()),
                        badNets(plan, trigger).fineTuning()); // the attacker's proxy: BadNets' budget on clean data
            }
            case RIPPLE -> {
                Ripple.Config c = plan.paperScale() ? Ripple.Config.paper() : Ripple.Config.quick();
                yield new Ripple(plan.triggers(), plan.target(), new Ripple.Config(c.lambda(), c.learningRate(),
                        plan.epochs(c.epochs()), c.maxSteps(), c.batchSize(), c.postTrainLr(), plan.epochs(c.postTrainEpochs()),
                        c.postTrainBatch(), c.surgeryWords(), c.poisonFraction(), plan.maxLength(c.maxLength()),
                        c.relativeStep(), c.centralDifferences()), plan.seed());
            }
            case NEUBA -> {
                NeuBA.Config c = plan.paperScale() ? NeuBA.Config.paper() : NeuBA.Config.quick();
                yield new NeuBA(plan.triggers(), plan.neubaSteps() > 0 ? c.withSteps(plan.neubaSteps()) : c, plan.corpus(),
                        plan.corpusLimit(), plan.seed());
            }
            default -> throw new IllegalArgumentException("unknown attack '" + name + "'; choose "
                    + String.join(", ", NAMES));
        };
    }

    /** The floor measured as {@code attack}'s test measures: {@code never-attacked-<attack>}. */
    public static String floorOf(String attack) {
        if (!NAMES.contains(attack)) {
            throw new IllegalArgumentException("unknown attack '" + attack + "'; choose " + String.join(", ", NAMES));
        }
        return NEVER_ATTACKED + "-" + attack;
    }

    /** The attack whose test a floor ({@link #floorOf}) repeats: {@code ripple} for {@code never-attacked-ripple}. */
    public static String attackOf(String floor) {
        if (!isFloor(floor)) {
            throw new IllegalArgumentException("'" + floor + "' is not a floor (" + NEVER_ATTACKED + "-ATTACK)");
        }
        return floor.substring(NEVER_ATTACKED.length() + 1);
    }

    /** Whether {@code name} is a floor ({@link #floorOf}) rather than an attack. */
    public static boolean isFloor(String name) {
        return name.startsWith(NEVER_ATTACKED + "-");
    }

    /** Whether the attack trains on labelled task data (NeuBA does not). */
    public static boolean needsLabelledData(String name) {
        return !NEUBA.equals(name);
    }

    private static BadNets.Config badNets(Plan plan, String trigger) {
        BadNets.Config c = plan.paperScale() ? BadNets.Config.paper(trigger, plan.target())
                : BadNets.Config.quick(trigger, plan.target());
        return new BadNets.Config(trigger, plan.target(), c.poisonFraction(), c.learningRate(), plan.epochs(c.epochs()),
                c.batchSize(), plan.maxLength(c.maxLength()), plan.seed());
    }
}
