package org.gba4j.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.gba4j.Slow;
import org.gba4j.io.PretrainedModel;
import org.gba4j.text.Tokenizer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * bert-base-uncased, imported from its TensorFlow checkpoint with the masked-LM head, fills in
 * well-known blanks: the word that completes each prompt is among the top 3 of the whole vocabulary.
 */
@Slow
class BertBaseMaskedLmTest {

    @Test
    void fillsInTheBlanks() {
        String[][] prompts = {
            {"the capital of france is", ".", "paris"},
            {"one, two, three,", ", five.", "four"},
            {"the sun rises in the", "and sets in the west.", "east"},
        };
        try (PretrainedModel bert = PretrainedModel.load(PretrainedModel.BERT_BASE)) {
            Tokenizer tok = bert.tokenizer();
            int seqLen = 16;
            int[][] rows = new int[prompts.length][];
            int[] positions = new int[prompts.length];
            for (int i = 0; i < prompts.length; i++) {
                List<Integer> ids = new ArrayList<>();
                ids.add(tok.clsId());
                for (int id : tok.ids(prompts[i][0])) {
                    ids.add(id);
                }
                positions[i] = ids.size();
                ids.add(tok.maskId());
                for (int id : tok.ids(prompts[i][1])) {
                    ids.add(id);
                }
                ids.add(tok.sepId());
                rows[i] = ids.stream().mapToInt(Integer::intValue).toArray();
            }
            BertModel model = BertModel.of(bert.weights(), seqLen);
            INDArray logits = model.logits(TokenBatch.padded(rows, seqLen, tok.padId()), positions);
            for (int i = 0; i < prompts.length; i++) {
                List<String> top = top3(logits.getRow(i), tok);
                assertTrue(top.contains(prompts[i][2]), prompts[i][0] + " [MASK] " + prompts[i][1] + " -> " + top);
            }
        }
    }

    private static List<String> top3(INDArray row, Tokenizer tok) {
        float[] values = row.toFloatVector();
        List<String> top = new ArrayList<>();
        boolean[] used = new boolean[values.length];
        for (int k = 0; k < 3; k++) {
            int best = -1;
            for (int v = 0; v < values.length; v++) {
                if (!used[v] && (best < 0 || values[v] > values[best])) {
                    best = v;
                }
            }
            used[best] = true;
            top.add(tok.token(best));
        }
        return top;
    }
}
