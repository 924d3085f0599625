import java.nio.file.*; import java.util.*;
import org.gba4j.attack.*; import org.gba4j.data.*; import org.gba4j.eval.*; import org.gba4j.experiment.*;
import org.gba4j.io.*; import org.gba4j.model.BertWeights; import org.gba4j.prompt.*;
/**
 * An exploratory probe (issue 13), not part of the toolkit: is a weakened trigger stronger, and easier for the
 * aimed scan to find, earlier in the adaptation? PT+soft leaves Yelp's BadNets backdoor (seed 43) at ASR 29 after
 * 3 epochs; if it is still near 100 after 1, a scan run then (before the adaptation weakens it into one class word
 * among many) could find it as the scan finds every strong one.
 *
 * <p>For each epoch count it adapts the stored backdoored model afresh with the quick profile's PT+soft (only the
 * epochs changed), prints test ASR (the trigger at the start of each of the first 1,000 test rows not of the target)
 * and ACC, and, if ASR is at least the last argument, runs the default scan's checks and prints cf's probe rank for the
 * target, whether it was checked, its lift, and the admitted suspects.
 *
 * <pre>
 * mvn -B -q -o package -DskipTests
 * java -cp "target/experiments.jar:target/lib/*" experiments/probes/EarlyScan.java \
 *     experiments/out/quick-minilm-seed43/models/badnets-cf-yelp yelp 43 1 1,2,3 0.5
 * java -cp "target/experiments.jar:target/lib/*" experiments/probes/EarlyScan.java \
 *     experiments/out/quick-minilm-seed43/models/badnets-cf-yelp yelp 43 1 2 0.4
 * java -cp "target/experiments.jar:target/lib/*" experiments/probes/EarlyScan.java \
 *     experiments/out/quick-minilm-seed44/models/badnets-cf-fakeddit fakeddit 44 1 2 0
 * java -cp "target/experiments.jar:target/lib/*" experiments/probes/EarlyScan.java \
 *     experiments/out/quick-minilm-seed44/models/badnets-cf-yelp yelp 44 1 2 0
 * </pre>
 * Outputs: yelp-seed43-early-scan.txt (the first two calls), fakeddit-seed44-early-scan.txt and
 * yelp-seed44-early-scan.txt. The models are
 * the BadNets backdoors that {@code table12 --aim --profile quick --seed 43|44} stores.
 */
public class EarlyScan {
  // args: modelDir task seed target epochsList minAsrToScan
  public static void main(String[] a) throws Exception {
    PaperDataset task = PaperDataset.TABLE1.stream().filter(d -> d.name().equals(a[1])).findFirst().orElseThrow();
    long seed = Long.parseLong(a[2]); int target = Integer.parseInt(a[3]); double minAsr = Double.parseDouble(a[5]);
    GridData data = new GridData(new ProjectDatasets(Path.of("datasets")), Profile.QUICK, seed);
    List<LabeledText> train = data.promptTrain(task), test = data.test(task);
    List<LabeledText> others = test.stream().filter(e -> e.label() != target).toList();
    try (PretrainedModel m = PretrainedModel.load("minilm")) {
      int cf = m.tokenizer().tokenId("cf");
      for (String e : a[4].split(",")) {
        int epochs = Integer.parseInt(e);
        BertWeights w = Gba4jCheckpoint.read(Path.of(a[0]), LoadLimits.DEFAULT);
        PromptConfig base = Profile.QUICK.prompt(PromptMode.PT_SOFT, task, seed);
        PromptConfig config = base.withTraining(base.learningRate(), epochs, base.batchSize(), base.maxLength());
        PromptClassifier c = new PromptClassifier(w, m.tokenizer(), LabelWords.of(task.labelWords(), m.tokenizer()), config);
        long t0 = System.nanoTime();
        c.train(train, List.of(), p -> { });
        double asr = BackdoorEvaluation.attackSuccessRate(c, others, new Poisoner(List.of("cf"), target, seed), 1,
            TriggerPosition.START);
        double acc = BackdoorEvaluation.accuracy(c, test);
        System.out.printf(Locale.ROOT, "epochs %d: test ASR %.1f ACC %.1f (%.0f s)%n", epochs, 100 * asr, 100 * acc,
            (System.nanoTime() - t0) / 1e9);
        if (asr >= minAsr) {
          int[][] ranks = new int[c.classes()][1];
          List<TriggerScan.Suspect> checked = TriggerScan.check(c, m.tokenizer(), train, TriggerScan.Config.DEFAULT,
              new int[] {cf}, ranks, p -> { });
          Optional<TriggerScan.Suspect> cfChecked = checked.stream().filter(s -> s.id() == cf && s.toClass() == target).findFirst();
          List<TriggerScan.Suspect> admitted = TriggerScan.admitted(checked, TriggerScan.Config.DEFAULT);
          System.out.printf(Locale.ROOT, "  cf probe rank for class %d: %d; checked: %s; admitted: %d %s%n", target,
              ranks[target][0], cfChecked.map(s -> String.format(Locale.ROOT, "flip %.3f base %.3f lift %.3f",
                  s.flipRate(), s.baseRate(), s.lift())).orElse("no"), admitted.size(), admitted);
        }

      }
    }
  }
}
