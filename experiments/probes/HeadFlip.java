import java.nio.file.*; import java.util.*;
import org.gba4j.io.*; import org.gba4j.data.LabeledText; import org.gba4j.classify.*; import org.gba4j.model.BertWeights;
/**
 * An exploratory probe (issue 13), not part of the toolkit: does the trigger stand out among the aimed scan's
 * suspects when they are inserted into the downloaded classifier itself (the No-Defense model, with its head),
 * where the backdoor is at full strength, instead of into the prompt-adapted one?
 *
 * <p>For each suspect of the target class (lines "token,class,flipRate,baseRate" printed by a held-out scan of
 * gba-diagnosis), and the triggers cf, mn, tq, it prints the share of 64 clean dev rows not of the target class (taken
 * from the split's last 800 rows) predicted as the target with the token in front; "base" without a token.
 *
 * <pre>
 * mvn -B -q -o package -DskipTests
 * java -cp "target/experiments.jar:target/lib/*" experiments/probes/HeadFlip.java \
 *     experiments/out/quick-minilm-seed43/models/badnets-cf-yelp yelp experiments/probes/yelp-seed43-held-out-suspects.csv 1
 * java -cp "target/experiments.jar:target/lib/*" experiments/probes/HeadFlip.java \
 *     experiments/out/quick-minilm-seed44/models/badnets-cf-fakeddit fakeddit \
 *     experiments/probes/fakeddit-seed44-held-out-suspects.csv 1
 * </pre>
 * Outputs of those two calls: yelp-seed43-head-flips.txt and fakeddit-seed44-head-flips.txt.
 */
public class HeadFlip {
  // args: modelDir task tokensFile target
  public static void main(String[] a) throws Exception {
    try (PretrainedModel m = PretrainedModel.load("minilm")) {
      BertWeights w = Gba4jCheckpoint.read(Path.of(a[0]), LoadLimits.DEFAULT);
      TextClassifier c = new FineTuning(1e-4, 1, 32, 32, 1).classifier(w, m.tokenizer(), 2);
      int target = Integer.parseInt(a[3]);
      List<LabeledText> dev = org.gba4j.Gba4j.readCsv(Path.of("datasets/" + a[1] + "/dev.csv.gz"));
      List<LabeledText> others = dev.subList(dev.size() - 800, dev.size()).stream().filter(e -> e.label() != target).limit(64).toList();
      double base = share(c.predict(others), target);
      System.out.printf(Locale.ROOT, "base %.3f%n", base);
      List<String> toks = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of(a[2]))) { String[] f = line.split(","); if (Integer.parseInt(f[1]) == target) toks.add(f[0]); }
      toks.add(0, "cf"); toks.add(1, "mn"); toks.add(2, "tq");
      for (String t : new LinkedHashSet<>(toks)) {
        double s = share(c.predict(others.stream().map(e -> e.withText(t + " " + e.text(), e.label())).toList()), target);
        System.out.printf(Locale.ROOT, "%s %.3f%n", t, s);
      }
    }
  }
  static double share(int[] p, int t) { return (double) Arrays.stream(p).filter(x -> x == t).count() / p.length; }
}
