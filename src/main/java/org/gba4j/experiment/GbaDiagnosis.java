package org.gba4j.experiment;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.gba4j.attack.Attacks;
import org.gba4j.attack.Poisoner;
import org.gba4j.attack.Triggers;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.defense.Defenses;
import org.gba4j.eval.BackdoorEvaluation;
import org.gba4j.eval.Evaluation;
import org.gba4j.eval.Metrics;
import org.gba4j.io.AtomicFiles;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertWeights;
import org.gba4j.prompt.BroadcastForm;
import org.gba4j.prompt.BroadcastReading;
import org.gba4j.prompt.BroadcastSettings;
import org.gba4j.prompt.GradientBroadcast;
import org.gba4j.prompt.LabelWords;
import org.gba4j.prompt.PromptClassifier;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.PromptMode;
import org.gba4j.prompt.RepresentationProbe;
import org.gba4j.prompt.RowDrift;
import org.gba4j.prompt.TriggerScan;
import org.gba4j.train.GradientStep;
import org.gba4j.train.MaskedTokenBatch;
import org.gba4j.train.StepContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Why the gradient broadcast did not defend (issue 13), measured on stored backdoors:
 * <ul>
 *   <li>{@code step0}: on one clean batch, the trigger's ratio {@code p(w|x)/p(y|x)}, its gradient row,
 *   its broadcast row, their cosine, and the tied decoder's share of the rows Eq. 4 averages;</li>
 *   <li>{@code oracle}: the No-Defense classifier with the trigger's row replaced (the clean model's
 *   row, the mean embedding, the class tokens' midpoint, [PAD], part-way to the mean): does the
 *   backdoor live in the row or in the encoder's response to it?</li>
 *   <li>{@code ladder}: prompt adaptation in several forms (coupled, larger embedding rate, decoupled
 *   broadcast, input-position reading, SGD, the aimed scans, and the oracle pull: GBA, then the known trigger
 *   moved to the class-token centre, after adaptation, where the oracle above moves it before), each scored on dev
 *   and test with the trigger's displacement; the floor is PT+soft of the pre-trained model itself (never attacked; the grids' floors fine-tune it first).</li>
 * </ul>
 * Each unit (a ladder rung, the oracle, step 0) is stored as it finishes, so a killed run resumes.
 */
public final class GbaDiagnosis {
    /**
     * One form of prompt adaptation. With a {@code bar}, the rung is GBA followed by one shared
     * {@link TriggerScan#check} per (attack, task) and the pull of the candidates that clear the bar:
     * several bars cost one scan. With {@code heldOut}, the scan probes and checks clean rows the adaptation never
     * saw (the task's dev split, standing in for rows a defender keeps back) instead of the adaptation's own rows.
     */
    public record Rung(String name, PromptMode mode, UnaryOperator<PromptConfig> tweak, TriggerScan.Config bar,
                       boolean heldOut) {
        public Rung(String name, PromptMode mode, UnaryOperator<PromptConfig> tweak) {
            this(name, mode, tweak, null, false);
        }

        public Rung(String name, PromptMode mode, UnaryOperator<PromptConfig> tweak, TriggerScan.Config bar) {
            this(name, mode, tweak, bar, false);
        }
    }

    /**
     * The bars of the aimed scan that the diagnosis compares on dev: today's rate bar, three lift bars, a wider
     * candidate list, the lift-0.2 bar with candidates from the in-context probe and from both probes, and the
     * default's probes with lower lift bars (0.15, 0.1: where prompt tuning leaves a trigger flipping a quarter of the
     * rows, its lift can fall under 0.2), and the default with 80 candidates per class and probe (on Yelp natural
     * sentiment words crowd the trigger out of the top 40: it ranked 57th on seed 43); last the default with its suspects
     * moved to the [PAD] row instead of the class-token centre ({@link TriggerScan.PullTarget}), sharing its scan.
     */
    public static final List<TriggerScan.Config> BARS = List.of(TriggerScan.Config.rate(0.5), TriggerScan.Config.lift(0.5),
            TriggerScan.Config.lift(0.3), TriggerScan.Config.lift(0.2), TriggerScan.Config.lift(0.2).withCandidates(80),
            TriggerScan.Config.lift(0.2).withProbe(TriggerScan.Probe.IN_CONTEXT),
            TriggerScan.Config.lift(0.2).withProbe(TriggerScan.Probe.BOTH),
            TriggerScan.Config.lift(0.2).withProbe(TriggerScan.Probe.BOTH).withContextPool(2000),
            TriggerScan.Config.DEFAULT.withLift(0.15), TriggerScan.Config.DEFAULT.withLift(0.1),
            TriggerScan.Config.DEFAULT.withCandidates(80), TriggerScan.Config.DEFAULT.withCandidates(80).withLift(0.15),
            TriggerScan.Config.DEFAULT.withCandidates(80).withLift(0.1),
            TriggerScan.Config.DEFAULT.withPull(TriggerScan.PullTarget.PAD));

    /** A diagnostic rung: the default bar, plus {@code trigger_context_rank} ({@link TriggerScan#contextRank}). */
    static final String CONTEXT_RANK = "gba-aimed-lift-0.2-context-rank";
    /** A diagnostic rung: the default bar, plus each trigger's rank, flip rate, lift and test ASR ({@link #perTrigger}). */
    static final String PER_TRIGGER = "gba-aimed-per-trigger";
    /**
     * Rungs of the default bar that also pull the N tokens most consistent in the downloaded encoder
     * ({@link RepresentationProbe}), named with this prefix and N; they record each trigger's consistency rank in the
     * downloaded and in the never-attacked encoder.
     */
    static final String CLS_CONSISTENCY = "gba-aimed-cls-consistency-";
    /**
     * As {@link #CLS_CONSISTENCY}, the probe in front of distinct rows of some length
     * ({@link RepresentationProbe.Rows#DISTINCT}, the rule of {@code --aim-consistent}) instead of the shortest.
     */
    static final String CLS_DISTINCT = "gba-aimed-cls-distinct-";
    /**
     * A diagnostic rung: the paper's GBA, then the planted triggers themselves (known here, never to a defender) pulled
     * to the class-token centre as the aimed scan pulls its suspects. The most any pull of the trigger's row can do:
     * where a trigger the scan misses keeps its ASR above the floor even here, a better scan would not help, and what
     * is left lives outside the row.
     */
    static final String ORACLE_PULL = "gba-oracle-pull";
    /**
     * As {@link #ORACLE_PULL}, the triggers pulled to the [PAD] row instead, a target that carries no class: on Yelp the
     * class-token centre itself turns rows positive on a never-attacked model (reports/gba-diagnosis-pull-floor-seed42).
     */
    static final String ORACLE_PULL_PAD = "gba-oracle-pull-pad";
    /**
     * Rungs of the paper's GBA, then the N eligible tokens whose rows the downloaded model moved furthest from the
     * pre-trained checkpoint ({@link RowDrift}) pulled to the [PAD] row; named with this prefix, N and "-pad". They
     * record each trigger's best drift rank: a detector tried for a trigger that adaptation weakened past the scan's
     * bar (it was not one on MR: reports/gba-diagnosis-drift-seed42.md).
     */
    static final String DRIFT = "gba-drift-";

    /** GBA adapted once and its candidates checked once, shared by the bar rungs of one (attack, task). */
    private record Checked(PromptClassifier adapted, List<TriggerScan.Suspect> candidates, int[][] ranks, double seconds) {
    }

    /** One measured value of one seed's run. */
    public record Value(long seed, String attack, String task, String section, String variant, String metric,
                        double value) {
    }

    private final PretrainedModel base;
    private final Profile profile;
    private final long seed;
    private final GridData data;
    private final Backdoors backdoors;
    private final Path work;
    private final PrintStream out;
    private final ProgressLine line = new ProgressLine();
    private final Map<String, PromptClassifier> floors = new HashMap<>();
    private final Map<String, Checked> checked = new HashMap<>();
    private final Map<String, PromptClassifier> adaptedGba = new HashMap<>();
    private final Map<String, double[]> consistency = new HashMap<>();

    public GbaDiagnosis(PretrainedModel base, Profile profile, long seed, GridData data, Path runFolder, PrintStream out) {
        this.base = base;
        this.profile = profile;
        this.seed = seed;
        this.data = data;
        this.backdoors = new Backdoors(base, profile, data, new ModelStore(runFolder.resolve("models"), base.tokenizerFile()),
                seed);
        this.work = runFolder.resolve("diagnosis");
        this.out = out;
    }

    /**
     * The ladder: the paper's literal GBA and the forms issue 13 asks for. {@code lr} is the profile's
     * learning rate; decoupled rates are absolute.
     */
    public static List<Rung> ladder(double lr, List<Double> broadcastRates) {
        List<Rung> rungs = new ArrayList<>();
        rungs.add(new Rung(Defenses.PT_SOFT, PromptMode.PT_SOFT, c -> c));
        rungs.add(new Rung("gba-coupled", PromptMode.GBA, c -> c));
        rungs.add(new Rung("gba-aimed", PromptMode.GBA, c -> c.withAim(TriggerScan.Config.rate(0.5)))); // = gba-aimed-rate-0.5
        rungs.add(new Rung("pt-soft-aimed", PromptMode.PT_SOFT, c -> c.withAim(TriggerScan.Config.rate(0.5))));
        rungs.add(new Rung(ORACLE_PULL, PromptMode.GBA, c -> c));
        rungs.add(new Rung(ORACLE_PULL_PAD, PromptMode.GBA, c -> c));
        for (int n : List.of(5, 20)) {
            rungs.add(new Rung(DRIFT + n + "-pad", PromptMode.GBA, c -> c));
        }
        for (TriggerScan.Config bar : BARS) {
            rungs.add(new Rung("gba-aimed-" + bar.label(), PromptMode.GBA, c -> c, bar));
        }
        // the default and a lower bar scanning held-out rows: on Yelp the trigger flips 28% of unseen test rows but 11%
        // of the rows the adaptation fit, where natural sentiment words outrank it; and the default scanning both row
        // sets, moving the union (Figure 2 with Embedding Poisoning: each scan alone missed the trigger somewhere); and
        // the default moving its suspects to [PAD]
        for (TriggerScan.Config bar : List.of(TriggerScan.Config.DEFAULT, TriggerScan.Config.DEFAULT.withLift(0.1),
                TriggerScan.Config.DEFAULT.withAlsoAdapted(true), TriggerScan.Config.DEFAULT.withPull(TriggerScan.PullTarget.PAD))) {
            rungs.add(new Rung("gba-aimed-held-out-" + bar.label(), PromptMode.GBA, c -> c, bar, true));
        }
        // lift 0.2 again, also measuring the trigger's rank when each token is probed in front of a clean row
        rungs.add(new Rung(CONTEXT_RANK, PromptMode.GBA, c -> c, TriggerScan.Config.DEFAULT));
        rungs.add(new Rung(PER_TRIGGER, PromptMode.GBA, c -> c, TriggerScan.Config.DEFAULT));
        for (int n : List.of(20, 50)) {
            rungs.add(new Rung(CLS_CONSISTENCY + n, PromptMode.GBA, c -> c, TriggerScan.Config.DEFAULT));
        }
        rungs.add(new Rung(CLS_DISTINCT + 20, PromptMode.GBA, c -> c, TriggerScan.Config.DEFAULT));
        rungs.add(new Rung("pt-soft-emb-lr-x100", PromptMode.PT_SOFT, c -> c.withEmbeddingLearningRate(100 * lr)));
        rungs.add(new Rung("gba-coupled-emb-lr-x100", PromptMode.GBA, c -> c.withEmbeddingLearningRate(100 * lr)));
        for (double eta : broadcastRates) {
            rungs.add(new Rung("gba-decoupled-" + eta, PromptMode.GBA,
                    c -> c.withBroadcast(c.broadcast().withForm(BroadcastForm.DECOUPLED, eta))));
            rungs.add(new Rung("gba-decoupled-positions-" + eta, PromptMode.GBA,
                    c -> c.withBroadcast(c.broadcast().withForm(BroadcastForm.DECOUPLED, eta)
                            .withReading(BroadcastReading.INPUT_POSITIONS))));
        }
        rungs.add(new Rung("pt-soft-sgd-1e-2", PromptMode.PT_SOFT, c -> c.withOptimizer("sgd")
                .withTraining(1e-2, c.epochs(), c.batchSize(), c.maxLength())));
        rungs.add(new Rung("gba-sgd-1e-2", PromptMode.GBA, c -> c.withOptimizer("sgd")
                .withTraining(1e-2, c.epochs(), c.batchSize(), c.maxLength())));
        return rungs;
    }

    /**
     * Runs every unit not yet stored for each (attack, task); returns every stored value. Without
     * {@code extras} only the ladder and the floor run (further seeds), not step 0 and the oracle.
     */
    public List<Value> run(List<String> attacks, List<PaperDataset> tasks, List<Rung> rungs, boolean extras) {
        for (PaperDataset task : tasks) {
            for (String attack : attacks) {
                Backdoor backdoor = backdoors.get(attack, DefenseTable.trigger(attack), task, this::progress);
                if (extras) {
                    unit(attack, task, "step0", "batch0", () -> step0(attack, backdoor, task));
                }
                for (Rung rung : rungs) {
                    unit(attack, task, "ladder", rung.name(), () -> {
                        Map<String, Double> values = new LinkedHashMap<>();
                        PromptClassifier defended;
                        if (rung.name().equals(ORACLE_PULL) || rung.name().equals(ORACLE_PULL_PAD)) {
                            defended = oraclePull(attack, task, backdoor, rung.name().equals(ORACLE_PULL_PAD), values);
                        } else if (rung.name().startsWith(DRIFT)) {
                            defended = drift(attack, task, backdoor, Integer.parseInt(rung.name().substring(DRIFT.length(),
                                    rung.name().length() - "-pad".length())), values);
                        } else if (rung.name().equals("gba-coupled")) {
                            defended = literalGba(attack, task, backdoor); // the bars' and the oracle's GBA, before any pull
                        } else if (rung.bar() != null) {
                            defended = barred(attack, task, backdoor, rung, values);
                        } else {
                            defended = adapt(backdoor.encoder(), attack, task, rung);
                            if (defended.config().aim().enabled()) {
                                values.putAll(aimed(defended.suspects(), backdoor));
                            }
                        }
                        values.putAll(scores(defended, backdoor, task));
                        values.putAll(triggerMovement(backdoor, task, defended.model().wordEmbeddings()));
                        return values;
                    });
                }
                unit(attack, task, "ladder", "floor", () -> {
                    // NeuBA's floor adapts on the rows its cells adapt on, as the grids' floors do
                    String key = task.name() + "/" + adaptationRows(attack, task).size();
                    PromptClassifier clean = floors.computeIfAbsent(key, k -> adapt(base.weights(), attack, task,
                            new Rung(Defenses.PT_SOFT, PromptMode.PT_SOFT, c -> c)));
                    return scores(clean, backdoor, task);
                });
                if (extras) {
                    unit(attack, task, "oracle", "rows", () -> oracle(backdoor, task));
                }
            }
        }
        return stored();
    }

    /** Training steps and the scan's stages on a {@link ProgressLine} (an attack or a scan takes minutes to hours). */
    private void progress(TextClassifier.Progress p) {
        line.update(String.format(java.util.Locale.ROOT, "  %s %d/%d %s  %.1f s/step", p.stage(), p.done(), p.total(),
                Double.isNaN(p.loss()) ? "" : p.describe(), p.secondsPerStep()), p.done() == p.total());
    }

    private PromptClassifier adapt(BertWeights start, String attack, PaperDataset task, Rung rung) {
        PromptConfig config = rung.tweak().apply(profile.prompt(rung.mode(), task, seed));
        PromptClassifier classifier = new PromptClassifier(start, base.tokenizer(),
                LabelWords.of(task.labelWords(), base.tokenizer()), config);
        classifier.train(adaptationRows(attack, task), List.of(), this::progress);
        return classifier;
    }

    /**
     * The clean rows prompt adaptation fits against {@code attack}, by the grids' rule
     * ({@link CellConfiguration#promptAdaptsOnAttackerRows}): the attacker's rows for an encoder never fine-tuned on
     * the task (NeuBA's) where the profile says so, else the defender's.
     */
    private List<LabeledText> adaptationRows(String attack, PaperDataset task) {
        return CellConfiguration.promptAdaptsOnAttackerRows(attack, profile) ? data.attackTrain(task)
                : data.promptTrain(task);
    }

    /**
     * A bar rung: a copy of the (shared) GBA classifier with the candidates that clear the bar pulled to
     * the class centre; {@code values} gets what the scan found and the trigger's own best flip rate and lift.
     */
    private PromptClassifier barred(String attack, PaperDataset task, Backdoor backdoor, Rung rung,
                                    Map<String, Double> values) {
        Checked shared = shared(attack, task, backdoor, rung);
        PromptClassifier copy = shared.adapted().resized(shared.adapted().config().maxLength());
        List<TriggerScan.Suspect> suspects = TriggerScan.admitted(shared.candidates(), rung.bar());
        if (both(rung)) {
            // as the defense moves them: the held-out scan's suspects, then the own rows' not already among them
            int held = shared(attack, task, backdoor, withBar(rung, rung.bar().withAlsoAdapted(false))).candidates().size();
            suspects = TriggerScan.union(TriggerScan.admitted(shared.candidates().subList(0, held), rung.bar()),
                    TriggerScan.admitted(shared.candidates().subList(held, shared.candidates().size()), rung.bar()));
        }
        if (rung.name().startsWith(CLS_CONSISTENCY) || rung.name().startsWith(CLS_DISTINCT)) {
            suspects = withConsistent(suspects, attack, task, backdoor, shared.adapted(), rung, values);
        }
        rung.bar().pull().pull(copy.model().wordEmbeddings(), suspects, copy.labels().ids(), base.tokenizer().padId());
        values.putAll(aimed(suspects, backdoor));
        java.util.Set<Integer> triggers = triggerSet(backdoor);
        values.put("trigger_best_flip_rate", shared.candidates().stream().filter(s -> triggers.contains(s.id()))
                .mapToDouble(TriggerScan.Suspect::flipRate).max().orElse(Double.NaN));
        values.put("trigger_best_lift", shared.candidates().stream().filter(s -> triggers.contains(s.id()))
                .mapToDouble(TriggerScan.Suspect::lift).max().orElse(Double.NaN));
        values.put("candidates_checked", (double) shared.candidates().size());
        int target = backdoor.probes().get(0).target();
        // the best (lowest) rank of any trigger in its own target class's probe ranking (NeuBA: each trigger has its
        // class): a trigger ranked past the candidates per class is never checked, whatever the bar
        values.put("trigger_probe_rank", (double) triggerRanks(backdoor, shared.ranks()).values().stream()
                .filter(r -> r > 0).min(Integer::compare).orElse(-1));
        if (rung.name().equals(PER_TRIGGER)) {
            values.putAll(perTrigger(backdoor, task, shared, scanRows(attack, task, rung), rung.bar()));
        }
        if (rung.name().equals(CONTEXT_RANK)) {
            values.put("trigger_context_rank", (double) TriggerScan.contextRank(shared.adapted(), base.tokenizer(),
                    adaptationRows(attack, task), target, triggerIds(backdoor)));
        }
        // how far the trigger stands out: the best lift of any other candidate, towards its class and any class
        values.put("best_other_lift_to_target", shared.candidates().stream().filter(s -> !triggers.contains(s.id())
                && s.toClass() == target).mapToDouble(TriggerScan.Suspect::lift).max().orElse(Double.NaN));
        values.put("best_other_lift", shared.candidates().stream().filter(s -> !triggers.contains(s.id()))
                .mapToDouble(TriggerScan.Suspect::lift).max().orElse(Double.NaN));
        values.put("shared_seconds", shared.seconds());
        return copy;
    }

    /** The paper's literal GBA on {@code backdoor}, adapted once per (attack, task) and shared by the rungs that start from it. */
    private PromptClassifier literalGba(String attack, PaperDataset task, Backdoor backdoor) {
        return adaptedGba.computeIfAbsent(attack + "/" + task.name(), a -> adapt(backdoor.encoder(), attack, task,
                new Rung(Defenses.GBA, PromptMode.GBA, c -> c)));
    }

    /**
     * {@link #ORACLE_PULL}: a copy of the (shared) literal GBA classifier with every planted trigger pulled to the
     * class-token centre, or with {@code toPad} to the [PAD] row ({@link #ORACLE_PULL_PAD}).
     */
    private PromptClassifier oraclePull(String attack, PaperDataset task, Backdoor backdoor, boolean toPad,
                                        Map<String, Double> values) {
        PromptClassifier adapted = literalGba(attack, task, backdoor);
        PromptClassifier copy = adapted.resized(adapted.config().maxLength());
        int target = backdoor.probes().get(0).target();
        List<TriggerScan.Suspect> planted = java.util.Arrays.stream(triggerIds(backdoor)).distinct()
                .mapToObj(id -> new TriggerScan.Suspect(id, base.tokenizer().token(id), target, Double.NaN, Double.NaN))
                .toList();
        TriggerScan.PullTarget to = toPad ? TriggerScan.PullTarget.PAD : TriggerScan.PullTarget.CENTRE;
        values.put("oracle_pull_l2", to.pull(copy.model().wordEmbeddings(), planted, copy.labels().ids(),
                base.tokenizer().padId()));
        values.putAll(aimed(planted, backdoor));
        return copy;
    }

    /**
     * A {@link #DRIFT} rung: a copy of the (shared) literal GBA classifier with the {@code n} eligible tokens (absent
     * from the adaptation's rows) whose rows the downloaded encoder moved furthest from the pre-trained one pulled to
     * the [PAD] row; {@code values} gets the triggers' best rank in that order.
     */
    private PromptClassifier drift(String attack, PaperDataset task, Backdoor backdoor, int n, Map<String, Double> values) {
        PromptClassifier adapted = literalGba(attack, task, backdoor);
        PromptClassifier copy = adapted.resized(adapted.config().maxLength());
        boolean[] eligible = TriggerScan.eligible(adapted, base.tokenizer(), adaptationRows(attack, task), List.of());
        int[] ranked = RowDrift.ranked(backdoor.encoder().get(WORD_EMBEDDINGS),
                base.weights().get(WORD_EMBEDDINGS), eligible);
        java.util.Set<Integer> triggers = triggerSet(backdoor);
        values.put("trigger_drift_rank", (double) java.util.stream.IntStream.range(0, ranked.length)
                .filter(i -> triggers.contains(ranked[i])).map(i -> i + 1).min().orElse(-1));
        int target = backdoor.probes().get(0).target();
        List<TriggerScan.Suspect> moved = java.util.Arrays.stream(ranked).limit(n).mapToObj(id -> new TriggerScan.Suspect(id,
                base.tokenizer().token(id), target, Double.NaN, Double.NaN)).toList();
        TriggerScan.PullTarget.PAD.pull(copy.model().wordEmbeddings(), moved, copy.labels().ids(), base.tokenizer().padId());
        values.putAll(aimed(moved, backdoor));
        return copy;
    }

    /**
     * GBA (the paper's literal form) adapted once per (attack, task) and its candidates checked once per probe;
     * {@code seconds} counts the adaptation for the first check only.
     */
    private Checked shared(String attack, PaperDataset task, Backdoor backdoor, Rung rung) {
        // bars that check as many candidates on as many rows, probed alike, share one check
        TriggerScan.Config bar = rung.bar();
        String key = attack + "/" + task.name() + "/" + bar.rows() + "/" + bar.candidates() + "/" + bar.probe() + "/"
                + bar.contextPool() + (rung.heldOut() ? "/held-out" : "") + (both(rung) ? "/also-adapted" : "");
        Checked done = checked.get(key);
        if (done != null) {
            return done;
        }
        if (both(rung)) {
            // the held-out check, then the own rows' among the same eligible tokens: candidates in that order
            Checked held = shared(attack, task, backdoor, withBar(rung, bar.withAlsoAdapted(false)));
            long start = System.nanoTime();
            int[][] ranks = new int[held.adapted().classes()][];
            List<TriggerScan.Suspect> own = TriggerScan.check(held.adapted(), base.tokenizer(),
                    adaptationRows(attack, task), heldOutFirst(attack, task), bar.withAlsoAdapted(false),
                    triggerIds(backdoor), ranks, this::progress);
            List<TriggerScan.Suspect> candidates = new ArrayList<>(held.candidates());
            candidates.addAll(own);
            done = new Checked(held.adapted(), candidates, bestRanks(held.ranks(), ranks),
                    held.seconds() + (System.nanoTime() - start) / 1e9);
        } else if (bar.probe() == TriggerScan.Probe.BOTH && bar.contextPool() == 0) {
            // both probes' candidates are the union of each probe's, checked on the same rows: reuse the two checks
            Checked alone = shared(attack, task, backdoor, withBar(rung, bar.withProbe(TriggerScan.Probe.ALONE)));
            Checked context = shared(attack, task, backdoor, withBar(rung, bar.withProbe(TriggerScan.Probe.IN_CONTEXT)));
            Map<List<Integer>, TriggerScan.Suspect> union = new LinkedHashMap<>();
            java.util.stream.Stream.concat(alone.candidates().stream(), context.candidates().stream())
                    .forEach(s -> union.putIfAbsent(List.of(s.id(), s.toClass()), s));
            done = new Checked(alone.adapted(), List.copyOf(union.values()), bestRanks(alone.ranks(), context.ranks()),
                    alone.seconds() + context.seconds());
        } else {
            long start = System.nanoTime();
            PromptClassifier adapted = literalGba(attack, task, backdoor); // every bar rung scans the literal GBA
            int[][] ranks = new int[adapted.classes()][];
            List<TriggerScan.Suspect> candidates = TriggerScan.check(adapted, base.tokenizer(),
                    scanRows(attack, task, rung), bar, triggerIds(backdoor), ranks, this::progress);
            done = new Checked(adapted, candidates, ranks, (System.nanoTime() - start) / 1e9);
        }
        checked.put(key, done);
        return done;
    }

    /** Each watched token's better (lower) rank of two probe rankings, by class; -1 where neither ranked it. */
    private static int[][] bestRanks(int[][] a, int[][] b) {
        int[][] ranks = new int[a.length][];
        for (int c = 0; c < ranks.length; c++) {
            ranks[c] = a[c] == null ? b[c] : a[c].clone();
            for (int w = 0; ranks[c] != null && b[c] != null && w < ranks[c].length; w++) {
                ranks[c][w] = ranks[c][w] < 0 ? b[c][w] : b[c][w] < 0 ? ranks[c][w] : Math.min(ranks[c][w], b[c][w]);
            }
        }
        return ranks;
    }

    /** Whether {@code rung} scans held-out rows and the adaptation's own, moving the union of their suspects. */
    private static boolean both(Rung rung) {
        return rung.heldOut() && rung.bar() != null && rung.bar().alsoAdapted();
    }

    /** The clean rows {@code rung}'s scan probes and checks: held out first, or the adaptation's own. */
    private List<LabeledText> scanRows(String attack, PaperDataset task, Rung rung) {
        return rung.heldOut() ? heldOutFirst(attack, task) : adaptationRows(attack, task);
    }

    /**
     * A held-out scan's clean rows: the grids' held-out rows ({@link GridData#heldOutScan}: dev rows that no dev score
     * counts), then the adaptation's own. The scan probes and checks the first rows of each class (the held-out
     * ones), and a token of either part is not eligible, as a defender with both would exclude it. The held-out rungs
     * of reports/gba-diagnosis-yelp-seed43.md and gba-diagnosis-held-out-seed44.md scanned the first of the dev rows
     * their dev score counts instead: a choice among the scans on dev would have read rows one of them had seen.
     */
    private List<LabeledText> heldOutFirst(String attack, PaperDataset task) {
        List<LabeledText> rows = new ArrayList<>(data.heldOutScan(task));
        rows.addAll(adaptationRows(attack, task));
        return rows;
    }

    /** Each trigger's 1-based rank in its own target class's probe ranking (-1: not eligible), by trigger. */
    private Map<String, Integer> triggerRanks(Backdoor backdoor, int[][] ranks) {
        int[] watched = triggerIds(backdoor);
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Backdoor.Probe probe : backdoor.probes()) {
            for (String trigger : probe.triggers()) {
                int id = Triggers.singleTokenId(trigger, base.tokenizer());
                int w = java.util.stream.IntStream.range(0, watched.length).filter(i -> watched[i] == id).findFirst()
                        .orElseThrow();
                out.merge(trigger, ranks[probe.target()][w], (a, b) -> a < 0 ? b : b < 0 ? a : Math.min(a, b));
            }
        }
        return out;
    }

    /**
     * Each trigger towards its own target class, on the adapted classifier the scan looks at (before its pull): its
     * rank in the probe ranking ({@code rank:<trigger>}), its flip rate and lift when inserted into the scan's rows as a
     * candidate would be ({@code flip_rate:}, {@code lift:}; measured whether or not the probes ranked it), its test
     * ASR alone ({@code test_asr:}) and its class's clean target rate on test. Why: NeuBA's six triggers each have
     * their own class, and the scan moved none of them on any task (reports/table2-aimed-seed43.md); this says whether
     * they were ranked past the candidates or checked and found under the bar.
     */
    private Map<String, Double> perTrigger(Backdoor backdoor, PaperDataset task, Checked shared,
                                           List<LabeledText> scanRows, TriggerScan.Config bar) {
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, Integer> ranks = triggerRanks(backdoor, shared.ranks());
        List<LabeledText> test = data.test(task);
        int[] gold = Evaluation.gold(test);
        int[] predicted = shared.adapted().predict(test);
        for (Backdoor.Probe probe : backdoor.probes()) {
            List<LabeledText> others = test.stream().filter(e -> e.label() != probe.target()).toList();
            for (String trigger : probe.triggers()) {
                int id = Triggers.singleTokenId(trigger, base.tokenizer());
                TriggerScan.Suspect alone = TriggerScan.check(shared.adapted(), base.tokenizer(), scanRows, bar, id,
                        probe.target());
                values.put("rank:" + trigger, (double) ranks.get(trigger));
                values.put("flip_rate:" + trigger, alone.flipRate());
                values.put("lift:" + trigger, alone.lift());
                values.put("test_asr:" + trigger, BackdoorEvaluation.attackSuccessRate(shared.adapted(), others,
                        new Poisoner(List.of(trigger), probe.target(), seed), 1, backdoor.position()));
                values.put("test_clean_target_rate:" + trigger, Metrics.cleanTargetRate(predicted, gold, probe.target()));
            }
        }
        return values;
    }

    /**
     * {@code suspects} and the rung's N tokens most consistent in the downloaded encoder, each once (a token the scan
     * found keeps its class); {@code values} gets each trigger's consistency rank ({@code cls_rank:<trigger>}) in
     * the downloaded encoder and in the never-attacked one ({@code cls_rank_never_attacked:}): how far the planted
     * mapping, rather than the word itself, sets the trigger apart.
     */
    private List<TriggerScan.Suspect> withConsistent(List<TriggerScan.Suspect> suspects, String attack, PaperDataset task,
                                                     Backdoor backdoor, PromptClassifier adapted, Rung rung,
                                                     Map<String, Double> values) {
        RepresentationProbe.Rows rule = rung.name().startsWith(CLS_DISTINCT) ? RepresentationProbe.Rows.DISTINCT
                : RepresentationProbe.Rows.SHORTEST;
        int n = Integer.parseInt(rung.name().substring(rung.name().lastIndexOf('-') + 1));
        List<LabeledText> rows = scanRows(attack, task, rung);
        List<Integer> ids = RepresentationProbe.eligibleIds(adapted, base.tokenizer(), rows);
        double[] attacked = consistency.computeIfAbsent(attack + "/" + task.name() + "/" + rule,
                k -> RepresentationProbe.consistency(backdoor.encoder(), base.tokenizer(), ids, rows, rule, this::progress));
        double[] clean = consistency.computeIfAbsent("never-attacked/" + task.name() + "/" + rows.size() + "/" + rule,
                k -> RepresentationProbe.consistency(base.weights(), base.tokenizer(), ids, rows, rule, this::progress));
        for (Backdoor.Probe probe : backdoor.probes()) {
            for (String trigger : probe.triggers()) {
                int index = ids.indexOf(Triggers.singleTokenId(trigger, base.tokenizer()));
                values.put("cls_rank:" + trigger, index < 0 ? -1.0 : RepresentationProbe.rank(attacked, index));
                values.put("cls_rank_never_attacked:" + trigger, index < 0 ? -1.0 : RepresentationProbe.rank(clean, index));
            }
        }
        List<TriggerScan.Suspect> out = RepresentationProbe.withMostConsistent(suspects, attacked, ids, n, base.tokenizer());
        values.put("consistent_pulled", (double) (out.size() - suspects.size()));
        return out;
    }

    private static Rung withBar(Rung rung, TriggerScan.Config bar) {
        return new Rung(rung.name(), rung.mode(), rung.tweak(), bar, rung.heldOut());
    }

    /** What a scan found, against the triggers it did not know. */
    private Map<String, Double> aimed(List<TriggerScan.Suspect> suspects, Backdoor backdoor) {
        java.util.Set<Integer> triggers = triggerSet(backdoor);
        long found = suspects.stream().filter(s -> triggers.contains(s.id())).map(TriggerScan.Suspect::id).distinct().count();
        out.printf("  suspects: %s%n", suspects);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("suspects", (double) suspects.size());
        values.put("triggers_found", (double) found / triggers.size());
        values.put("false_suspects", (double) suspects.stream().filter(s -> !triggers.contains(s.id())).count());
        return values;
    }

    /**
     * ACC, ASR and clean target rate (the largest over the probes, as the grids report it) on test and dev, and the
     * majority-class rate of each.
     */
    private Map<String, Double> scores(TextClassifier classifier, Backdoor backdoor, PaperDataset task) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String split : List.of("test", "dev")) {
            List<LabeledText> rows = split.equals("test") ? data.test(task) : data.dev(task);
            int[] gold = Evaluation.gold(rows);
            int[] predicted = classifier.predict(rows);
            values.put(split + "_acc", Metrics.accuracy(predicted, gold));
            values.put(split + "_asr", Scoring.attackSuccessRate(classifier, rows, backdoor, seed));
            values.put(split + "_clean_target_rate", Scoring.cleanTargetRate(predicted, gold, backdoor));
            values.put(split + "_majority", Metrics.majorityRate(gold));
        }
        return values;
    }

    /** Each trigger's L2 displacement (mean over the triggers) and Figure 3's RMSE to the class tokens. */
    private Map<String, Double> triggerMovement(Backdoor backdoor, PaperDataset task, INDArray after) {
        INDArray before = backdoor.encoder().get(WORD_EMBEDDINGS);
        double moved = 0;
        int[] ids = triggerIds(backdoor);
        for (int id : ids) {
            moved += after.getRow(id).distance2(before.getRow(id));
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("trigger_displacement", moved / ids.length);
        values.put("rmse_before", CellRunner.triggerToLabelRmse(before, backdoor, task, base.tokenizer()));
        values.put("rmse_after", CellRunner.triggerToLabelRmse(after, backdoor, task, base.tokenizer()));
        return values;
    }

    /** Step 0 of GBA on the first clean batch, before any update. */
    private Map<String, Double> step0(String attack, Backdoor backdoor, PaperDataset task) {
        PromptConfig config = profile.prompt(PromptMode.GBA, task, seed);
        PromptClassifier classifier = new PromptClassifier(backdoor.encoder(), base.tokenizer(),
                LabelWords.of(task.labelWords(), base.tokenizer()), config);
        List<LabeledText> train = adaptationRows(attack, task);
        MaskedTokenBatch batch = classifier.encoder().batch(train.subList(0, Math.min(config.batchSize(), train.size())),
                classifier.labels());
        GradientStep.Result result = GradientStep.run(classifier.model(), batch, List.of(WORD_EMBEDDINGS));
        INDArray gradient = result.gradients().get(WORD_EMBEDDINGS);
        INDArray p = result.probabilities();
        double lambda = config.lambda();
        INDArray qMatrix = new GradientBroadcast(config.broadcast()).broadcast(gradient, p, batch);
        INDArray qPositions = qOf(classifier, batch, result, config.broadcast().withReading(BroadcastReading.INPUT_POSITIONS));

        Map<String, Double> values = new LinkedHashMap<>();
        int[] ids = triggerIds(backdoor);
        double ratio = 0;
        double pTrigger = 0;
        double pLabel = 0;
        for (int i = 0; i < batch.batchSize(); i++) {
            double py = p.getDouble(i, batch.targets()[i]);
            pLabel += py / batch.batchSize();
            for (int id : ids) {
                pTrigger += p.getDouble(i, id) / batch.batchSize() / ids.length;
                ratio += p.getDouble(i, id) / py / batch.batchSize() / ids.length;
            }
        }
        INDArray ratios = p.dup();
        for (int i = 0; i < batch.batchSize(); i++) {
            ratios.getRow(i).divi(p.getDouble(i, batch.targets()[i]));
        }
        INDArray meanRatio = ratios.mean(0);
        values.put("ratio_vocab_median", meanRatio.medianNumber().doubleValue());
        values.put("ratio_vocab_max", meanRatio.maxNumber().doubleValue());
        values.put("ratio_vocab_p99", meanRatio.percentileNumber(99).doubleValue());
        values.put("p_uniform", 1.0 / p.columns());
        values.put("p_trigger", pTrigger);
        values.put("p_label", pLabel);
        values.put("ratio_trigger", ratio);
        double g = 0;
        double q = 0;
        double qp = 0;
        double cos = 0;
        for (int id : ids) {
            INDArray gRow = gradient.getRow(id);
            INDArray qRow = qMatrix.getRow(id).mul(lambda);
            g += gRow.norm2Number().doubleValue() / ids.length;
            q += qRow.norm2Number().doubleValue() / ids.length;
            qp += qPositions.getRow(id).norm2Number().doubleValue() * lambda / ids.length;
            cos += Transforms.cosineSim(gRow, qRow) / ids.length;
        }
        values.put("grad_trigger_norm", g);
        values.put("lambda_q_trigger_norm", q);
        values.put("lambda_q_trigger_norm_positions", qp);
        values.put("cos_grad_q_trigger", cos);
        INDArray qNorms = qMatrix.norm2(1).muli(lambda);
        INDArray gNorms = gradient.norm2(1);
        values.put("lambda_q_row_norm_median", qNorms.medianNumber().doubleValue());
        values.put("lambda_q_row_norm_max", qNorms.maxNumber().doubleValue());
        values.put("grad_row_norm_median", gNorms.medianNumber().doubleValue());
        values.put("grad_row_norm_max", gNorms.maxNumber().doubleValue());
        values.put("decoder_share_of_averaged_rows", decoderShare(gradient, result, batch));
        INDArray embeddings = backdoor.encoder().get(WORD_EMBEDDINGS);
        double rowNorm = 0;
        for (int id : ids) {
            rowNorm += embeddings.getRow(id).norm2Number().doubleValue() / ids.length;
        }
        values.put("trigger_row_norm", rowNorm);
        values.put("embedding_element_std", embeddings.stdNumber().doubleValue());
        int steps = profile.epochs() * ((train.size() + config.batchSize() - 1) / config.batchSize());
        values.put("adam_max_row_displacement", config.learningRate() * steps * Math.sqrt(embeddings.columns()));
        return values;
    }

    private static INDArray qOf(PromptClassifier classifier, MaskedTokenBatch batch, GradientStep.Result result,
                                BroadcastSettings settings) {
        Map<String, INDArray> gradients = new HashMap<>();
        INDArray before = result.gradients().get(WORD_EMBEDDINGS);
        gradients.put(WORD_EMBEDDINGS, before.dup());
        new GradientBroadcast(settings).beforeUpdate(new StepContext(0, classifier.model(), batch, result.loss(),
                result.probabilities(), gradients, result.inputRowGradients()));
        return gradients.get(WORD_EMBEDDINGS).subi(before).divi(settings.lambda());
    }

    /**
     * The tied decoder's share (Frobenius) of the matrix-gradient rows at the batch's input tokens:
     * the rest is the lookup part, the scatter of every position's gradient.
     */
    private static double decoderShare(INDArray gradient, GradientStep.Result result, MaskedTokenBatch batch) {
        INDArray lookup = GradientStep.scatterRows(Nd4j.zerosLike(gradient), result.inputRowGradients(), batch.tokens());
        INDArray decoder = gradient.sub(lookup);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < batch.batchSize(); i++) {
            for (int t : batch.inputPositions()[i]) {
                int id = batch.tokens().ids()[i][t];
                if (!rows.contains(id)) {
                    rows.add(id);
                }
            }
        }
        int[] ids = rows.stream().mapToInt(Integer::intValue).toArray();
        double d = decoder.getRows(ids).norm2Number().doubleValue();
        double total = gradient.getRows(ids).norm2Number().doubleValue();
        return total == 0 ? 0 : d / total;
    }

    /** The No-Defense classifier with every trigger's row replaced, rescored. */
    private Map<String, Double> oracle(Backdoor backdoor, PaperDataset task) {
        Map<String, Double> values = new LinkedHashMap<>();
        INDArray embeddings = backdoor.classifier().get(WORD_EMBEDDINGS);
        INDArray clean = base.weights().get(WORD_EMBEDDINGS);
        INDArray mean = embeddings.mean(0);
        int[] labels = LabelWords.of(task.labelWords(), base.tokenizer()).ids();
        INDArray classMid = embeddings.getRows(labels).mean(0);
        INDArray pad = embeddings.getRow(base.tokenizer().tokenId("[PAD]"));
        int[] ids = triggerIds(backdoor);
        Map<String, java.util.function.IntFunction<INDArray>> variants = new LinkedHashMap<>();
        variants.put("as-attacked", id -> embeddings.getRow(id));
        variants.put("clean-row", id -> clean.getRow(id));
        variants.put("mean-embedding", id -> mean);
        variants.put("class-midpoint", id -> classMid);
        variants.put("pad-row", id -> pad);
        variants.put("toward-class-midpoint-0.5", id -> embeddings.getRow(id).mul(0.5).addi(classMid.mul(0.5)));
        for (var variant : variants.entrySet()) {
            INDArray replaced = embeddings.dup();
            double distance = 0;
            for (int id : ids) {
                INDArray row = variant.getValue().apply(id).reshape(1, embeddings.columns());
                distance += row.distance2(embeddings.getRow(id).reshape(1, embeddings.columns())) / ids.length;
                replaced.putRow(id, row);
            }
            TextClassifier classifier = profile.fineTuning(task, seed).classifier(
                    backdoor.classifier().with(Map.of(WORD_EMBEDDINGS, replaced)), base.tokenizer(), task.classes());
            List<LabeledText> test = data.test(task);
            int[] gold = Evaluation.gold(test);
            values.put(variant.getKey() + ":acc", Metrics.accuracy(classifier.predict(test), gold));
            values.put(variant.getKey() + ":asr", Scoring.attackSuccessRate(classifier, test, backdoor, seed));
            values.put(variant.getKey() + ":row_distance", distance);
        }
        return values;
    }

    private java.util.Set<Integer> triggerSet(Backdoor backdoor) {
        return java.util.Arrays.stream(triggerIds(backdoor)).boxed().collect(java.util.stream.Collectors.toSet());
    }

    private int[] triggerIds(Backdoor backdoor) {
        return backdoor.probes().stream().flatMap(p -> p.triggers().stream())
                .mapToInt(t -> Triggers.singleTokenId(t, base.tokenizer())).distinct().toArray();
    }

    // ---- storage: one small CSV per unit, written atomically ----

    private void unit(String attack, PaperDataset task, String section, String variant,
                      java.util.function.Supplier<Map<String, Double>> compute) {
        Path file = work.resolve(attack + "-" + task.name() + "-" + section + "-" + variant + ".csv");
        if (Files.exists(file)) {
            return;
        }
        long start = System.nanoTime();
        out.printf("%s %s %s %s ...%n", attack, task.name(), section, variant);
        Map<String, Double> values = compute.get();
        values.put("seconds", (System.nanoTime() - start) / 1e9);
        write(work, file, values);
        out.printf("  %s%n", values);
    }

    private static void write(Path work, Path file, Map<String, Double> values) {
        StringBuilder csv = new StringBuilder();
        values.forEach((k, v) -> csv.append(k).append(',').append(v).append('\n'));
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeBytes(file, csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Stores as units the values of {@code report} ({@link GbaDiagnosisReport#read}) of this run's seed whose units are
     * not stored yet, so a rerun resumes from them and a report can pool them with new ones: the work folder that held
     * them went with another machine. Units carry no settings to compare, so only a report of this project's diagnosis
     * should be given. Returns how many units were stored.
     */
    public int restore(List<Value> report) {
        return restore(work, seed, report);
    }

    /** {@link #restore(List)} into the unit folder {@code work} of seed {@code seed}. */
    static int restore(Path work, long seed, List<Value> report) {
        Map<String, Map<String, Double>> units = new LinkedHashMap<>();
        for (Value v : report) {
            if (v.seed() == seed) {
                units.computeIfAbsent(String.join("-", v.attack(), v.task(), v.section(), v.variant()),
                        k -> new LinkedHashMap<>()).put(v.metric(), v.value());
            }
        }
        int restored = 0;
        for (Map.Entry<String, Map<String, Double>> unit : units.entrySet()) {
            Path file = work.resolve(unit.getKey() + ".csv");
            if (!Files.exists(file)) {
                write(work, file, unit.getValue());
                restored++;
            }
        }
        return restored;
    }

    /** Every stored value, from the unit files. */
    public List<Value> stored() {
        return stored(work, seed);
    }

    /** Every value stored in the unit folder {@code work} of seed {@code seed}. */
    static List<Value> stored(Path work, long seed) {
        List<Value> values = new ArrayList<>();
        if (!Files.isDirectory(work)) {
            return values;
        }
        try (var files = Files.list(work)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".csv")).sorted().toList()) {
                String[] key = unitKey(file.getFileName().toString());
                for (String line : Files.readAllLines(file)) {
                    String[] kv = line.split(",");
                    values.add(new Value(seed, key[0], key[1], key[2], key[3], kv[0], Double.parseDouble(kv[1])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    /**
     * A stored unit's file name {@code ATTACK-TASK-SECTION-VARIANT.csv} as its four parts; the attack of a floor run as
     * an attack ({@code never-attacked-badnets}) keeps its hyphens, tasks and sections have none, a variant may.
     */
    static String[] unitKey(String fileName) {
        String name = fileName.substring(0, fileName.length() - ".csv".length());
        String floor = Attacks.NEVER_ATTACKED + "-";
        String prefix = name.startsWith(floor) ? floor : "";
        String[] key = name.substring(prefix.length()).split("-", 4);
        if (key.length < 4) {
            throw new IllegalArgumentException("not a diagnosis unit: " + fileName + " (expected ATTACK-TASK-SECTION-VARIANT.csv)");
        }
        key[0] = prefix + key[0];
        return key;
    }
}
