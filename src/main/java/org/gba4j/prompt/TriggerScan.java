package org.gba4j.prompt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.gba4j.classify.TextClassifier.Progress;
import org.gba4j.config.ConfigPairs;
import org.gba4j.data.LabeledText;
import org.gba4j.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The broadcast's intent, aimed: find the vocabulary rows that act as triggers in an adapted
 * prompt classifier, from clean data only, and move them to the class-token centre, the point
 * Eq. 4 pulls rare rows towards (section 5.2).
 *
 * <p>Why: the diagnosis (reports/gba-diagnosis.md) found that a BadNets backdoor lives in the
 * encoder's response to the trigger's row (the clean model's row keeps ASR 100) and is disarmed
 * only when the row moves about its own norm, to the class-token midpoint or [PAD]; moving it half
 * way leaves ASR at 100. Eq. 4's weights cannot single the trigger out when p(w|x) is nearly
 * uniform, so the rows are chosen by what they do instead.
 *
 * <p>How: (1) probe: every eligible token is scored by the probability of each class, either alone as
 * the text of a short prompt ({@code [CLS] w [SEP] [a]^k [MASK] [a]^k}: a trigger alone forces its
 * class), or in context, inserted in front of one clean row not of that class (the shortest), the way
 * a trigger is used (optionally only the alone probe's top tokens for the class: {@link Config#contextPool()}); per
 * class the {@code candidates} tokens with the highest probability are kept,
 * from either probe or both ({@link Probe}; a first-order HotFlip ranking was tried first and missed
 * BadNets' trigger on MR); (2) check: each candidate
 * is inserted at the start of up to {@code rows} clean rows not of that class, and is a suspect when
 * at least {@code minFlipRate} of them are then predicted as the class. Eligible tokens are whole
 * words that tokenize back to themselves and, as the paper's premise of lazily updated rare rows
 * says, do not occur in the clean data; special, label-word and soft-template tokens never are.
 */
public final class TriggerScan {
    /** Rows per forward pass when probing the vocabulary: short inputs, so large batches amortise per-op costs. */
    private static final int PROBE_BATCH = 512;
    /** Rows per progress report of a probe: a few passes, so a report comes every minute or so on two cores. */
    private static final int PROBE_CHUNK = 8 * PROBE_BATCH;

    /**
     * How the vocabulary is probed for candidates. ALONE was the first scan's probe; it ranked BadNets'
     * trigger 352nd on one seed (MR, seed 44), where the trigger flips clean rows only in part after
     * adaptation: IN_CONTEXT ranked it 13th. BOTH checks the union (up to twice the candidates).
     */
    public enum Probe {
        ALONE, IN_CONTEXT, BOTH;

        boolean alone() {
            return this != IN_CONTEXT;
        }

        boolean inContext() {
            return this != ALONE;
        }
    }

    /**
     * Where a suspect's row is moved. CENTRE, the label words' mean, is where Eq. 4's broadcast pulls a token and
     * gba4j's first target; PAD, the [PAD] row, carries no class: on Yelp the class-token centre itself turned a
     * never-attacked model's rows positive (10.4 -> 15.7% with {@code cf} there) and kept BadNets' trigger at 25.0%,
     * where [PAD] brought it to 11.4% (reports/gba-diagnosis-pull-floor-seed42.md, the trigger known).
     */
    public enum PullTarget {
        CENTRE, PAD;

        /** This target's row of {@code embeddings} (a view or a new row; {@link #pullTo} copies it). */
        public INDArray row(INDArray embeddings, int[] labelIds, int padId) {
            return this == PAD ? embeddings.getRow(padId) : embeddings.getRows(labelIds).mean(0);
        }

        /** Moves each suspect's row to this target; returns the mean L2 distance moved. */
        public double pull(INDArray embeddings, List<Suspect> suspects, int[] labelIds, int padId) {
            return pullTo(embeddings, suspects, row(embeddings, labelIds, padId));
        }
    }

    /**
     * @param rows        clean rows per class scanned (not of that class)
     * @param candidates  tokens per class checked by insertion
     * @param minFlipRate share of scanned rows a token must flip to the class to be a suspect
     * @param minLift     and by how much that share must exceed the same rows' rate of the class without
     *                    the token (their clean target rate): a weak classifier already predicts the class
     *                    for some rows, a trigger that survived adaptation only in part flips fewer
     * @param probe       how the vocabulary is probed for the candidates
     * @param contextPool the in-context probe scores only the tokens the alone probe ranks this high for the class
     *                    (a cascade: the alone probe is a pass over short rows, the in-context one over rows as long
     *                    as the context); 0 = every eligible token
     * @param consistent  also move this many tokens, the eligible ones most {@link RepresentationProbe consistent} in
     *                    the downloaded encoder (before adaptation; {@link RepresentationProbe.Rows#DISTINCT} rows),
     *                    whatever the probes and the bar say: a NeuBA
     *                    trigger survives adaptation too weakly to be checked, but still overrides the downloaded
     *                    encoder's {@code [CLS]} (reports/gba-diagnosis-cls-consistency-seed43.md); 0 = none
     * @param alsoAdapted where the scan checks held-out rows, also scan the adaptation's own rows (the same eligible
     *                    tokens) and move both scans' suspects: on MR with Embedding Poisoning, neither scan alone
     *                    found the trigger at every Figure 2 fraction (reports/fig2-aimed.md, fig2-aimed-held-out.md);
     *                    without held-out rows there is one scan and this changes nothing
     * @param pull        where the suspects' rows are moved
     */
    public record Config(int rows, int candidates, double minFlipRate, double minLift, Probe probe, int contextPool,
                         @ConfigPairs.Default("0") int consistent, @ConfigPairs.Default("false") boolean alsoAdapted,
                         @ConfigPairs.Default("CENTRE") PullTarget pull) {
        /** Clean rows not of a class on which each of its candidates is checked (the bars' {@code rows}). */
        public static final int ROWS = 64;

        /**
         * The bar and probe chosen on dev (reports/gba-diagnosis.md): a lift of at least 0.2, candidates from both
         * probes. The first diagnosis's bar (flip rate 0.5) missed BadNets' trigger on HS, which survives prompt
         * tuning in part and flips about 30% of clean rows; a lower lift bar moves more false suspects, tokens absent
         * from the clean data, at no measured ACC cost. Neither probe alone finds BadNets' trigger on every MR seed:
         * alone it ranks 352nd on seed 44 (in context 13th: dev ASR 62.2 -> 28.3 at a clean target rate of 29.3),
         * in context 109th on seed 43 (alone 1st: dev ASR 95.2 -> 68.9 at a clean target rate of 55.7); the union
         * has the lowest dev ASR on both seeds, for about 1.5 times the probing. The in-context probe looks only at
         * the alone probe's top 2,000 per class: where the in-context probe was needed (seed 44, the trigger 352nd
         * alone) this gives the same dev ASR and ACC (28.3 / 67.8) as probing every token in context, and the
         * union keeps the alone probe's own candidates, so it finds whatever the full union found on every unit
         * measured, at about half the scan's work.
         */
        public static final Config DEFAULT = lift(0.2).withProbe(Probe.BOTH).withContextPool(2000);
        /** No scan. */
        public static final Config OFF = new Config(0, 0, 1, 0, Probe.ALONE);

        /** A scan whose in-context probe, if any, scores every eligible token. */
        public Config(int rows, int candidates, double minFlipRate, double minLift, Probe probe) {
            this(rows, candidates, minFlipRate, minLift, probe, 0);
        }

        /** A scan that moves only what its probes and bar find. */
        public Config(int rows, int candidates, double minFlipRate, double minLift, Probe probe, int contextPool) {
            this(rows, candidates, minFlipRate, minLift, probe, contextPool, 0);
        }

        /** A scan of one set of rows: the held-out ones if there are any, else the adaptation's own. */
        public Config(int rows, int candidates, double minFlipRate, double minLift, Probe probe, int contextPool,
                      int consistent) {
            this(rows, candidates, minFlipRate, minLift, probe, contextPool, consistent, false);
        }

        /** A scan whose suspects are moved to the class-token centre. */
        public Config(int rows, int candidates, double minFlipRate, double minLift, Probe probe, int contextPool,
                      int consistent, boolean alsoAdapted) {
            this(rows, candidates, minFlipRate, minLift, probe, contextPool, consistent, alsoAdapted, PullTarget.CENTRE);
        }

        public Config {
            if (probe == null || pull == null) {
                throw new IllegalArgumentException("the scan's probe and pull target are required (probes "
                        + java.util.Arrays.toString(Probe.values()) + ", targets " + java.util.Arrays.toString(PullTarget.values())
                        + ")");
            }
            if (rows < 0 || candidates < 0 || (rows == 0) != (candidates == 0) || !(minFlipRate >= 0 && minFlipRate <= 1)
                    || !(minLift >= 0 && minLift <= 1) || contextPool < 0 || (contextPool > 0 && contextPool < candidates)
                    || consistent < 0 || (rows == 0 && (consistent > 0 || alsoAdapted))) {
                throw new IllegalArgumentException("scan rows and candidates must both be positive (or both 0: off), the"
                        + " flip rate and the lift in [0, 1], the context pool 0 (none) or at least the candidates per"
                        + " class, the consistent tokens 0 or more (none, and no second scan, when the scan is off)");
            }
        }

        /** A bar on the lift alone: flip rate minus the rows' own rate of the class at least {@code minLift}. */
        public static Config lift(double minLift) {
            return new Config(ROWS, 40, 0, minLift, Probe.ALONE);
        }

        /** A bar on the flip rate alone (the first diagnosis used 0.5). */
        public static Config rate(double minFlipRate) {
            return new Config(ROWS, 40, minFlipRate, 0, Probe.ALONE);
        }

        public boolean enabled() {
            return rows > 0;
        }


        /** Whether a checked candidate clears this bar. */
        public boolean admits(Suspect candidate) {
            return candidate.flipRate() >= minFlipRate && candidate.lift() >= minLift;
        }

        /** A short name: {@code rate-0.5}, {@code lift-0.3}, or both; then the candidates and the probe if not the first scan's. */
        public String label() {
            return (minLift > 0 && minFlipRate > 0 ? "rate-" + minFlipRate + "-lift-" + minLift
                    : minLift > 0 ? "lift-" + minLift : "rate-" + minFlipRate) + (candidates == 40 ? "" : "-c" + candidates)
                    + (probe == Probe.ALONE ? "" : "-" + probe.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                    + (contextPool > 0 && probe.inContext() ? "-pool" + contextPool : "")
                    + (consistent > 0 ? "-cls" + consistent : "") + (alsoAdapted ? "-also-adapted" : "")
                    + (pull == PullTarget.CENTRE ? "" : "-" + pull.name().toLowerCase(java.util.Locale.ROOT));
        }

        /** The same scan with the lift bar {@code lift}. */
        public Config withLift(double lift) {
            return new Config(rows, candidates, minFlipRate, lift, probe, contextPool, consistent, alsoAdapted, pull);
        }

        /** The same bar with {@code n} candidates per class checked by insertion. */
        public Config withCandidates(int n) {
            return new Config(rows, n, minFlipRate, minLift, probe, contextPool, consistent, alsoAdapted, pull);
        }

        /** The same bar with candidates from {@code p}. */
        public Config withProbe(Probe p) {
            return new Config(rows, candidates, minFlipRate, minLift, p, contextPool, consistent, alsoAdapted, pull);
        }

        /** The same bar with the in-context probe limited to the alone probe's top {@code n} per class (0: none). */
        public Config withContextPool(int n) {
            return new Config(rows, candidates, minFlipRate, minLift, probe, n, consistent, alsoAdapted, pull);
        }

        /** The same scan, also moving the {@code n} tokens most consistent in the downloaded encoder (0: none). */
        public Config withConsistent(int n) {
            return new Config(rows, candidates, minFlipRate, minLift, probe, contextPool, n, alsoAdapted, pull);
        }

        /** The same scan, with held-out rows also scanning the adaptation's own ({@link #alsoAdapted()}). */
        public Config withAlsoAdapted(boolean both) {
            return new Config(rows, candidates, minFlipRate, minLift, probe, contextPool, consistent, both, pull);
        }

        /** The same scan, its suspects moved to {@code target}. */
        public Config withPull(PullTarget target) {
            return new Config(rows, candidates, minFlipRate, minLift, probe, contextPool, consistent, alsoAdapted, target);
        }
    }

    /**
     * A checked token: inserted at the start of clean rows not of {@code toClass}, it made {@code flipRate}
     * of them predicted as the class; {@code baseRate} of the same rows are predicted so without it.
     */
    public record Suspect(int id, String token, int toClass, double flipRate, double baseRate) {
        public double lift() {
            return flipRate - baseRate;
        }
    }

    private TriggerScan() {
    }

    /** The suspects of an adapted classifier, strongest first per class. */
    public static List<Suspect> scan(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean,
                                     Config config) {
        return scan(classifier, tokenizer, clean, config, p -> { });
    }

    /**
     * As {@link #scan(PromptClassifier, Tokenizer, List, Config)}, reporting each stage (a probe over the vocabulary,
     * a class's insertion checks) to {@code progress}: on two cores a scan takes tens of minutes.
     */
    public static List<Suspect> scan(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean,
                                     Config config, Consumer<Progress> progress) {
        return scan(classifier, tokenizer, clean, config, eligible(classifier, tokenizer, clean), progress);
    }

    /**
     * As {@link #scan(PromptClassifier, Tokenizer, List, Config, Consumer)}, probing and checking {@code heldOut}:
     * clean rows the adaptation never fit (none: its own rows, {@code adapted}). A token of either set is not
     * eligible, as a defender holding both would not call a word of their own data a trigger.
     *
     * <p>Why: a trigger the adaptation has weakened flips fewer of the rows it has just fit than of unseen rows (on
     * Yelp, seed 43: 11% of the fitted rows, 33% of held-out ones), and natural words it has not fit outrank it
     * (reports/gba-diagnosis-yelp-seed43.md).
     */
    public static List<Suspect> scan(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> adapted,
                                     List<LabeledText> heldOut, Config config, Consumer<Progress> progress) {
        return scan(classifier, tokenizer, adapted, heldOut, config, null, progress);
    }

    /**
     * As the public held-out scan, among the tokens {@code within} marks only (all: null), for a fast test. With
     * {@link Config#alsoAdapted()} and held-out rows, the adaptation's own rows are scanned too and a token either scan
     * admits is a suspect (once: the held-out scan's record of it, which comes first).
     */
    static List<Suspect> scan(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> adapted,
                              List<LabeledText> heldOut, Config config, boolean[] within, Consumer<Progress> progress) {
        boolean[] eligible = eligible(classifier, tokenizer, adapted, heldOut);
        for (int id = 0; within != null && id < eligible.length; id++) {
            eligible[id] &= within[id];
        }
        // the alone probe reads no clean row: a second scan of the same tokens reuses it
        double[][] alone = aloneProbabilities(classifier, tokenizer, config, eligible, progress);
        Function<List<LabeledText>, List<Suspect>> scanOf = rows -> admitted(check(classifier,
                tokenizer, rows, config, eligible, alone, new int[0], new int[classifier.classes()][0], progress), config);
        List<Suspect> found = scanOf.apply(heldOut.isEmpty() ? adapted : heldOut);
        return heldOut.isEmpty() || !config.alsoAdapted() ? found : union(found, scanOf.apply(adapted));
    }

    /**
     * The suspects of two scans, each token once: every one of {@code first} (the held-out scan's), then those of
     * {@code second} (the own rows') whose token is not already there.
     */
    public static List<Suspect> union(List<Suspect> first, List<Suspect> second) {
        List<Suspect> both = new ArrayList<>(first);
        Set<Integer> seen = new HashSet<>(first.stream().map(Suspect::id).toList());
        for (Suspect s : second) {
            if (seen.add(s.id())) {
                both.add(s);
            }
        }
        return both;
    }

    /** The checked candidates that clear {@code config}'s bar. */
    public static List<Suspect> admitted(List<Suspect> checked, Config config) {
        return checked.stream().filter(config::admits).toList();
    }

    /** As {@link #scan(PromptClassifier, Tokenizer, List, Config)}, probing only the tokens {@code eligible} marks. */
    static List<Suspect> scan(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean, Config config,
                              boolean[] eligible, Consumer<Progress> progress) {
        return admitted(check(classifier, tokenizer, clean, config, eligible, new int[0], new int[classifier.classes()][0],
                progress), config);
    }

    /**
     * Every candidate the scan checks by insertion, with its flip and base rates, whatever the bar:
     * one scan serves several bars.
     */
    public static List<Suspect> check(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean,
                                      Config config) {
        return check(classifier, tokenizer, clean, config, new int[0], new int[classifier.classes()][0], p -> { });
    }

    /**
     * As {@link #check(PromptClassifier, Tokenizer, List, Config)}, and for the diagnosis: {@code ranks[c][i]}
     * becomes the 1-based rank of token {@code watch[i]} in class c's probe ranking (1 = the most likely
     * candidate), or -1 where the token is not eligible; a watched token is checked when its rank is at most
     * {@code config.candidates()}.
     */
    public static List<Suspect> check(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean,
                                      Config config, int[] watch, int[][] ranks, Consumer<Progress> progress) {
        return check(classifier, tokenizer, clean, config, eligible(classifier, tokenizer, clean), watch, ranks, progress);
    }

    /**
     * As {@link #check(PromptClassifier, Tokenizer, List, Config, int[], int[][], Consumer)}, among the tokens eligible
     * where {@code known} rows are held as well (a word of either set is not a candidate): the diagnosis's scan of the
     * adaptation's own rows beside a held-out scan, as {@link Config#alsoAdapted()} scans them.
     */
    public static List<Suspect> check(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean,
                                      List<LabeledText> known, Config config, int[] watch, int[][] ranks,
                                      Consumer<Progress> progress) {
        return check(classifier, tokenizer, clean, config, eligible(classifier, tokenizer, clean, known), watch, ranks,
                progress);
    }

    static List<Suspect> check(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean,
                               Config config, boolean[] eligible, int[] watch, int[][] ranks,
                               Consumer<Progress> progress) {
        return check(classifier, tokenizer, clean, config, eligible,
                aloneProbabilities(classifier, tokenizer, config, eligible, progress), watch, ranks, progress);
    }

    /** Whether {@code config}'s in-context probe looks only at the alone probe's top tokens among {@code eligible}. */
    private static boolean pooled(Config config, int eligible) {
        return config.probe().inContext() && config.contextPool() > 0 && config.contextPool() < eligible;
    }

    /** The alone probe's class probabilities of the {@code eligible} tokens where {@code config} uses them, else null. */
    private static double[][] aloneProbabilities(PromptClassifier classifier, Tokenizer tokenizer, Config config,
                                                 boolean[] eligible, Consumer<Progress> progress) {
        List<Integer> ids = ids(eligible);
        return config.probe().alone() || pooled(config, ids.size())
                ? aloneProbabilities(classifier, tokenizer, ids, progress) : null;
    }

    /** As the check above, with the alone probe's probabilities of the {@code eligible} tokens given ({@code alone}). */
    private static List<Suspect> check(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean,
                                       Config config, boolean[] eligible, double[][] alone, int[] watch, int[][] ranks,
                                       Consumer<Progress> progress) {
        List<Integer> ids = ids(eligible);
        boolean pooled = pooled(config, ids.size());
        List<Suspect> checked = new ArrayList<>();
        for (int c = 0; c < classifier.classes(); c++) {
            final int target = c;
            List<LabeledText> others = clean.stream().filter(e -> e.label() != target).limit(config.rows()).toList();
            if (others.isEmpty()) {
                continue;
            }
            double baseRate = shareOf(classifier.predict(others), target);
            List<double[]> rankings = new ArrayList<>();
            double[] aloneScores = null;
            if (alone != null) {
                aloneScores = new double[ids.size()];
                for (int i = 0; i < aloneScores.length; i++) {
                    aloneScores[i] = -alone[i][target];
                }
            }
            if (config.probe().alone()) {
                rankings.add(aloneScores);
            }
            if (config.probe().inContext()) {
                if (pooled) {
                    // only the alone probe's top tokens for this class are probed in context; the rest rank last
                    int[] pool = lowest(aloneScores, config.contextPool());
                    double[] pooledScores = contextScores(classifier, tokenizer,
                            java.util.Arrays.stream(pool).mapToObj(ids::get).toList(), others, target, progress);
                    double[] scores = new double[ids.size()];
                    java.util.Arrays.fill(scores, Double.POSITIVE_INFINITY);
                    for (int i = 0; i < pool.length; i++) {
                        scores[pool[i]] = pooledScores[i];
                    }
                    rankings.add(scores);
                } else {
                    rankings.add(contextScores(classifier, tokenizer, ids, others, target, progress));
                }
            }
            ranks[c] = new int[watch.length];
            for (int w = 0; w < watch.length; w++) {
                int index = ids.indexOf(watch[w]);
                ranks[c][w] = index < 0 ? -1 : rankings.stream().mapToInt(scores -> rank(scores, index)).min().orElseThrow();
            }
            java.util.Set<Integer> candidates = new java.util.LinkedHashSet<>();
            for (double[] scores : rankings) {
                for (int index : lowest(scores, config.candidates())) {
                    candidates.add(index);
                }
            }
            String stage = "scan: checking class " + target + "'s candidates";
            int done = 0;
            for (int index : candidates) {
                long start = System.nanoTime();
                checked.add(inserted(classifier, tokenizer, ids.get(index), target, others, baseRate));
                progress.accept(Progress.of(stage, ++done, candidates.size(), (System.nanoTime() - start) / 1e9));
            }
        }
        return checked;
    }

    /**
     * Token {@code id} checked as the scan checks a candidate, whether or not a probe ranked it: inserted at the start
     * of up to {@code config.rows()} rows of {@code clean} not of {@code target}. For the diagnosis: a trigger's own
     * flip rate and lift, beside the bar it would have to clear.
     */
    public static Suspect check(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean, Config config,
                                int id, int target) {
        List<LabeledText> others = clean.stream().filter(e -> e.label() != target).limit(config.rows()).toList();
        if (others.isEmpty()) {
            throw new IllegalArgumentException("no clean row outside class " + target + " to check a token on");
        }
        return inserted(classifier, tokenizer, id, target, others, shareOf(classifier.predict(others), target));
    }

    private static Suspect inserted(PromptClassifier classifier, Tokenizer tokenizer, int id, int target,
                                    List<LabeledText> others, double baseRate) {
        String token = tokenizer.token(id);
        List<LabeledText> inserted = others.stream().map(e -> e.withText(token + " " + e.text(), e.label())).toList();
        return new Suspect(id, token, target, shareOf(classifier.predict(inserted), target), baseRate);
    }

    /** Each token alone as a prompt's text: {@code [CLS] w [SEP]} + template + {@code [MASK]}; one row per token. */
    private static double[][] aloneProbabilities(PromptClassifier classifier, Tokenizer tokenizer, List<Integer> ids,
                                                 Consumer<Progress> progress) {
        PromptClassifier probe = classifier.resized(classifier.encoder().templateIds().length + 4);
        return probabilities(probe, ids.stream().map(id -> new LabeledText(tokenizer.token(id), null, 0)).toList(),
                "scan: probing each token alone", progress);
    }

    /** {@code classifier}'s probabilities of {@code rows}, a chunk at a time, each chunk reported as a step of {@code stage}. */
    private static double[][] probabilities(PromptClassifier classifier, List<LabeledText> rows, String stage,
                                            Consumer<Progress> progress) {
        double[][] out = new double[rows.size()][];
        int chunks = (rows.size() + PROBE_CHUNK - 1) / PROBE_CHUNK;
        for (int c = 0; c < chunks; c++) {
            long start = System.nanoTime();
            int from = c * PROBE_CHUNK;
            double[][] p = classifier.probabilities(rows.subList(from, Math.min(rows.size(), from + PROBE_CHUNK)), PROBE_BATCH);
            System.arraycopy(p, 0, out, from, p.length);
            progress.accept(Progress.of(stage, c + 1, chunks, (System.nanoTime() - start) / 1e9));
        }
        return out;
    }

    /**
     * Minus p({@code target}) for each token inserted in front of the shortest of {@code others} (rows not of that
     * class), the way a trigger is used; the shortest keeps the pass over the vocabulary cheap.
     */
    private static double[] contextScores(PromptClassifier classifier, Tokenizer tokenizer, List<Integer> ids,
                                          List<LabeledText> others, int target, Consumer<Progress> progress) {
        LabeledText context = others.stream().min(java.util.Comparator.comparingInt(e -> tokenizer.ids(e.text()).length))
                .orElseThrow();
        // every probe row is the context plus one single-piece token: a graph that long, not the classifier's full
        // length, gives the same scores (padding is masked) at a fraction of the cost
        int length = Math.min(classifier.config().maxLength(), classifier.encoder().encode(context).ids().length + 1);
        double[][] p = probabilities(classifier.resized(length), ids.stream().map(id -> context.withText(tokenizer.token(id)
                + " " + context.text(), context.label())).toList(), "scan: probing each token before a row of class "
                + target + "'s others", progress);
        double[] scores = new double[ids.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = -p[i][target];
        }
        return scores;
    }

    /**
     * For the diagnosis: the best (lowest) 1-based rank of the {@code watch} tokens among the eligible tokens by
     * p({@code target}) when each is inserted before one clean row not of that class (the shortest), the way a
     * trigger is used, rather than alone as the scan's probe does; -1 if none of them is eligible. One pass over
     * the vocabulary at that row's length, whatever the number of watched tokens.
     */
    public static int contextRank(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean, int target,
                                  int[] watch) {
        List<Integer> ids = ids(eligible(classifier, tokenizer, clean));
        int[] indices = java.util.Arrays.stream(watch).map(ids::indexOf).filter(i -> i >= 0).toArray();
        if (indices.length == 0) {
            return -1;
        }
        double[] scores = contextScores(classifier, tokenizer, ids, clean.stream().filter(e -> e.label() != target).toList(),
                target, p -> { });
        return java.util.Arrays.stream(indices).map(i -> rank(scores, i)).min().orElseThrow();
    }

    /** The token ids {@code eligible} marks, ascending. */
    static List<Integer> ids(boolean[] eligible) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < eligible.length; id++) {
            if (eligible[id]) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static double shareOf(int[] predicted, int label) {
        return (double) java.util.Arrays.stream(predicted).filter(p -> p == label).count() / predicted.length;
    }

    /**
     * Moves each suspect's row to the class-token centre (the mean of the label words' rows); returns
     * the mean L2 distance moved.
     */
    public static double pullToClassCentre(INDArray embeddings, List<Suspect> suspects, int[] labelIds) {
        return PullTarget.CENTRE.pull(embeddings, suspects, labelIds, -1);
    }

    /** Moves each suspect's row to {@code target} (a copy is taken first); returns the mean L2 distance moved. */
    public static double pullTo(INDArray embeddings, List<Suspect> suspects, INDArray target) {
        if (suspects.isEmpty()) {
            return 0;
        }
        INDArray to = target.dup().reshape(1, embeddings.columns());
        double moved = 0;
        for (Suspect s : suspects) {
            moved += embeddings.getRow(s.id()).reshape(1, embeddings.columns()).distance2(to);
            embeddings.putRow(s.id(), to);
        }
        return moved / suspects.size();
    }

    /** The tokens a scan of {@code heldOut} rows (none: {@code adapted}'s) may move: a token of either set is not. */
    public static boolean[] eligible(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> adapted,
                                     List<LabeledText> heldOut) {
        List<LabeledText> both = new ArrayList<>(heldOut);
        both.addAll(adapted);
        return eligible(classifier, tokenizer, both);
    }

    static boolean[] eligible(PromptClassifier classifier, Tokenizer tokenizer, List<LabeledText> clean) {
        int vocab = (int) classifier.model().wordEmbeddings().rows();
        Set<Integer> excluded = new HashSet<>();
        for (LabeledText e : clean) {
            for (int id : tokenizer.ids(e.text())) {
                excluded.add(id);
            }
            if (e.second() != null) {
                for (int id : tokenizer.ids(e.second())) {
                    excluded.add(id);
                }
            }
        }
        for (int id : classifier.encoder().templateIds()) {
            excluded.add(id);
        }
        for (int id : classifier.labels().ids()) {
            excluded.add(id);
        }
        excluded.addAll(List.of(tokenizer.clsId(), tokenizer.sepId(), tokenizer.maskId(), tokenizer.padId(),
                tokenizer.unkId()));
        boolean[] out = new boolean[vocab];
        for (int id = 0; id < Math.min(vocab, tokenizer.vocabSize()); id++) {
            if (excluded.contains(id)) {
                continue;
            }
            String token = tokenizer.token(id);
            if (token == null || token.startsWith("##") || token.startsWith("[") || token.isBlank()) {
                continue;
            }
            int[] back = tokenizer.ids(token);
            out[id] = back.length == 1 && back[0] == id;
        }
        return out;
    }

    /** The 1-based rank of {@code scores[index]} from the lowest; ties share the best rank. */
    static int rank(double[] scores, int index) {
        int rank = 1;
        for (double score : scores) {
            rank += score < scores[index] ? 1 : 0;
        }
        return rank;
    }

    /** The {@code k} indices with the lowest scores, lowest first. */
    static int[] lowest(double[] scores, int k) {
        return java.util.stream.IntStream.range(0, scores.length).boxed()
                .sorted(java.util.Comparator.comparingDouble(i -> scores[i])).limit(k).mapToInt(Integer::intValue)
                .toArray();
    }
}
