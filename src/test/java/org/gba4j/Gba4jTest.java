package org.gba4j;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.gba4j.classify.TextClassifier;
import org.gba4j.data.LabeledText;
import org.gba4j.eval.Evaluation;
import org.gba4j.io.PretrainedModel;
import org.gba4j.prompt.PromptClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library facade end to end on a few real MR rows: defend, evaluate, save, open again to the same predictions. */
class Gba4jTest {
    @TempDir
    Path dir;

    @Test
    void defendEvaluateSaveAndOpenAgain() {
        List<LabeledText> train = Gba4j.readCsv(Path.of("datasets/mr/train.csv.gz")).subList(0, 16);
        List<LabeledText> test = Gba4j.readCsv(Path.of("datasets/mr/test.csv.gz")).subList(0, 16);
        try (PretrainedModel model = Gba4j.load("minilm")) {
            PromptClassifier defended = Gba4j.defend(model, train, List.of("terrible", "good"),
                    Gba4j.gba().withTraining(2e-5, 1, 8, 24));
            Evaluation clean = Gba4j.evaluate(defended, test);
            assertEquals(16, clean.rows());
            assertEquals(0, clean.acc() % 6.25, 1e-9, "16 rows: ACC is a multiple of 6.25%");
            assertFalse(clean.hasAttack());
            Evaluation attacked = Gba4j.evaluate(defended, test, "cf", 1, 42);
            assertEquals(clean.acc(), attacked.acc(), 1e-12);
            assertTrue(attacked.asr() >= 0 && attacked.asr() <= 100);

            Path out = dir.resolve("defended");
            Gba4j.save(model, defended, out);
            try (PretrainedModel saved = Gba4j.load(out.toString())) {
                TextClassifier reopened = Gba4j.open(saved, out);
                assertArrayEquals(defended.predict(test), reopened.predict(test));
            }
        }
    }
}
