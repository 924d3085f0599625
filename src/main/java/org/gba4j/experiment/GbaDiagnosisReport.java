package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.gba4j.attack.Attacks;
import org.gba4j.defense.Defenses;

/**
 * The diagnosis's report: step-0 figures, the oracle, the ladder (dev and test), and the rung each
 * (attack, task) would choose on dev: the lowest dev ASR whose dev ACC is within
 * {@link #ACC_TOLERANCE} of PT+soft's. The CSV is long: one row per measured value.
 */
public final class GbaDiagnosisReport {
    /** The columns {@link #csv} writes and {@link #read} expects. */
    static final String HEADER = "seed,attack,task,section,variant,metric,value";
    /** How much dev ACC a rung may lose against PT+soft and still be chosen. */
    public static final double ACC_TOLERANCE = 0.03;

    private GbaDiagnosisReport() {
    }

    public static String csv(List<GbaDiagnosis.Value> values) {
        StringBuilder out = new StringBuilder(HEADER + "\n");
        for (GbaDiagnosis.Value v : values) {
            out.append(String.join(",", Long.toString(v.seed()), v.attack(), v.task(), v.section(), v.variant(), v.metric(),
                    Double.toString(v.value()))).append('\n');
        }
        return out.toString();
    }

    /**
     * The values of a report CSV that {@link #csv} wrote, for {@code gba-diagnosis --resume-from}. The file is untrusted:
     * its size is bounded before it is read, every row must have the seven fields, a seed, names that make a unit file
     * name in the work folder and read back as the same four parts ({@link GbaDiagnosis#unitKey}), and a number.
     */
    public static List<GbaDiagnosis.Value> read(java.nio.file.Path file) {
        List<String> lines = ReportReader.text(file, "a diagnosis report", "Give a report CSV written by gba-diagnosis")
                .lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new org.gba4j.files.ModelFileException(file, "does not start with the header '" + HEADER + "'",
                    "Give a report CSV written by gba-diagnosis (reports/gba-diagnosis*.csv)");
        }
        List<GbaDiagnosis.Value> values = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            String problem = f.length != 7 ? "has " + f.length + " fields, not 7"
                    : !f[0].matches("-?[0-9]{1,18}") ? "has seed '" + f[0] + "', not an integer"
                    : !namesUnit(f) ? "does not name a unit (attack, task,"
                            + " section, variant: lower-case letters, digits, '.', hyphens only in the attack and variant)"
                    : !f[5].matches("[^\\s\"]+") ? "has no metric name" : number(f[6]) == null ? "has value '" + f[6]
                            + "', not a number" : null;
            if (problem != null) {
                throw new org.gba4j.files.ModelFileException(file, "line " + (i + 1) + " " + problem,
                        "Give the report as gba-diagnosis wrote it");
            }
            values.add(new GbaDiagnosis.Value(Long.parseLong(f[0]), f[1], f[2], f[3], f[4], f[5], number(f[6])));
        }
        return values;
    }

    /** Whether fields 1-4 make a unit file's name in the work folder that reads back as the same four parts. */
    private static boolean namesUnit(String[] f) {
        String name = String.join("-", f[1], f[2], f[3], f[4]);
        try {
            return name.matches("[a-z0-9][a-z0-9.-]*") && !name.contains("..")
                    && java.util.Arrays.equals(GbaDiagnosis.unitKey(name + ".csv"), java.util.Arrays.copyOfRange(f, 1, 5));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Double number(String text) {
        try {
            return text.matches("NaN|-?Infinity|-?[0-9.]+(E-?[0-9]+)?") ? Double.parseDouble(text) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The report: step 0, oracle, ladder and dev choice of seed {@code primary}, then the rungs run
     * with several seeds (mean and standard deviation) and the rung chosen on their mean dev scores.
     */
    public static String markdown(List<GbaDiagnosis.Value> all, long primary, String command, String profile,
                                  String csvName) {
        List<GbaDiagnosis.Value> values = all.stream().filter(v -> v.seed() == primary).toList();
        StringBuilder md = new StringBuilder("# GBA diagnosis (issue 13)\n\n");
        md.append("- Command (the last call; every stored unit is reported, and `experiments/quick-reports.sh` lists the"
                + " calls that made them): `").append(command).append("`\n");
        md.append("- Profile: ").append(profile).append("\n");
        md.append("- Every number below comes from `").append(csvName).append("` (one row per value). ASR, ACC and rates are"
                + " percent; the floor is PT+soft of the pre-trained model itself (never attacked, no fine-tune) with the same trigger.\n");
        md.append("- Sections up to \"Chosen on dev\" are seed ").append(primary).append("; \"Across seeds\" pools every seed"
                + " that ran a rung.\n\n");
        Map<String, Map<String, Double>> step0 = section(values, "step0");
        if (!step0.isEmpty()) {
            md.append("## Step 0: one clean batch, before any update\n\n");
            md.append(table(step0, metricsOf(step0), 4));
        }
        Map<String, Map<String, Double>> oracle = section(values, "oracle");
        if (!oracle.isEmpty()) {
            md.append("\n## Oracle: the No-Defense classifier with the trigger's row replaced (test set)\n\n");
            md.append("Each entry: ASR / ACC (L2 distance the row moved).\n\n");
            Set<String> variants = new LinkedHashSet<>();
            oracle.values().forEach(m -> m.keySet().stream().filter(k -> k.endsWith(":asr"))
                    .forEach(k -> variants.add(k.substring(0, k.length() - 4))));
            md.append("| attack / task | ").append(String.join(" | ", variants)).append(" |\n|---|");
            md.append("---|".repeat(variants.size())).append('\n');
            for (var row : oracle.entrySet()) {
                md.append("| ").append(row.getKey());
                for (String v : variants) {
                    Map<String, Double> m = row.getValue();
                    md.append(m.containsKey(v + ":asr") ? String.format(Locale.ROOT, " | %s / %s (%.2f)", pct(m.get(v + ":asr")),
                            pct(m.get(v + ":acc")), m.get(v + ":row_distance")) : " | -");
                }
                md.append(" |\n");
            }
        }
        Map<String, Map<String, Double>> ladder = section(values, "ladder");
        if (!ladder.isEmpty()) {
            md.append("\n## Ladder: prompt adaptation in each form\n\n");
            md.append("| attack / task / rung | test ASR | test ACC | clean target rate | dev ASR | dev ACC |"
                    + " trigger moved (L2) | RMSE to class tokens before -> after | seconds |\n");
            md.append("|---|---|---|---|---|---|---|---|---|\n");
            for (var row : ladder.entrySet()) {
                Map<String, Double> m = row.getValue();
                String flag = m.getOrDefault("test_acc", 1.0) <= m.getOrDefault("test_majority", 0.0) + 1e-9
                        ? " (at or below the majority class: not a classifier)" : "";
                md.append(String.format(Locale.ROOT, "| %s%s | %s | %s | %s | %s | %s | %s | %s -> %s | %.0f |%n", row.getKey(),
                        flag, pct(m.get("test_asr")), pct(m.get("test_acc")), pct(m.get("test_clean_target_rate")),
                        pct(m.get("dev_asr")), pct(m.get("dev_acc")), num(m.get("trigger_displacement")),
                        num(m.get("rmse_before")), num(m.get("rmse_after")), m.getOrDefault("seconds", Double.NaN)));
            }
            md.append(scan(ladder));
            md.append(perTrigger(ladder));
            md.append(consistencyRanks(ladder));
            md.append("\n## Chosen on dev\n\n");
            md.append("Per attack and task: the rung with the lowest dev ASR among those whose dev ACC is at most "
                    + (int) (ACC_TOLERANCE * 100) + " points below PT+soft's; its test scores (where rungs tie on dev ASR, the first in ladder order, the"
                    + " others named).\n\n");
            md.append("| attack / task | chosen rung | test ASR | test ACC | PT+soft test ASR / ACC | floor test ASR |\n");
            md.append("|---|---|---|---|---|---|\n");
            for (var choice : lowestOnDev(ladder).entrySet()) {
                String key = choice.getKey();
                List<String> tied = choice.getValue();
                Map<String, Double> chosen = ladder.get(key + " / " + tied.get(0));
                Map<String, Double> soft = ladder.getOrDefault(key + " / pt-soft", Map.of());
                Map<String, Double> floor = ladder.getOrDefault(key + " / floor", Map.of());
                String name = tied.size() == 1 ? tied.get(0) : tied.get(0) + " (tied on dev ASR with "
                        + String.join(", ", tied.subList(1, tied.size())) + ": dev does not choose)";
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s / %s | %s |%n", key, name,
                        pct(chosen.get("test_asr")), pct(chosen.get("test_acc")), pct(soft.get("test_asr")),
                        pct(soft.get("test_acc")), pct(floor.get("test_asr"))));
            }
        }
        md.append(oneDefault(section(values, "ladder")));
        md.append(acrossSeeds(all));
        md.append(otherSeeds(all, primary));
        return md.toString();
    }

    /**
     * What each aimed rung's scan saw: a trigger ranked past the candidates checked per class is never checked,
     * whatever the bar, and a checked one is moved only if its lift clears the bar; the best other candidate's lift
     * towards the target says how far the trigger would have to stand out to be singled out.
     */
    static String scan(Map<String, Map<String, Double>> ladder) {
        StringBuilder md = new StringBuilder();
        for (var row : ladder.entrySet()) {
            Map<String, Double> m = row.getValue();
            if (!m.containsKey("candidates_checked")) {
                continue;
            }
            if (md.isEmpty()) {
                md.append("\n## The aimed scan: what it checked\n\n| attack / task / rung | candidates checked | tokens moved |"
                        + " triggers found | trigger's probe rank | trigger's flip rate / lift | best other lift to the"
                        + " target |\n|---|---|---|---|---|---|---|\n");
            }
            Double flip = m.get("trigger_best_flip_rate");
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %s | %.0f | %s | %s |%n", row.getKey(),
                    m.get("candidates_checked"), m.getOrDefault("suspects", Double.NaN), pct(m.get("triggers_found")),
                    m.getOrDefault("trigger_probe_rank", Double.NaN), flip == null || flip.isNaN() ? "not checked"
                            : num(flip) + " / " + num(m.get("trigger_best_lift")), num(m.get("best_other_lift_to_target"))));
        }
        return md.toString();
    }

    /**
     * Each trigger of a per-trigger rung towards its own class (NeuBA's six have six classes): its rank in the probes
     * (past the candidates per class: never checked), its flip rate and lift on the scan's rows, and its test ASR beside
     * its class's clean target rate. A trigger with a test ASR well over its clean target rate survived the adaptation;
     * a lift under the bar on the scan's rows, or a rank past the candidates, is why the scan left it.
     */
    static String perTrigger(Map<String, Map<String, Double>> ladder) {
        StringBuilder md = new StringBuilder();
        for (var row : ladder.entrySet()) {
            Map<String, Double> m = row.getValue();
            for (String key : m.keySet()) {
                if (!key.startsWith("rank:")) {
                    continue;
                }
                String trigger = key.substring("rank:".length());
                if (md.isEmpty()) {
                    md.append("\n## Each trigger towards its own class\n\nMeasured on the adapted classifier the scan looks"
                            + " at, before its pull. The probe rank is the better of the alone and"
                            + " the in-context probe's; with the default context pool of 2,000, 2001 means past the alone"
                            + " probe's top 2,000 and so never probed in context.\n\n| attack / task / rung | trigger |"
                            + " probe rank | flip rate / lift on the scan's rows | test ASR | clean target rate |\n"
                            + "|---|---|---|---|---|---|\n");
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s / %s | %s | %s |%n", row.getKey(), trigger,
                        rank(m.get(key)),
                        num(m.get("flip_rate:" + trigger)), num(m.get("lift:" + trigger)), pct(m.get("test_asr:" + trigger)),
                        pct(m.get("test_clean_target_rate:" + trigger))));
            }
        }
        return md.toString();
    }

    /**
     * Each trigger's rank by the representation probe ({@link org.gba4j.prompt.RepresentationProbe}) among the tokens
     * eligible for the scan, in the downloaded encoder and in the never-attacked one: a trigger ranked within the
     * rung's N in the first and far down in the second is found by the planted mapping, not by the word itself.
     */
    static String consistencyRanks(Map<String, Map<String, Double>> ladder) {
        StringBuilder md = new StringBuilder();
        for (var row : ladder.entrySet()) {
            Map<String, Double> m = row.getValue();
            for (String key : m.keySet()) {
                if (!key.startsWith("cls_rank:")) {
                    continue;
                }
                String trigger = key.substring("cls_rank:".length());
                if (md.isEmpty()) {
                    md.append("\n## Each trigger in the downloaded encoder's [CLS] output\n\nRank by how alike the token"
                            + " makes the [CLS] outputs of 3 clean rows (1 = most alike) among the tokens the scan may move:"
                            + " the 3 shortest in the cls-consistency rungs, the 3 shortest of at least 4 tokens that differ in"
                            + " the cls-distinct ones; the rung pulls the N highest (its name's last number) beside the"
                            + " scan's suspects."
                            + "\n\n| attack / task / rung | trigger | rank, downloaded encoder | rank, never-attacked encoder |"
                            + "\n|---|---|---|---|\n");
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", row.getKey(), trigger, rank(m.get(key)),
                        rank(m.get("cls_rank_never_attacked:" + trigger))));
            }
        }
        return md.toString();
    }

    private static String rank(Double r) {
        return r == null || r.isNaN() ? "-" : r < 0 ? "not eligible" : String.format(Locale.ROOT, "%.0f", r);
    }

    /**
     * The default a user gets: one rung for every (attack, task) pair that ran it, chosen on dev as the
     * lowest mean dev ASR among the rungs that stay within {@link #ACC_TOLERANCE} of PT+soft's dev ACC
     * on every pair.
     */
    static String oneDefault(Map<String, Map<String, Double>> ladder) {
        Map<String, Map<String, Map<String, Double>>> byRung = new LinkedHashMap<>(); // rung -> pair -> metrics
        for (var e : ladder.entrySet()) {
            int cut = e.getKey().lastIndexOf(" / ");
            if (ofNeverAttacked(e.getKey())) {
                continue;
            }
            byRung.computeIfAbsent(e.getKey().substring(cut + 3), k -> new LinkedHashMap<>())
                    .put(e.getKey().substring(0, cut), e.getValue());
        }
        Map<String, Map<String, Double>> soft = byRung.getOrDefault(Defenses.PT_SOFT, Map.of());
        Map<String, Double> eligible = new LinkedHashMap<>(); // rung -> mean dev ASR, in ladder order
        for (var rung : byRung.entrySet()) {
            if (!choosable(rung.getKey()) || !rung.getValue().keySet().containsAll(soft.keySet())) {
                continue;
            }
            boolean keepsAcc = soft.entrySet().stream().allMatch(p -> rung.getValue().get(p.getKey())
                    .getOrDefault("dev_acc", 0.0) >= p.getValue().get("dev_acc") - ACC_TOLERANCE - 1e-12);
            double meanAsr = soft.keySet().stream().mapToDouble(p -> rung.getValue().get(p).getOrDefault("dev_asr",
                    Double.NaN)).average().orElse(Double.NaN);
            if (keepsAcc) {
                eligible.put(rung.getKey(), meanAsr);
            }
        }
        List<String> lowest = lowest(eligible);
        if (lowest.isEmpty() || soft.size() < 2) {
            return "";
        }
        String best = lowest.get(0);
        double bestAsr = eligible.get(best);
        List<String> tied = lowest.subList(1, lowest.size());
        StringBuilder md = new StringBuilder("\n## One default for every pair\n\n");
        md.append("The rung with the lowest mean dev ASR over the ").append(soft.size()).append(" pairs among those"
                + " whose dev ACC stays within ").append((int) (ACC_TOLERANCE * 100)).append(" points of PT+soft's on"
                + " every pair: **").append(best).append("** (mean dev ASR ").append(pct(bestAsr))
                .append(tied.isEmpty() ? "" : "; tied with " + String.join(", ", tied) + ": dev does not choose")
                .append(").\n\n");
        md.append("| attack / task | test ASR | test ACC | clean target rate | PT+soft test ASR / ACC |\n|---|---|---|---|---|\n");
        for (var pair : soft.entrySet()) {
            Map<String, Double> m = byRung.get(best).get(pair.getKey());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s / %s |%n", pair.getKey(), pct(m.get("test_asr")),
                    pct(m.get("test_acc")), pct(m.get("test_clean_target_rate")), pct(pair.getValue().get("test_asr")),
                    pct(pair.getValue().get("test_acc"))));
        }
        return md.toString();
    }

    /** Rungs run with two or more seeds: mean and sample standard deviation, and the rung chosen on the mean dev scores. */
    static String acrossSeeds(List<GbaDiagnosis.Value> all) {
        Map<String, Map<String, Map<Long, Double>>> pooled = bySeed(all);
        pooled.values().removeIf(m -> m.getOrDefault("test_asr", Map.of()).size() < 2);
        if (pooled.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Across seeds\n\n");
        md.append("Mean +/- sample standard deviation over the seeds listed (each seed: its own data sample, backdoor,"
                + " initialisation and order).\n\n");
        md.append("| attack / task / rung | seeds | test ASR | test ACC | clean target rate | dev ASR | dev ACC | triggers found |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        Map<String, Map<String, Double>> means = new LinkedHashMap<>();
        for (var row : pooled.entrySet()) {
            Map<String, Map<Long, Double>> m = row.getValue();
            Map<String, Double> mean = new LinkedHashMap<>();
            m.forEach((metric, bySeed) -> mean.put(metric, stats(bySeed.values())[0]));
            means.put(row.getKey(), mean);
            md.append("| ").append(row.getKey()).append(" | ").append(m.get("test_asr").keySet().stream()
                    .map(String::valueOf).collect(Collectors.joining(",")));
            for (String metric : List.of("test_asr", "test_acc", "test_clean_target_rate", "dev_asr", "dev_acc",
                    "triggers_found")) {
                md.append(" | ").append(spread(m.get(metric)));
            }
            md.append(" |\n");
        }
        md.append("\nChosen on the mean dev scores (same rule as above):\n\n");
        md.append("| attack / task | chosen rung | test ASR | test ACC | PT+soft test ASR | PT+soft test ACC | floor test ASR |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (var choice : choices(means).entrySet()) {
            String key = choice.getKey();
            md.append("| ").append(key).append(" | ").append(choice.getValue());
            for (String[] cell : new String[][] {{choice.getValue(), "test_asr"}, {choice.getValue(), "test_acc"},
                    {Defenses.PT_SOFT, "test_asr"}, {Defenses.PT_SOFT, "test_acc"}, {"floor", "test_asr"}}) {
                Map<String, Map<Long, Double>> m = pooled.get(key + " / " + cell[0]);
                md.append(" | ").append(m == null ? "-" : spread(m.get(cell[1])));
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    /** Rungs run on one seed other than {@code primary} only (e.g. a probe tried where another seed's scan failed). */
    static String otherSeeds(List<GbaDiagnosis.Value> all, long primary) {
        Map<String, Map<String, Map<Long, Double>>> pooled = bySeed(all);
        pooled.values().removeIf(m -> {
            Set<Long> seeds = m.getOrDefault("test_asr", Map.of()).keySet();
            return seeds.size() != 1 || seeds.contains(primary);
        });
        if (pooled.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Rungs run on one other seed\n\n");
        md.append("| attack / task / rung | seed | test ASR | test ACC | clean target rate | dev ASR | dev ACC | triggers found |"
                + " trigger's probe rank | tokens moved |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (var row : pooled.entrySet()) {
            Map<String, Map<Long, Double>> m = row.getValue();
            long seed = m.get("test_asr").keySet().iterator().next();
            md.append("| ").append(row.getKey()).append(" | ").append(seed);
            for (String metric : List.of("test_asr", "test_acc", "test_clean_target_rate", "dev_asr", "dev_acc",
                    "triggers_found")) {
                md.append(" | ").append(pct(m.getOrDefault(metric, Map.of()).get(seed)));
            }
            for (String metric : List.of("trigger_probe_rank", "suspects")) {
                Double v = m.getOrDefault(metric, Map.of()).get(seed);
                md.append(" | ").append(v == null ? "-" : String.format(Locale.ROOT, "%.0f", v));
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    /** The ladder's values as "attack / task / rung" -> metric -> seed -> value. */
    private static Map<String, Map<String, Map<Long, Double>>> bySeed(List<GbaDiagnosis.Value> all) {
        Map<String, Map<String, Map<Long, Double>>> pooled = new LinkedHashMap<>();
        for (GbaDiagnosis.Value v : all) {
            if (v.section().equals("ladder")) {
                pooled.computeIfAbsent(v.attack() + " / " + v.task() + " / " + v.variant(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(v.metric(), k -> new java.util.TreeMap<>()).put(v.seed(), v.value());
            }
        }
        return pooled;
    }

    /** Mean and sample standard deviation. */
    static double[] stats(java.util.Collection<Double> xs) {
        double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ss = xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return new double[] {mean, xs.size() > 1 ? Math.sqrt(ss / (xs.size() - 1)) : Double.NaN};
    }

    private static String spread(Map<Long, Double> bySeed) {
        if (bySeed == null || bySeed.isEmpty()) {
            return "-";
        }
        double[] s = stats(bySeed.values());
        return String.format(Locale.ROOT, "%.1f +/- %.1f", 100 * s[0], 100 * s[1]);
    }

    /**
     * Whether a defender could run {@code rung}: not the floor (another model), not an oracle pull (it knows the
     * trigger); only such rungs are chosen on dev.
     */
    static boolean choosable(String rung) {
        return !rung.equals("floor") && !rung.startsWith(GbaDiagnosis.ORACLE_PULL);
    }

    /** Whether a ladder key "attack / task / rung" is of a floor run as an attack: nothing to defend, nothing to choose. */
    private static boolean ofNeverAttacked(String key) {
        return Attacks.isFloor(key.substring(0, key.indexOf(" / ")));
    }

    /** Per "attack / task", the rung chosen on dev (floor and oracle excluded): the first of {@link #lowestOnDev}. */
    public static Map<String, String> choices(Map<String, Map<String, Double>> ladder) {
        Map<String, String> out = new LinkedHashMap<>();
        lowestOnDev(ladder).forEach((pair, rungs) -> out.put(pair, rungs.get(0)));
        return out;
    }

    /**
     * Per "attack / task", every rung a defender could run whose dev ACC stays within {@link #ACC_TOLERANCE} of
     * PT+soft's and whose dev ASR is the lowest among those, in ladder order: more than one is a tie that dev
     * cannot break, which the report says rather than hide behind the first. A floor run as an attack (a
     * never-attacked model) has nothing to choose for.
     */
    static Map<String, List<String>> lowestOnDev(Map<String, Map<String, Double>> ladder) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, List<String>> byPair = new LinkedHashMap<>();
        for (String key : ladder.keySet()) {
            int cut = key.lastIndexOf(" / ");
            if (!ofNeverAttacked(key)) {
                byPair.computeIfAbsent(key.substring(0, cut), k -> new ArrayList<>()).add(key.substring(cut + 3));
            }
        }
        for (var pair : byPair.entrySet()) {
            Map<String, Double> soft = ladder.get(pair.getKey() + " / pt-soft");
            double bar = soft == null ? 0 : soft.get("dev_acc") - ACC_TOLERANCE;
            Map<String, Double> eligible = new LinkedHashMap<>(); // rung -> dev ASR, in ladder order
            for (String rung : pair.getValue()) {
                Map<String, Double> m = ladder.get(pair.getKey() + " / " + rung);
                if (choosable(rung) && m.get("dev_acc") != null && m.get("dev_acc") >= bar - 1e-12) {
                    eligible.put(rung, m.get("dev_asr"));
                }
            }
            List<String> best = lowest(eligible);
            if (!best.isEmpty()) {
                out.put(pair.getKey(), best);
            }
        }
        return out;
    }

    /**
     * The keys whose value is the lowest (equal within 1e-12: a tie), in the map's order; none for an empty map. A NaN
     * (a score not recorded) is never the lowest.
     */
    static List<String> lowest(Map<String, Double> scores) {
        double min = scores.values().stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).min()
                .orElse(Double.NaN);
        return scores.entrySet().stream().filter(e -> Math.abs(e.getValue() - min) <= 1e-12).map(Map.Entry::getKey)
                .toList();
    }

    /** "attack / task[ / variant]" -> metric -> value, for one section. */
    static Map<String, Map<String, Double>> section(List<GbaDiagnosis.Value> values, String section) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (GbaDiagnosis.Value v : values) {
            if (v.section().equals(section)) {
                String key = v.attack() + " / " + v.task() + (section.equals("ladder") ? " / " + v.variant() : "");
                out.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(v.metric(), v.value());
            }
        }
        return out;
    }

    private static List<String> metricsOf(Map<String, Map<String, Double>> rows) {
        return rows.values().stream().flatMap(m -> m.keySet().stream()).distinct().collect(Collectors.toList());
    }

    private static String table(Map<String, Map<String, Double>> rows, List<String> metrics, int digits) {
        StringBuilder md = new StringBuilder("| metric | ");
        md.append(String.join(" | ", rows.keySet())).append(" |\n|---|").append("---|".repeat(rows.size())).append('\n');
        for (String metric : metrics) {
            md.append("| ").append(metric);
            for (Map<String, Double> m : rows.values()) {
                md.append(" | ").append(String.format(Locale.ROOT, "%." + digits + "g", m.getOrDefault(metric, Double.NaN)));
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    private static String pct(Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    private static String num(Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
