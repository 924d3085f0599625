package org.gba4j.prompt;

import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gba4j.attack.Triggers;
import org.gba4j.data.LabeledText;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertWeights;
import org.gba4j.text.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A GBA prompt classifier on the tiny RoBERTa fixture (a vocabulary without reserved tokens): its
 * soft template of width 2 lives in 4 rows appended past the vocabulary, it lays out RoBERTa's own
 * special tokens, takes training steps that move those rows, and is saved and reloaded with them.
 */
class RobertaPromptClassifierTest {
    private static final List<LabeledText> TRAIN = List.of(
            LabeledText.single("The movie was good and the acting was great.", 1),
            LabeledText.single("A bad film with a terrible plot.", 0),
            LabeledText.single("What a wonderful story.", 1),
            LabeledText.single("Boring, slow and bad.", 0));

    @TempDir
    static Path fixture;

    @BeforeAll
    static void copyFixture() throws IOException {
        for (String name : new String[] {"model.onnx", "tokenizer.json", "config.json"}) {
            try (InputStream in = RobertaPromptClassifierTest.class.getResourceAsStream("/roberta-fixture/" + name)) {
                assertNotNull(in, "roberta-fixture/" + name + " is not on the test classpath");
                Files.copy(in, fixture.resolve(name));
            }
        }
    }

    @Test
    void softTemplateOfWidthTwoTrainsInAppendedRows(@TempDir Path out) {
        try (PretrainedModel roberta = PretrainedModel.load(fixture.toString())) {
            Tokenizer t = roberta.tokenizer();
            int v = roberta.weights().config().vocabSize();
            LabelWords labels = LabelWords.of(List.of("bad", "good"), t);
            assertEquals(List.of(t.tokenId("\u0120bad"), t.tokenId("\u0120good")),
                    Arrays.stream(labels.ids()).boxed().toList(), "label words as they follow a word: Ġbad, Ġgood");
            assertEquals(t.tokenId("\u0120plot"), Triggers.singleTokenId("plot", t), "a trigger too: Ġplot, not p-l-o-t");
            assertThrows(IllegalArgumentException.class, () -> Triggers.singleTokenId("Zyxomatic", t));

            PromptConfig config = PromptConfig.defaults(PromptMode.GBA).withTraining(1e-2, 2, 4, 24);
            PromptClassifier classifier = new PromptClassifier(roberta.weights(), t, labels, config);
            int[] template = classifier.encoder().templateIds();
            assertArrayEquals(new int[] {v, v + 1, v + 2, v + 3}, template, "four rows past the vocabulary");
            assertEquals(v + 4, classifier.model().config().vocabSize());
            INDArray mean = roberta.weights().get(WORD_EMBEDDINGS).mean(true, 0);
            for (int id : template) {
                assertTrue(classifier.model().wordEmbeddings().getRow(id, true).equalsWithEps(mean, 1e-6),
                        "an appended row starts as the mean embedding");
            }

            PromptEncoder.Prompt prompt = classifier.encoder().encode(TRAIN.get(1));
            int[] ids = prompt.ids();
            int n = ids.length;
            assertEquals(t.clsId(), ids[0]);
            assertEquals(t.tokenId("<s>"), ids[0]);
            assertArrayEquals(new int[] {t.sepId(), template[0], template[1], t.maskId(), template[2], template[3]},
                    Arrays.copyOfRange(ids, n - 6, n), "</s> t0 t1 <mask> t2 t3");
            assertEquals(n - 3, prompt.maskPosition());
            int[] pair = classifier.encoder().encode(new LabeledText("A bad film.", "Boring.", 0)).ids();
            int firstLength = t.ids("A bad film.").length;
            assertArrayEquals(new int[] {t.sepId(), t.sepId()}, Arrays.copyOfRange(pair, 1 + firstLength, 3 + firstLength),
                    "RoBERTa's pair separator </s></s>");

            double loss = classifier.train(TRAIN, List.of(), p -> { });
            assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
            INDArray trained = classifier.model().wordEmbeddings();
            for (int id : template) {
                assertTrue(trained.getRow(id).distance2(mean) > 1e-4, "template row " + id + " was trained");
            }
            assertEquals(TRAIN.size(), classifier.predict(TRAIN).length);

            // saved as a Hub folder (safetensors; the ONNX graph has the old vocabulary size), reloaded with its template rows
            BertWeights defended = classifier.model().weights();
            Path folder = out.resolve("defended");
            DefendedModel.write(roberta, defended, DefendedModel.Settings.prompt(labels, config), Map.of(), folder, false);
            assertTrue(Files.isRegularFile(folder.resolve("model.safetensors")));
            assertTrue(Files.isRegularFile(folder.resolve("config.json")));
            try (PretrainedModel reloaded = PretrainedModel.load(folder.toString())) {
                SoftTemplate again = SoftTemplate.of(reloaded.weights(), reloaded.tokenizer(), 2);
                assertEquals(0, again.appended(), "the saved rows are found, not appended again");
                assertArrayEquals(template, again.ids());
                assertTrue(reloaded.weights().get(WORD_EMBEDDINGS).equalsWithEps(defended.get(WORD_EMBEDDINGS), 0));
                assertEquals(2, DefendedModel.settings(folder).templateWidth());
            }
        }
    }
}
