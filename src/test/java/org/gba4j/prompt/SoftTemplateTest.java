package org.gba4j.prompt;

import static org.gba4j.model.WeightNames.MLM_BIAS;
import static org.gba4j.model.WeightNames.WORD_EMBEDDINGS;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertWeights;
import org.gba4j.model.TinyBert;
import org.gba4j.text.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Where the soft template's rows come from: BERT's reserved tokens, else rows appended past the vocabulary. */
class SoftTemplateTest {
    @TempDir
    static Path dir;
    static Path bertVocab;
    static Path robertaTokenizer;

    @BeforeAll
    static void copyResources() throws IOException {
        bertVocab = copy("/bert-base-uncased-vocab.txt", "vocab.txt");
        robertaTokenizer = copy("/roberta-fixture/tokenizer.json", "tokenizer.json");
    }

    private static Path copy(String resource, String name) throws IOException {
        try (InputStream in = SoftTemplateTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is not on the test classpath");
            Files.copy(in, dir.resolve(name));
            return dir.resolve(name);
        }
    }

    @Test
    void bertUsesItsReservedTokensAndKeepsItsWeights() {
        try (Tokenizer bert = Tokenizer.fromVocabTxt(bertVocab, true)) {
            BertWeights weights = TinyBert.weights(sized(TinyBert.config(true), bert.vocabSize()), 1);
            SoftTemplate template = SoftTemplate.of(weights, bert, 2);
            assertSame(weights, template.weights(), "BERT behaviour unchanged: no new rows");
            assertEquals(0, template.appended());
            assertArrayEquals(new int[] {bert.tokenId("[unused0]"), bert.tokenId("[unused1]"), bert.tokenId("[unused2]"),
                    bert.tokenId("[unused3]")}, template.ids());
            assertArrayEquals(template.ids(), new PromptEncoder(bert, 2, 16).templateIds());
            assertArrayEquals(new int[] {bert.sepId()}, bert.pairSeparator(), "BERT separates a pair with one [SEP]");
        }
    }

    @Test
    void aVocabularyWithoutReservedTokensGetsMeanRowsAndMeanBias() {
        try (Tokenizer roberta = Tokenizer.fromTokenizerJson(robertaTokenizer)) {
            int v = roberta.vocabSize();
            BertWeights weights = TinyBert.weights(sized(TinyBert.config(true), v), 2);
            SoftTemplate template = SoftTemplate.of(weights, roberta, 3);
            assertEquals(6, template.appended());
            assertArrayEquals(new int[] {v, v + 1, v + 2, v + 3, v + 4, v + 5}, template.ids());
            BertWeights grown = template.weights();
            assertEquals(v + 6, grown.config().vocabSize());
            INDArray embeddings = grown.get(WORD_EMBEDDINGS);
            assertEquals(v + 6, embeddings.rows());
            INDArray mean = weights.get(WORD_EMBEDDINGS).mean(true, 0);
            assertTrue(embeddings.getRow(v + 5, true).equalsWithEps(mean, 1e-6));
            assertTrue(embeddings.getRow(v - 1).equalsWithEps(weights.get(WORD_EMBEDDINGS).getRow(v - 1), 0),
                    "existing rows untouched");
            INDArray bias = grown.get(MLM_BIAS);
            assertEquals(v + 6, bias.length(), "the tied decoder's bias grows with the matrix");
            assertEquals(weights.get(MLM_BIAS).meanNumber().doubleValue(), bias.getDouble(v + 2), 1e-6);
            assertEquals(weights.get(MLM_BIAS).getDouble(v - 1), bias.getDouble(v - 1), 0);

            assertEquals(0, SoftTemplate.of(weights, roberta, 0).ids().length);
            assertSame(weights, SoftTemplate.of(weights, roberta, 0).weights());
            assertThrows(IllegalArgumentException.class, () -> new PromptEncoder(roberta, 2, 16),
                    "without weights there is nowhere to put the template");
        }
    }

    @Test
    void aMatrixSmallerThanItsTokenizerIsOneClearLine() {
        try (Tokenizer roberta = Tokenizer.fromTokenizerJson(robertaTokenizer)) {
            BertWeights small = TinyBert.weights(TinyBert.config(false), 3);
            ModelFileException e = assertThrows(ModelFileException.class, () -> SoftTemplate.of(small, roberta, 2));
            assertTrue(e.getMessage().contains("word-embedding rows") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    private static BertConfig sized(BertConfig c, int vocab) {
        return c.withVocabSize(vocab);
    }
}
