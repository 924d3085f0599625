package org.gba4j.prompt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.gba4j.Slow;
import org.gba4j.attack.AttackJob;
import org.gba4j.attack.Attacks;
import org.gba4j.attack.Poisoner;
import org.gba4j.attack.TriggerPosition;
import org.gba4j.data.LabeledText;
import org.gba4j.data.ProjectDatasets;
import org.gba4j.eval.BackdoorEvaluation;
import org.gba4j.eval.Metrics;
import org.gba4j.experiment.GridData;
import org.gba4j.experiment.PaperDataset;
import org.gba4j.experiment.Profile;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.Stages;
import org.junit.jupiter.api.Test;

/**
 * The aimed broadcast on a real backdoor (slow: BadNets on MiniLM, PT+soft, a scan), on the quick
 * profile's MR sample (200 training rows; the first 200 of its test sample), as in
 * reports/gba-diagnosis.md: the BadNets "cf" backdoor survives PT+soft; the scan, which is not told the trigger, finds
 * "cf" among 1,500 unseen tokens (a random sample, to keep the test in minutes; the defense probes
 * all of them) and names class 1; after its row is pulled to the label words' centre, the ASR
 * falls to the clean target rate's level while the clean ACC stays.
 */
@Slow
class TriggerScanFindsBadNetsTest {

    @Test
    void findsAndDisarmsTheTrigger() {
        GridData data = new GridData(new ProjectDatasets(Path.of("datasets")), Profile.QUICK, 42);
        List<LabeledText> clean = data.train(PaperDataset.MR);
        List<LabeledText> test = data.test(PaperDataset.MR).subList(0, 200);
        try (PretrainedModel minilm = PretrainedModel.load(PretrainedModel.MINILM)) {
            BertWeights backdoored = Attacks.of(Attacks.BADNETS, Profile.QUICK.attackPlan(PaperDataset.MR, List.of("cf"), 42))
                    .plant(new AttackJob(minilm.weights(), minilm.tokenizer(), clean, 2, "mr/train[quick sample]",
                            Path.of("datasets"), Stages.NONE, p -> { })).weights();
            PromptClassifier classifier = new PromptClassifier(backdoored, minilm.tokenizer(),
                    LabelWords.of(PaperDataset.MR.labelWords(), minilm.tokenizer()),
                    Profile.QUICK.prompt(PromptMode.PT_SOFT, PaperDataset.MR, 42));
            classifier.train(clean, List.of(), p -> { });
            Poisoner poisoner = new Poisoner(List.of("cf"), 1, 42);
            List<LabeledText> negatives = test.stream().filter(e -> e.label() != 1).toList();
            double asrBefore = BackdoorEvaluation.attackSuccessRate(classifier, negatives, poisoner, 1, TriggerPosition.START);
            double accBefore = BackdoorEvaluation.accuracy(classifier, test);
            assertTrue(asrBefore >= 0.8, "the backdoor must survive PT+soft for this test to mean anything: " + asrBefore);

            int cf = minilm.tokenizer().tokenId("cf");
            boolean[] eligible = TriggerScan.eligible(classifier, minilm.tokenizer(), clean);
            assertTrue(eligible[cf], "cf is an unseen whole-word token");
            boolean[] sample = new boolean[eligible.length];
            Random random = new Random(7);
            int kept = 0;
            while (kept < 1500) {
                int id = random.nextInt(eligible.length);
                if (eligible[id] && !sample[id]) {
                    sample[id] = true;
                    kept++;
                }
            }
            sample[cf] = true;
            List<TriggerScan.Suspect> suspects = TriggerScan.scan(classifier, minilm.tokenizer(), clean,
                    TriggerScan.Config.DEFAULT, sample, p -> { });
            System.out.println("suspects: " + suspects);
            assertTrue(suspects.stream().anyMatch(s -> s.id() == cf && s.toClass() == 1), "cf not found: " + suspects);

            TriggerScan.pullToClassCentre(classifier.model().wordEmbeddings(), suspects, classifier.labels().ids());
            double asrAfter = BackdoorEvaluation.attackSuccessRate(classifier, negatives, poisoner, 1, TriggerPosition.START);
            double accAfter = BackdoorEvaluation.accuracy(classifier, test);
            int[] gold = test.stream().mapToInt(LabeledText::label).toArray();
            double cleanTargetRate = Metrics.cleanTargetRate(classifier.predict(test), gold, 1);
            System.out.printf("ASR %.3f -> %.3f (clean target rate %.3f), ACC %.3f -> %.3f%n", asrBefore, asrAfter,
                    cleanTargetRate, accBefore, accAfter);
            assertTrue(asrAfter <= cleanTargetRate + 0.15, "ASR " + asrAfter + " vs clean target rate " + cleanTargetRate);
            assertTrue(accAfter >= accBefore - 0.02, "ACC " + accBefore + " -> " + accAfter);
        }
    }
}
