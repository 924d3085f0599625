package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The diagnosis report's pooling over seeds and its dev choice, on hand-made values. */
class GbaDiagnosisReportTest {

    private static void rung(List<GbaDiagnosis.Value> out, long seed, String rung, double devAsr, double devAcc,
                             double testAsr, double testAcc) {
        Map.of("dev_asr", devAsr, "dev_acc", devAcc, "test_asr", testAsr, "test_acc", testAcc).forEach((metric, value) ->
                out.add(new GbaDiagnosis.Value(seed, "badnets", "mr", "ladder", rung, metric, value)));
    }

    @Test
    void poolsSeedsAndChoosesOnTheMeanDevScores() {
        List<GbaDiagnosis.Value> values = new ArrayList<>();
        rung(values, 42, "pt-soft", 0.98, 0.64, 0.97, 0.66);
        rung(values, 43, "pt-soft", 0.90, 0.66, 0.93, 0.68);
        // low dev ASR but 5 points of dev ACC lost on average: not eligible
        rung(values, 42, "gba-broken", 0.01, 0.60, 0.01, 0.60);
        rung(values, 43, "gba-broken", 0.01, 0.60, 0.01, 0.60);
        // eligible on the mean (dev ACC 0.64 vs 0.65 - 0.03) though one seed alone is 4 points below
        rung(values, 42, "gba-aimed", 0.10, 0.64, 0.09, 0.65);
        rung(values, 43, "gba-aimed", 0.20, 0.62, 0.11, 0.67);
        rung(values, 42, "only-one-seed", 0.0, 0.70, 0.0, 0.70);

        String md = GbaDiagnosisReport.acrossSeeds(values);
        assertTrue(md.contains("| badnets / mr / pt-soft | 42,43 | 95.0 +/- 2.8 | 67.0 +/- 1.4 |"), md);
        assertFalse(md.contains("only-one-seed"), "a rung of one seed has no spread: " + md);
        assertTrue(md.contains("| badnets / mr | gba-aimed | 10.0 +/- 1.4 | 66.0 +/- 1.4 | 95.0 +/- 2.8 |"), md);
        assertArrayEquals(new double[] {2, 1}, GbaDiagnosisReport.stats(List.of(1.0, 2.0, 3.0)), 1e-12);
    }

    @Test
    void aRungRunOnOneOtherSeedIsListedWithItsSeed() {
        List<GbaDiagnosis.Value> values = new ArrayList<>();
        rung(values, 42, "pt-soft", 0.98, 0.64, 0.97, 0.66);
        rung(values, 44, "gba-aimed-lift-0.2-in-context", 0.283, 0.679, 0.247, 0.707);
        rung(values, 42, "only-primary", 0.1, 0.6, 0.1, 0.6);
        String md = GbaDiagnosisReport.otherSeeds(values, 42);
        assertTrue(md.contains("| badnets / mr / gba-aimed-lift-0.2-in-context | 44 | 24.7 | 70.7 | - | 28.3 | 67.9 | - | - | - |"),
                md);
        assertFalse(md.contains("only-primary") || md.contains("pt-soft"), md); // the primary seed has its own sections
        assertEquals("", GbaDiagnosisReport.otherSeeds(values.subList(0, 4), 42));
    }

    @Test
    void theScanSectionSaysWhetherTheTriggerWasCheckedAndHowItScored() {
        Map<String, Map<String, Double>> ladder = new java.util.LinkedHashMap<>();
        ladder.put("badnets / yelp / pt-soft", Map.of("dev_asr", 0.32, "dev_acc", 0.89));
        ladder.put("badnets / yelp / gba-aimed-lift-0.2", Map.of("candidates_checked", 112.0, "suspects", 38.0,
                "triggers_found", 0.0, "trigger_probe_rank", 57.0, "trigger_best_flip_rate", Double.NaN,
                "best_other_lift_to_target", 0.546875));
        ladder.put("badnets / yelp / gba-aimed-lift-0.2-c80", Map.of("candidates_checked", 238.0, "suspects", 40.0,
                "triggers_found", 0.0, "trigger_probe_rank", 57.0, "trigger_best_flip_rate", 0.109375,
                "trigger_best_lift", 0.09375, "best_other_lift_to_target", 0.546875));
        String md = GbaDiagnosisReport.scan(ladder);
        assertFalse(md.contains("pt-soft"), md);
        assertTrue(md.contains("| badnets / yelp / gba-aimed-lift-0.2 | 112 | 38 | 0.0 | 57 | not checked | 0.547 |"), md);
        assertTrue(md.contains("| badnets / yelp / gba-aimed-lift-0.2-c80 | 238 | 40 | 0.0 | 57 | 0.109 / 0.094 | 0.547 |"),
                md);
        assertEquals("", GbaDiagnosisReport.scan(Map.of("badnets / yelp / pt-soft", Map.of("dev_asr", 0.32))));
    }

    @Test
    void eachTriggerIsListedTowardsItsOwnClassWithItsRankRatesAndAsr() {
        Map<String, Map<String, Double>> ladder = new java.util.LinkedHashMap<>();
        ladder.put("neuba / fakeddit / pt-soft", Map.of("dev_asr", 0.46, "dev_acc", 0.78));
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("candidates_checked", 132.0);
        m.put("rank:cf", 345.0);
        m.put("flip_rate:cf", 0.28125);
        m.put("lift:cf", 0.1875);
        m.put("test_asr:cf", 0.4625);
        m.put("test_clean_target_rate:cf", 0.18);
        m.put("rank:mb", -1.0);
        m.put("flip_rate:mb", 0.109375);
        m.put("lift:mb", 0.015625);
        m.put("test_asr:mb", 0.23);
        m.put("test_clean_target_rate:mb", 0.2267);
        ladder.put("neuba / fakeddit / gba-aimed-per-trigger", m);
        String md = GbaDiagnosisReport.perTrigger(ladder);
        assertTrue(md.contains("| neuba / fakeddit / gba-aimed-per-trigger | cf | 345 | 0.281 / 0.188 | 46.3 | 18.0 |"), md);
        assertTrue(md.contains("| neuba / fakeddit / gba-aimed-per-trigger | mb | not eligible | 0.109 / 0.016 | 23.0 | 22.7 |"),
                md);
        assertFalse(md.contains("pt-soft"), md);
        assertEquals("", GbaDiagnosisReport.perTrigger(Map.of("badnets / yelp / pt-soft", Map.of("dev_asr", 0.32))));
    }

    @Test
    void eachTriggersConsistencyRankIsListedForBothEncoders() {
        Map<String, Map<String, Double>> ladder = new java.util.LinkedHashMap<>();
        ladder.put("neuba / yelp / gba-aimed-cls-consistency-20", Map.of("cls_rank:tq", 3.0,
                "cls_rank_never_attacked:tq", 4120.0, "cls_rank:mn", -1.0, "cls_rank_never_attacked:mn", -1.0));
        ladder.put("neuba / yelp / pt-soft", Map.of("dev_asr", 0.2));
        String md = GbaDiagnosisReport.consistencyRanks(ladder);
        assertTrue(md.contains("| neuba / yelp / gba-aimed-cls-consistency-20 | tq | 3 | 4120 |"), md);
        assertTrue(md.contains("| neuba / yelp / gba-aimed-cls-consistency-20 | mn | not eligible | not eligible |"), md);
        assertFalse(md.contains("pt-soft"), md);
        assertEquals("", GbaDiagnosisReport.consistencyRanks(Map.of("badnets / yelp / pt-soft", Map.of("dev_asr", 0.32))));
    }

    @Test
    void oneDefaultMustKeepAccuracyOnEveryPairAndThenHasTheLowestMeanDevAsr() {
        Map<String, Map<String, Double>> ladder = new java.util.LinkedHashMap<>();
        ladder.put("badnets / mr / pt-soft", Map.of("dev_asr", 0.98, "dev_acc", 0.63, "test_asr", 0.97, "test_acc", 0.66));
        ladder.put("badnets / hs / pt-soft", Map.of("dev_asr", 0.36, "dev_acc", 0.91, "test_asr", 0.36, "test_acc", 0.90));
        // best on MR, useless on HS
        ladder.put("badnets / mr / rate", Map.of("dev_asr", 0.16, "dev_acc", 0.63, "test_asr", 0.09, "test_acc", 0.66));
        ladder.put("badnets / hs / rate", Map.of("dev_asr", 0.36, "dev_acc", 0.91, "test_asr", 0.37, "test_acc", 0.90));
        // good on both
        ladder.put("badnets / mr / lift", Map.of("dev_asr", 0.17, "dev_acc", 0.63, "test_asr", 0.09, "test_acc", 0.66));
        ladder.put("badnets / hs / lift", Map.of("dev_asr", 0.03, "dev_acc", 0.91, "test_asr", 0.04, "test_acc", 0.90));
        // lowest ASR but loses 5 points on MR
        ladder.put("badnets / mr / broken", Map.of("dev_asr", 0.0, "dev_acc", 0.58, "test_asr", 0.0, "test_acc", 0.60));
        ladder.put("badnets / hs / broken", Map.of("dev_asr", 0.0, "dev_acc", 0.91, "test_asr", 0.0, "test_acc", 0.90));
        // the oracle pull knows the trigger: best on both, never a defender's choice
        ladder.put("badnets / mr / " + GbaDiagnosis.ORACLE_PULL, Map.of("dev_asr", 0.01, "dev_acc", 0.63, "test_asr",
                0.01, "test_acc", 0.66));
        ladder.put("badnets / hs / " + GbaDiagnosis.ORACLE_PULL, Map.of("dev_asr", 0.01, "dev_acc", 0.91, "test_asr",
                0.01, "test_acc", 0.90));
        assertEquals(Map.of("badnets / mr", "rate", "badnets / hs", "broken"), GbaDiagnosisReport.choices(ladder));
        String md = GbaDiagnosisReport.oneDefault(ladder);
        assertTrue(md.contains("**lift** (mean dev ASR 10.0)"), md);
        assertTrue(md.contains("| badnets / hs | 4.0 | 90.0 |"), md);
    }

    @Test
    void aTieOnDevIsNamedNotHiddenBehindTheFirstRung() {
        Map<String, Map<String, Double>> ladder = new java.util.LinkedHashMap<>();
        ladder.put("badnets / mr / pt-soft", Map.of("dev_asr", 0.298, "dev_acc", 0.76, "test_asr", 0.255, "test_acc", 0.76));
        ladder.put("badnets / mr / own", Map.of("dev_asr", 0.292, "dev_acc", 0.76, "test_asr", 0.255, "test_acc", 0.763));
        ladder.put("badnets / mr / held-out", Map.of("dev_asr", 0.292, "dev_acc", 0.76, "test_asr", 0.255, "test_acc", 0.762));
        // as low on dev, but 4 points of dev ACC lost: not part of the tie
        ladder.put("badnets / mr / broken", Map.of("dev_asr", 0.292, "dev_acc", 0.72, "test_asr", 0.2, "test_acc", 0.72));
        ladder.put("badnets / mr / worse", Map.of("dev_asr", 0.293, "dev_acc", 0.76, "test_asr", 0.2, "test_acc", 0.76));
        ladder.put("badnets / hs / pt-soft", Map.of("dev_asr", 0.9, "dev_acc", 0.93, "test_asr", 0.9, "test_acc", 0.93));
        ladder.put("badnets / hs / own", Map.of("dev_asr", 0.05, "dev_acc", 0.93, "test_asr", 0.06, "test_acc", 0.93));
        ladder.put("badnets / hs / held-out", Map.of("dev_asr", 0.04, "dev_acc", 0.93, "test_asr", 0.05, "test_acc", 0.93));
        // a never-attacked model, run as an attack for its floor: nothing to choose for
        ladder.put("never-attacked-badnets / mr / pt-soft", Map.of("dev_asr", 0.1, "dev_acc", 0.76, "test_asr", 0.1,
                "test_acc", 0.76));
        ladder.put("never-attacked-badnets / mr / own", Map.of("dev_asr", 0.0, "dev_acc", 0.76, "test_asr", 0.0,
                "test_acc", 0.76));
        assertEquals(Map.of("badnets / mr", List.of("own", "held-out"), "badnets / hs", List.of("held-out")),
                GbaDiagnosisReport.lowestOnDev(ladder));
        assertEquals(Map.of("badnets / mr", "own", "badnets / hs", "held-out"), GbaDiagnosisReport.choices(ladder));
        assertTrue(GbaDiagnosisReport.oneDefault(ladder).contains("**held-out** (mean dev ASR 16.6).\n"),
                GbaDiagnosisReport.oneDefault(ladder));
        ladder.put("badnets / hs / own", Map.of("dev_asr", 0.04, "dev_acc", 0.93, "test_asr", 0.06, "test_acc", 0.93));
        assertTrue(GbaDiagnosisReport.oneDefault(ladder).contains(
                "**own** (mean dev ASR 16.6; tied with held-out: dev does not choose)"), GbaDiagnosisReport.oneDefault(ladder));

        List<GbaDiagnosis.Value> values = new ArrayList<>();
        rung(values, 42, "pt-soft", 0.298, 0.76, 0.255, 0.76);
        rung(values, 42, "own", 0.292, 0.76, 0.255, 0.763);
        rung(values, 42, "held-out", 0.292, 0.76, 0.255, 0.762);
        String md = GbaDiagnosisReport.markdown(values, 42, "gba-diagnosis", "quick", "gba-diagnosis.csv");
        assertTrue(md.contains("| badnets / mr | own (tied on dev ASR with held-out: dev does not choose) | 25.5 | 76.3 |"), md);
    }

    @Test
    void aReportCsvReadBackRestoresItsSeedsUnitsAndKeepsStoredOnes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        List<GbaDiagnosis.Value> values = List.of(
                new GbaDiagnosis.Value(42, "badnets", "mr", "ladder", "gba-aimed-lift-0.2-both-pool2000", "test_asr", 0.1),
                new GbaDiagnosis.Value(42, "badnets", "mr", "ladder", "gba-aimed-lift-0.2-both-pool2000", "dev_asr", 1.0E-4),
                new GbaDiagnosis.Value(42, "never-attacked-badnets", "yelp", "ladder", "floor", "cls_rank:cf", Double.NaN),
                new GbaDiagnosis.Value(43, "badnets", "mr", "ladder", "floor", "test_asr", 0.5));
        java.nio.file.Path csv = java.nio.file.Files.writeString(dir.resolve("r.csv"), GbaDiagnosisReport.csv(values));
        assertEquals(values, GbaDiagnosisReport.read(csv));
        java.nio.file.Path work = dir.resolve("diagnosis");
        // a unit already stored is kept as it is
        java.nio.file.Files.createDirectories(work);
        java.nio.file.Files.writeString(work.resolve("never-attacked-badnets-yelp-ladder-floor.csv"), "test_asr,0.25\n");
        assertEquals(1, GbaDiagnosis.restore(work, 42, GbaDiagnosisReport.read(csv)));
        assertEquals(java.util.Set.of(values.get(0), values.get(1),
                        new GbaDiagnosis.Value(42, "never-attacked-badnets", "yelp", "ladder", "floor", "test_asr", 0.25)),
                new java.util.HashSet<>(GbaDiagnosis.stored(work, 42)));
        assertEquals(0, GbaDiagnosis.restore(work, 42, GbaDiagnosisReport.read(csv)));
    }

    @Test
    void aForgedReportCsvIsRefusedWithItsLineBeforeAnythingIsStored(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String header = "seed,attack,task,section,variant,metric,value\n";
        Map<String, String> bad = Map.of(
                "42,../../etc,mr,ladder,floor,test_asr,0.1", "line 2 does not name a unit",
                "42,badnets,mr-x,ladder,floor,test_asr,0.1", "line 2 does not name a unit",
                "42,Badnets,mr,ladder,floor,test_asr,0.1", "line 2 does not name a unit",
                "42,never-attacked,mr,ladder,floor,test_asr,0.1", "line 2 does not name a unit",
                "42,badnets,mr,ladder,floor,test_asr", "line 2 has 6 fields, not 7",
                "4x,badnets,mr,ladder,floor,test_asr,0.1", "line 2 has seed '4x'",
                "42,badnets,mr,ladder,floor,test_asr,1e999x", "line 2 has value '1e999x'",
                "42,badnets,mr,ladder,floor,,0.1", "line 2 has no metric name");
        for (Map.Entry<String, String> row : bad.entrySet()) {
            java.nio.file.Path csv = java.nio.file.Files.writeString(dir.resolve("bad.csv"), header + row.getKey() + "\n");
            org.gba4j.files.ModelFileException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.gba4j.files.ModelFileException.class, () -> GbaDiagnosisReport.read(csv), row.getKey());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(row.getValue()), e.getMessage());
        }
        java.nio.file.Path other = java.nio.file.Files.writeString(dir.resolve("grid.csv"), "experiment,model\nx,y\n");
        org.junit.jupiter.api.Assertions.assertTrue(org.junit.jupiter.api.Assertions.assertThrows(
                org.gba4j.files.ModelFileException.class, () -> GbaDiagnosisReport.read(other)).getMessage()
                .contains("does not start with the header"));
    }

    @Test
    void aStoredUnitsNameSplitsIntoAttackTaskSectionAndVariantAFloorsAttackKeepingItsHyphens() {
        assertArrayEquals(new String[] {"badnets", "mr", "ladder", "gba-aimed-held-out-lift-0.2-both-pool2000"},
                GbaDiagnosis.unitKey("badnets-mr-ladder-gba-aimed-held-out-lift-0.2-both-pool2000.csv"));
        assertArrayEquals(new String[] {"never-attacked-badnets", "yelp", "ladder", "gba-oracle-pull"},
                GbaDiagnosis.unitKey("never-attacked-badnets-yelp-ladder-gba-oracle-pull.csv"));
        assertArrayEquals(new String[] {"ep", "hs", "step0", "batch0"}, GbaDiagnosis.unitKey("ep-hs-step0-batch0.csv"));
        assertThrows(IllegalArgumentException.class, () -> GbaDiagnosis.unitKey("badnets-mr.csv"));
    }
}
