import java.nio.file.*; import java.util.*;
import org.gba4j.io.PretrainedModel; import org.nd4j.linalg.api.ndarray.INDArray;
/**
 * An exploratory probe (issue 13), not part of the toolkit: do a scan's suspects differ from the trigger in MiniLM's
 * input embedding space? For each line "token,class,flipRate,baseRate" it prints the lift, the cosine of the token's
 * pre-trained row to its class's label word, the margin over the best other label word, and the row's norm.
 *
 * <pre>
 * java -cp "target/experiments.jar:target/lib/*" experiments/probes/LabelCosine.java \
 *     experiments/probes/yelp-seed43-held-out-suspects.csv terrible,good
 * java -cp "target/experiments.jar:target/lib/*" experiments/probes/LabelCosine.java \
 *     experiments/probes/fakeddit-seed44-held-out-suspects.csv fake,real
 * </pre>
 * Outputs: yelp-seed43-label-cosines.txt, fakeddit-seed44-label-cosines.txt.
 */
public class LabelCosine {
  public static void main(String[] a) throws Exception {
    try (PretrainedModel m = PretrainedModel.load("minilm")) {
      INDArray e = m.weights().get(org.gba4j.model.WeightNames.WORD_EMBEDDINGS);
      String[] labels = a[1].split(",");
      double[][] lv = new double[labels.length][];
      for (int i = 0; i < labels.length; i++) lv[i] = e.getRow(m.tokenizer().tokenId(labels[i])).toDoubleVector();
      for (String line : Files.readAllLines(Path.of(a[0]))) {
        String[] f = line.split(",");
        int id = m.tokenizer().tokenId(f[0]);
        double[] v = e.getRow(id).toDoubleVector();
        int c = Integer.parseInt(f[1]);
        double best = -9; for (int i = 0; i < labels.length; i++) if (i != c) best = Math.max(best, cos(v, lv[i]));
        System.out.printf(Locale.ROOT, "%s %d lift=%.3f cosT=%.3f margin=%.3f norm=%.3f%n", f[0], c,
          Double.parseDouble(f[2]) - Double.parseDouble(f[3]), cos(v, lv[c]), cos(v, lv[c]) - best, norm(v));
      }
    }
  }
  static double norm(double[] v){double s=0;for(double x:v)s+=x*x;return Math.sqrt(s);}
  static double cos(double[] a,double[] b){double s=0;for(int i=0;i<a.length;i++)s+=a[i]*b[i];return s/norm(a)/norm(b);}
}
