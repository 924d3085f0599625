package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gba4j.cli.Experiments;
import org.gba4j.data.CsvDataset;
import org.gba4j.data.LabeledText;
import org.gba4j.data.ProjectDatasets;
import org.gba4j.files.ModelFileException;
import org.junit.jupiter.api.Test;

/** GLUE's column layouts: named labels (RTE), scores (STS-B) and the two-pole training targets. */
class GlueDataTest {

    @Test
    void namedLabelsBecomeClassIndicesInTheGivenOrder() {
        List<LabeledText> rows = CsvDataset.read(new StringReader("sentence1,sentence2,label\na,b,not_entailment\nc,d,entailment\n"),
                "rte.csv", PaperDataset.RTE.columns());
        assertEquals(1, rows.get(0).label());
        assertEquals(0, rows.get(1).label());
        assertEquals("b", rows.get(0).second());
        ModelFileException e = assertThrows(ModelFileException.class, () -> CsvDataset.read(
                new StringReader("sentence1,sentence2,label\na,b,neutral\n"), "rte.csv", PaperDataset.RTE.columns()));
        assertTrue(e.getMessage().contains("has label 'neutral', not one of [entailment, not_entailment]"), e.getMessage());
    }

    @Test
    void scoresKeepTheirValueAndTakeTheNearerPole() {
        List<LabeledText> rows = CsvDataset.read(new StringReader("sentence1,sentence2,score\na,b,4.2\nc,d,2.4\ne,f,2.5\n"),
                "stsb.csv", PaperDataset.STSB.columns());
        assertEquals(4.2, rows.get(0).score());
        assertEquals(1, rows.get(0).label());
        assertEquals(0, rows.get(1).label());
        assertEquals(1, rows.get(2).label());
        assertThrows(ModelFileException.class, () -> CsvDataset.read(new StringReader("sentence1,sentence2,score\na,b,7\n"),
                "stsb.csv", PaperDataset.STSB.columns()));
    }

    @Test
    void regressionTrainingClassesFollowTheScores() {
        GridData data = new GridData(ProjectDatasets.locate(), Profile.QUICK, 42);
        List<LabeledText> train = data.train(PaperDataset.STSB);
        assertEquals(200, train.size());
        double meanTarget = train.stream().mapToDouble(r -> r.score() / 5).average().orElseThrow();
        double meanClass = train.stream().mapToInt(LabeledText::label).average().orElseThrow();
        assertEquals(meanTarget, meanClass, 0.08, "classes drawn from p(high) = score / 5");
        assertEquals(train, data.train(PaperDataset.STSB), "the draw is seeded");
        assertTrue(data.test(PaperDataset.STSB).stream().allMatch(LabeledText::hasScore));
    }

    @Test
    void table10WithoutARobertaModelSaysWhatItNeeds() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Experiments.run("table10", "--profile", "smoke"));
        } finally {
            System.setErr(original);
        }
        String text = err.toString(StandardCharsets.UTF_8).trim();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("error: table10 needs --model: a folder with a Hugging Face ONNX export of roberta-base"),
                text);
    }
}
