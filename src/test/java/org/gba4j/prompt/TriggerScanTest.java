package org.gba4j.prompt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The aimed broadcast's two hand-checkable parts: ranking eligible tokens, and moving suspects' rows. */
class TriggerScanTest {

    @Test
    void keepsTheLowestScoresLowestFirst() {
        double[] scores = {0.5, -3, 2, -1, -7, 0};
        assertArrayEquals(new int[] {4, 1, 3}, TriggerScan.lowest(scores, 3));
        assertArrayEquals(new int[] {4, 1, 3, 5, 0, 2}, TriggerScan.lowest(scores, 10));
    }

    @Test
    void aWatchedTokensRankCountsTheLowerScoresAhead() {
        double[] scores = {-0.9, -0.2, -0.9, -0.5, 0.0};
        assertEquals(1, TriggerScan.rank(scores, 0));
        assertEquals(1, TriggerScan.rank(scores, 2)); // a tie shares the better rank
        assertEquals(3, TriggerScan.rank(scores, 3));
        assertEquals(5, TriggerScan.rank(scores, 4));
        assertEquals("lift-0.2-c80", TriggerScan.Config.lift(0.2).withCandidates(80).label());
        assertEquals("lift-0.2", TriggerScan.Config.lift(0.2).label());
        assertEquals("lift-0.2-in-context", TriggerScan.Config.lift(0.2).withProbe(TriggerScan.Probe.IN_CONTEXT).label());
        assertEquals("lift-0.2-c80-both", TriggerScan.Config.lift(0.2).withCandidates(80).withProbe(TriggerScan.Probe.BOTH)
                .label());
    }

    @Test
    void aShorterGraphScoresShortRowsAsTheFullOne() {
        // the in-context probe scores the vocabulary at the context's own length, not the classifier's
        try (org.gba4j.io.PretrainedModel m = org.gba4j.io.PretrainedModel.load("minilm")) {
            PromptClassifier full = untrained(m);
            List<org.gba4j.data.LabeledText> rows = List.of(new org.gba4j.data.LabeledText("cf a dull film", null, 0),
                    new org.gba4j.data.LabeledText("mn a dull film", null, 0));
            int length = full.encoder().encode(rows.get(0)).ids().length;
            assertTrue(length < 32);
            double[][] a = full.probabilities(rows);
            double[][] b = full.resized(length).probabilities(rows);
            for (int i = 0; i < rows.size(); i++) {
                assertArrayEquals(a[i], b[i], 1e-5);
            }
        }
    }

    private static final List<org.gba4j.data.LabeledText> CLEAN = List.of(
            new org.gba4j.data.LabeledText("a dull film", null, 0), new org.gba4j.data.LabeledText("a bright film", null, 1),
            new org.gba4j.data.LabeledText("boring and long", null, 0));

    /** The first {@code n} tokens eligible for a scan of {@link #CLEAN}: a vocabulary small enough for a fast test. */
    private static boolean[] firstEligible(PromptClassifier classifier, org.gba4j.io.PretrainedModel m, int n) {
        boolean[] eligible = TriggerScan.eligible(classifier, m.tokenizer(), CLEAN);
        boolean[] sample = new boolean[eligible.length];
        int kept = 0;
        for (int id = 0; id < eligible.length && kept < n; id++) {
            if (eligible[id]) {
                sample[id] = true;
                kept++;
            }
        }
        return sample;
    }

    @Test
    void aContextPoolProbesInContextOnlyTheAloneProbesTopTokens() {
        try (org.gba4j.io.PretrainedModel m = org.gba4j.io.PretrainedModel.load("minilm")) {
            PromptClassifier classifier = untrained(m);
            boolean[] sample = firstEligible(classifier, m, 12);
            TriggerScan.Config alone = new TriggerScan.Config(2, 3, 0, 0, TriggerScan.Probe.ALONE);
            TriggerScan.Config pooled = alone.withProbe(TriggerScan.Probe.BOTH).withContextPool(3);
            TriggerScan.Config both = alone.withProbe(TriggerScan.Probe.BOTH);
            for (int c = 0; c < 2; c++) {
                final int target = c;
                java.util.function.Function<TriggerScan.Config, java.util.Set<Integer>> checked = config -> TriggerScan
                        .check(classifier, m.tokenizer(), CLEAN, config, sample, new int[0], new int[2][0], p -> { })
                        .stream().filter(s -> s.toClass() == target).map(TriggerScan.Suspect::id)
                        .collect(java.util.stream.Collectors.toSet());
                java.util.Set<Integer> top = checked.apply(alone);
                assertEquals(3, top.size());
                // the in-context probe ranked only the alone top 3, so its top 3 are the same tokens
                assertEquals(top, checked.apply(pooled), "class " + c);
                assertTrue(checked.apply(both).containsAll(top), "class " + c);
            }
        }
    }

    @Test
    void aTokenCheckedOnItsOwnScoresAsTheScanScoresIt() {
        // the diagnosis checks each trigger whatever its rank: the same rows, the same insertion, the same rates
        try (org.gba4j.io.PretrainedModel m = org.gba4j.io.PretrainedModel.load("minilm")) {
            PromptClassifier classifier = untrained(m);
            boolean[] sample = firstEligible(classifier, m, 8);
            TriggerScan.Config config = new TriggerScan.Config(2, 3, 0, 0, TriggerScan.Probe.ALONE);
            List<TriggerScan.Suspect> checked = TriggerScan.check(classifier, m.tokenizer(), CLEAN, config, sample,
                    new int[0], new int[2][0], p -> { });
            assertEquals(6, checked.size());
            for (TriggerScan.Suspect s : checked) {
                assertEquals(s, TriggerScan.check(classifier, m.tokenizer(), CLEAN, config, s.id(), s.toClass()));
            }
            // no clean row outside the class: an error, not a rate of 0 / 0
            assertThrows(IllegalArgumentException.class, () -> TriggerScan.check(classifier, m.tokenizer(),
                    List.of(CLEAN.get(1)), config, checked.get(0).id(), 1));
        }
    }

    @Test
    void reportsEveryStageOfTheScanToItsEnd() {
        // both probes, two classes: the alone probe, then per class the in-context probe and the checks
        try (org.gba4j.io.PretrainedModel m = org.gba4j.io.PretrainedModel.load("minilm")) {
            PromptClassifier classifier = untrained(m);
            List<org.gba4j.data.LabeledText> clean = CLEAN;
            boolean[] sample = firstEligible(classifier, m, 6);
            List<org.gba4j.classify.TextClassifier.Progress> reports = new java.util.ArrayList<>();
            TriggerScan.scan(classifier, m.tokenizer(), clean, new TriggerScan.Config(2, 3, 0, 0.2,
                    TriggerScan.Probe.BOTH), sample, reports::add);
            List<String> stages = reports.stream().map(org.gba4j.classify.TextClassifier.Progress::stage).distinct().toList();
            assertEquals(5, stages.size(), stages.toString());
            assertTrue(stages.get(0).contains("alone"), stages.toString());
            assertTrue(stages.get(1).contains("class 0") && stages.get(2).contains("class 0"), stages.toString());
            assertTrue(stages.get(3).contains("class 1") && stages.get(4).contains("class 1"), stages.toString());
            for (String stage : stages) {
                List<org.gba4j.classify.TextClassifier.Progress> steps = reports.stream().filter(p -> p.stage().equals(stage))
                        .toList();
                for (int i = 0; i < steps.size(); i++) {
                    assertEquals(i + 1, steps.get(i).step(), stage);
                    assertTrue(Double.isNaN(steps.get(i).loss()) && steps.get(i).secondsPerStep() >= 0, stage);
                }
                assertEquals(steps.get(steps.size() - 1).stepsPerEpoch(), steps.size(), stage + " ends at its last step");
            }
            // a class's checks cover the union of both probes' candidates: 3 to 6 tokens
            long checks = reports.stream().filter(p -> p.stage().startsWith("scan: checking class 0")).count();
            assertTrue(checks >= 3 && checks <= 6, "checks: " + checks);
        }
    }

    @Test
    void aHeldOutScanChecksTheHeldOutRowsAndNeverSuspectsTheirWords() {
        try (org.gba4j.io.PretrainedModel m = org.gba4j.io.PretrainedModel.load("minilm")) {
            PromptClassifier classifier = untrained(m);
            boolean[] sample = firstEligible(classifier, m, 12);
            int own = java.util.stream.IntStream.range(0, sample.length).filter(id -> sample[id]).findFirst().orElseThrow();
            String word = m.tokenizer().token(own);
            // the first sampled token occurs in a held-out row only: a defender's own word, never a suspect
            List<org.gba4j.data.LabeledText> heldOut = List.of(
                    new org.gba4j.data.LabeledText(word + " a grim story", null, 0),
                    new org.gba4j.data.LabeledText("a warm story", null, 1),
                    new org.gba4j.data.LabeledText("slow and grim", null, 0));
            // every sampled token checked for each class, and admitted
            TriggerScan.Config all = new TriggerScan.Config(2, 12, 0, 0, TriggerScan.Probe.ALONE);
            List<TriggerScan.Suspect> suspects = TriggerScan.scan(classifier, m.tokenizer(), CLEAN, heldOut, all, sample,
                    p -> { });
            assertEquals(2 * 11, suspects.size(), suspects.toString());
            assertTrue(suspects.stream().noneMatch(s -> s.id() == own), suspects.toString());
            assertTrue(TriggerScan.scan(classifier, m.tokenizer(), CLEAN, List.of(), all, sample, p -> { }).stream()
                    .anyMatch(s -> s.id() == own), "without held-out rows the token is eligible");
            for (TriggerScan.Suspect s : suspects) {
                // the rates are those of the held-out rows not of the class, with and without the token in front
                List<org.gba4j.data.LabeledText> others = heldOut.stream().filter(e -> e.label() != s.toClass()).limit(2)
                        .toList();
                assertEquals(share(classifier.predict(others), s.toClass()), s.baseRate(), 1e-12, s.toString());
                assertEquals(share(classifier.predict(others.stream().map(e -> e.withText(s.token() + " " + e.text(),
                        e.label())).toList()), s.toClass()), s.flipRate(), 1e-12, s.toString());
            }
        }
    }

    @Test
    void aScanOfBothRowSetsMovesTheHeldOutSuspectsThenTheOwnRowsOnesOnceEach() {
        try (org.gba4j.io.PretrainedModel m = org.gba4j.io.PretrainedModel.load("minilm")) {
            PromptClassifier classifier = untrained(m);
            boolean[] sample = firstEligible(classifier, m, 12);
            // held-out rows of class 1 only: the untrained model predicts class 1 for every row, so only the own
            // rows' scan, whose rows of class 0 it "flips", admits tokens
            List<org.gba4j.data.LabeledText> heldOut = List.of(
                    new org.gba4j.data.LabeledText("a warm story", null, 1),
                    new org.gba4j.data.LabeledText("a fine tale", null, 1));
            TriggerScan.Config bar = new TriggerScan.Config(2, 12, 0.5, 0, TriggerScan.Probe.ALONE);
            List<TriggerScan.Suspect> held = TriggerScan.scan(classifier, m.tokenizer(), CLEAN, heldOut, bar, sample,
                    p -> { });
            boolean[] eligible = TriggerScan.eligible(classifier, m.tokenizer(), CLEAN, heldOut);
            for (int id = 0; id < eligible.length; id++) {
                eligible[id] &= sample[id];
            }
            List<TriggerScan.Suspect> own = TriggerScan.scan(classifier, m.tokenizer(), CLEAN, bar, eligible, p -> { });
            List<TriggerScan.Suspect> expected = new java.util.ArrayList<>(held);
            own.stream().filter(s -> held.stream().noneMatch(h -> h.id() == s.id())).forEach(expected::add);
            List<TriggerScan.Suspect> both = TriggerScan.scan(classifier, m.tokenizer(), CLEAN, heldOut,
                    bar.withAlsoAdapted(true), sample, p -> { });
            assertEquals(expected, both);
            assertEquals(expected, TriggerScan.union(held, own), "the union the diagnosis's rung moves");
            assertEquals(both.size(), both.stream().map(TriggerScan.Suspect::id).distinct().count(), both.toString());
            assertTrue(both.size() > held.size(), "the own rows' scan adds suspects here: " + held + " vs " + own);
            // with a held-out row of class 0 the held-out scan admits the same tokens as the own rows' one: each once
            List<org.gba4j.data.LabeledText> mixed = List.of(heldOut.get(0), new org.gba4j.data.LabeledText("a grim tale",
                    null, 0));
            List<TriggerScan.Suspect> heldMixed = TriggerScan.scan(classifier, m.tokenizer(), CLEAN, mixed, bar, sample,
                    p -> { });
            assertTrue(!heldMixed.isEmpty() && heldMixed.stream().allMatch(h -> own.stream().anyMatch(o -> o.id() == h.id())),
                    heldMixed + " vs " + own);
            assertEquals(heldMixed, TriggerScan.scan(classifier, m.tokenizer(), CLEAN, mixed, bar.withAlsoAdapted(true),
                    sample, p -> { }));
            // without held-out rows there is one scan, whatever the setting
            assertEquals(TriggerScan.scan(classifier, m.tokenizer(), CLEAN, List.of(), bar, sample, p -> { }),
                    TriggerScan.scan(classifier, m.tokenizer(), CLEAN, List.of(), bar.withAlsoAdapted(true), sample,
                            p -> { }));
        }
    }

    @Test
    void aUnionKeepsTheFirstScansSuspectsThenTheSecondsNewTokensOnce() {
        TriggerScan.Suspect a0 = new TriggerScan.Suspect(5, "a", 0, 0.9, 0.1);
        TriggerScan.Suspect a1 = new TriggerScan.Suspect(5, "a", 1, 0.8, 0.1);
        TriggerScan.Suspect b0 = new TriggerScan.Suspect(7, "b", 0, 0.7, 0.1);
        TriggerScan.Suspect b1 = new TriggerScan.Suspect(7, "b", 1, 0.6, 0.1);
        TriggerScan.Suspect c1 = new TriggerScan.Suspect(9, "c", 1, 0.5, 0.1);
        // the first scan's records all stay (a token towards two classes included); the second adds b once, c
        assertEquals(List.of(a0, a1, b0, c1), TriggerScan.union(List.of(a0, a1), List.of(a0, b0, b1, c1)));
        assertEquals(List.of(b0, c1), TriggerScan.union(List.of(), List.of(b0, b1, c1)));
        assertEquals(List.of(a0), TriggerScan.union(List.of(a0), List.of()));
    }

    private static double share(int[] predicted, int target) {
        return (double) java.util.Arrays.stream(predicted).filter(p -> p == target).count() / predicted.length;
    }

    /** MiniLM as a GBA prompt classifier for MR's label words, before any training, at length 32. */
    private static PromptClassifier untrained(org.gba4j.io.PretrainedModel m) {
        return new PromptClassifier(m.weights(), m.tokenizer(), LabelWords.of(List.of("terrible", "good"), m.tokenizer()),
                PromptConfig.defaults(PromptMode.GBA).withTraining(1e-4, 1, 32, 32));
    }

    @Test
    void pullsEachSuspectExactlyToTheLabelWordsMean() {
        INDArray e = Nd4j.createFromArray(new float[][] {{0, 0}, {2, 0}, {0, 4}, {9, 9}, {5, 5}});
        // label words 1 and 2: centre (1, 2); suspects 3 and 4
        List<TriggerScan.Suspect> suspects = List.of(new TriggerScan.Suspect(3, "cf", 1, 1.0, 0.1),
                new TriggerScan.Suspect(4, "mn", 1, 0.95, 0.1));
        double moved = TriggerScan.pullToClassCentre(e, suspects, new int[] {1, 2});
        assertArrayEquals(new float[] {1, 2}, e.getRow(3).toFloatVector(), 1e-6f);
        assertArrayEquals(new float[] {1, 2}, e.getRow(4).toFloatVector(), 1e-6f);
        assertArrayEquals(new float[] {0, 0}, e.getRow(0).toFloatVector(), 0f); // others untouched
        assertArrayEquals(new float[] {2, 0}, e.getRow(1).toFloatVector(), 0f);
        assertEquals((Math.hypot(8, 7) + Math.hypot(4, 3)) / 2, moved, 1e-5);
        assertEquals(0, TriggerScan.pullToClassCentre(e, List.of(), new int[] {1, 2}));
    }

    @Test
    void pullsEachSuspectToACopyOfAnotherRow() {
        INDArray e = Nd4j.createFromArray(new float[][] {{0, 0}, {2, 0}, {0, 4}, {9, 9}, {5, 5}});
        // row 0 as the target (the [PAD] row in the diagnosis), then changed: the pulled rows must not follow it
        List<TriggerScan.Suspect> suspects = List.of(new TriggerScan.Suspect(3, "cf", 1, 1.0, 0.1),
                new TriggerScan.Suspect(4, "mn", 1, 0.95, 0.1));
        double moved = TriggerScan.pullTo(e, suspects, e.getRow(0));
        e.putRow(0, Nd4j.createFromArray(new float[] {7, 7}));
        assertArrayEquals(new float[] {0, 0}, e.getRow(3).toFloatVector(), 0f);
        assertArrayEquals(new float[] {0, 0}, e.getRow(4).toFloatVector(), 0f);
        assertArrayEquals(new float[] {0, 4}, e.getRow(2).toFloatVector(), 0f); // others untouched
        assertEquals((Math.hypot(9, 9) + Math.hypot(5, 5)) / 2, moved, 1e-5);
    }

    @Test
    void pullTargetsAreTheLabelWordsMeanOrThePadRow() {
        INDArray e = Nd4j.createFromArray(new float[][] {{0, 1}, {2, 0}, {0, 4}, {9, 9}});
        assertArrayEquals(new float[] {1, 2}, TriggerScan.PullTarget.CENTRE.row(e, new int[] {1, 2}, 0).toFloatVector(), 1e-6f);
        assertArrayEquals(new float[] {0, 1}, TriggerScan.PullTarget.PAD.row(e, new int[] {1, 2}, 0).toFloatVector(), 0f);
        TriggerScan.Config pad = TriggerScan.Config.DEFAULT.withPull(TriggerScan.PullTarget.PAD);
        assertEquals("lift-0.2-both-pool2000-pad", pad.label());
        assertEquals(TriggerScan.PullTarget.PAD, pad.withLift(0.1).withAlsoAdapted(true).pull()); // kept by every with
        assertEquals(TriggerScan.PullTarget.CENTRE, TriggerScan.Config.DEFAULT.pull());
        assertThrows(IllegalArgumentException.class, () -> TriggerScan.Config.DEFAULT.withPull(null));
    }

    @Test
    void configRejectsNonsense() {
        TriggerScan.Probe alone = TriggerScan.Probe.ALONE;
        assertThrows(IllegalArgumentException.class, () -> new TriggerScan.Config(0, 40, 0.9, 0, alone));
        assertThrows(IllegalArgumentException.class, () -> new TriggerScan.Config(64, 40, 1.5, 0, alone));
        assertThrows(IllegalArgumentException.class, () -> new TriggerScan.Config(64, 40, 0.5, -0.1, alone));
        assertThrows(IllegalArgumentException.class, () -> new TriggerScan.Config(64, 40, 0.5, 0, null));
        assertThrows(IllegalArgumentException.class, () -> TriggerScan.Config.OFF.withAlsoAdapted(true));
        assertEquals("lift-0.2-both-pool2000", TriggerScan.Config.DEFAULT.label());
        assertThrows(IllegalArgumentException.class, () -> TriggerScan.Config.DEFAULT.withContextPool(-1));
        assertThrows(IllegalArgumentException.class, () -> TriggerScan.Config.DEFAULT.withContextPool(39)); // < candidates
        assertEquals("lift-0.2-both", TriggerScan.Config.DEFAULT.withContextPool(0).label());
        assertEquals("lift-0.2", TriggerScan.Config.lift(0.2).withContextPool(2000).label()); // no in-context probe
    }

    @Test
    void aBarOnTheLiftDiscountsWhatTheRowsAlreadyPredict() {
        // a weak classifier: 45% of these rows are already predicted as the class
        TriggerScan.Suspect common = new TriggerScan.Suspect(1, "the", 1, 0.55, 0.45);
        // a trigger that survived adaptation in part: flips 36% against a 4% base rate
        TriggerScan.Suspect partial = new TriggerScan.Suspect(2, "cf", 1, 0.36, 0.04);
        TriggerScan.Config rate = TriggerScan.Config.rate(0.5);
        TriggerScan.Config lift = TriggerScan.Config.lift(0.3);
        assertTrue(rate.admits(common));
        assertFalse(rate.admits(partial));
        assertFalse(lift.admits(common)); // lift 0.10
        assertTrue(lift.admits(partial)); // lift 0.32
        assertEquals(List.of(partial), TriggerScan.admitted(List.of(common, partial), lift));
        assertEquals("rate-0.5", rate.label());
        assertEquals("lift-0.3", lift.label());
    }
}
