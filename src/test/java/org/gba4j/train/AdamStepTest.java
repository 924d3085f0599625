package org.gba4j.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertModel;
import org.gba4j.text.Tokenizer;
import org.junit.jupiter.api.Test;

/** One Adam step on real sentences lowers MiniLM's loss on them, and changes only what was trainable. */
class AdamStepTest {

    private static final String[] REVIEWS = {
        "a gorgeous , witty , seductive movie .",
        "the film is strictly routine .",
        "an utterly charming and hilarious film that reminded me of the best of the 1930s comedies .",
        "it 's a bad sign when you 're rooting for the film to end .",
    };
    private static final String[] LABEL_WORDS = {"good", "terrible", "good", "terrible"};

    @Test
    void oneStepLowersTheLoss() {
        try (PretrainedModel minilm = PretrainedModel.load(PretrainedModel.MINILM)) {
            Tokenizer tok = minilm.tokenizer();
            int seqLen = 24;
            MaskedTokenBatch batch = PromptBatches.of(tok, REVIEWS, LABEL_WORDS, seqLen);
            BertModel model = BertModel.of(minilm.weights(), seqLen);
            Trainer trainer = new Trainer(model, TrainingConfig.adam(1e-4), List.of());
            double before = trainer.step(batch);
            double after = GradientStep.run(model, batch, List.of()).loss();
            assertTrue(after < before, "loss " + before + " -> " + after);
            assertFalse(model.wordEmbeddings().equalsWithEps(minilm.weights().get("embeddings.word_embeddings.weight"), 0),
                    "the word embeddings were trained");
            trainer.close(); // frees Adam's moments
            assertThrows(IllegalStateException.class, () -> trainer.step(batch));
        }
    }
}
