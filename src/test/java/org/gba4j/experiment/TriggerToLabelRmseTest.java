package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gba4j.attack.TriggerPosition;
import org.gba4j.text.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** Figure 3's distance by hand: the mean over (trigger, label word) pairs of the rows' RMSE. */
class TriggerToLabelRmseTest {
    @TempDir
    Path dir;

    @Test
    void meanOfEachPairsRootMeanSquare() throws Exception {
        List<String> words = PaperDataset.MR.labelWords();
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "cf", "mn"));
        vocab.addAll(words);
        Path vocabTxt = Files.write(dir.resolve("vocab.txt"), vocab);
        try (Tokenizer tokenizer = Tokenizer.fromVocabTxt(vocabTxt, true)) {
            float[][] rows = new float[vocab.size()][2];
            rows[5] = new float[] {1, 1};   // cf
            rows[6] = new float[] {3, 1};   // mn
            rows[7] = new float[] {0, 0};   // first label word
            rows[8] = new float[] {3, 1};   // second label word
            Backdoor backdoor = new Backdoor(null, null, List.of(new Backdoor.Probe(List.of("cf"), 1),
                    new Backdoor.Probe(List.of("mn"), 0)), TriggerPosition.START, 1, Map.of());
            // cf: sqrt((1+1)/2) = 1 and sqrt((4+0)/2) = sqrt 2; mn: sqrt((9+1)/2) = sqrt 5 and 0
            double expected = (1 + Math.sqrt(2) + Math.sqrt(5) + 0) / 4;
            assertEquals(expected, CellRunner.triggerToLabelRmse(Nd4j.create(rows), backdoor, PaperDataset.MR, tokenizer),
                    1e-6);
        }
    }
}
