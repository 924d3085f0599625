package org.gba4j.prompt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.gba4j.data.LabeledText;
import org.gba4j.io.PretrainedModel;
import org.gba4j.model.BertModel;
import org.gba4j.model.TokenBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The representation probe: its arithmetic by hand, and its scores recomputed from the encoder's own outputs. */
class RepresentationProbeTest {

    @Test
    void centresOnTheMeanAndRanksTheHighestFirst() {
        double[][] centred = RepresentationProbe.centre(new double[][] {{1, 2}, {3, 6}, {2, 1}});
        assertArrayEquals(new double[] {-1, -1}, centred[0], 1e-12);
        assertArrayEquals(new double[] {1, 3}, centred[1], 1e-12);
        assertArrayEquals(new double[] {0, -2}, centred[2], 1e-12);
        assertEquals(1, RepresentationProbe.cosine(new double[] {2, 0}, new double[] {5, 0}), 1e-12);
        assertEquals(0, RepresentationProbe.cosine(new double[] {2, 0}, new double[] {0, 3}), 1e-12);
        assertEquals(-Math.sqrt(0.5), RepresentationProbe.cosine(new double[] {1, 0}, new double[] {-1, 1}), 1e-12);
        assertEquals(0, RepresentationProbe.cosine(new double[] {0, 0}, new double[] {1, 1}));
        double[] scores = {0.2, 0.9, 0.9, -0.1};
        assertEquals(1, RepresentationProbe.rank(scores, 1));
        assertEquals(1, RepresentationProbe.rank(scores, 2)); // a tie shares the better rank
        assertEquals(3, RepresentationProbe.rank(scores, 0));
        assertEquals(4, RepresentationProbe.rank(scores, 3));
    }

    @Test
    void aScoreIsTheMeanCosineOfCentredClsOutputsOfTheTokenBeforeTheShortestRows() {
        List<LabeledText> clean = List.of(new LabeledText("a dull film", null, 0),
                new LabeledText("a long and rather bright film about the sea", null, 1),
                new LabeledText("boring", null, 0), new LabeledText("the best of the year", null, 1));
        List<String> shortest = List.of("boring", "a dull film", "the best of the year");
        try (PretrainedModel m = PretrainedModel.load("minilm")) {
            List<Integer> ids = List.of("cf", "mn", "ocean", "tq", "river").stream().map(m.tokenizer()::tokenId).toList();
            double[] scores = RepresentationProbe.consistency(m.weights(), m.tokenizer(), ids, clean,
                    RepresentationProbe.Rows.SHORTEST, p -> { });

            // the same outputs through the tokenizer's own encoding of "w row"
            List<double[][]> centred = new ArrayList<>();
            for (String row : shortest) {
                int[][] batch = ids.stream().map(id -> m.tokenizer().encode(m.tokenizer().token(id) + " " + row).ids())
                        .toArray(int[][]::new);
                int length = batch[0].length;
                double[][] cls = BertModel.of(m.weights(), length).lastHiddenState(TokenBatch.padded(batch, length,
                        m.tokenizer().padId())).get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all())
                        .toDoubleMatrix();
                centred.add(RepresentationProbe.centre(cls));
            }
            for (int i = 0; i < ids.size(); i++) {
                double expected = (RepresentationProbe.cosine(centred.get(0)[i], centred.get(1)[i])
                        + RepresentationProbe.cosine(centred.get(0)[i], centred.get(2)[i])
                        + RepresentationProbe.cosine(centred.get(1)[i], centred.get(2)[i])) / 3;
                assertEquals(expected, scores[i], 1e-5, m.tokenizer().token(ids.get(i)));
            }
            assertThrows(IllegalArgumentException.class, () -> RepresentationProbe.consistency(m.weights(),
                    m.tokenizer(), ids, clean.subList(0, 1), RepresentationProbe.Rows.SHORTEST, p -> { }));
        }
    }

    @Test
    void theMostConsistentTokensFollowTheSuspectsOnceEachAndOfNoClass() {
        try (PretrainedModel m = PretrainedModel.load("minilm")) {
            List<Integer> ids = List.of("cf", "mn", "ocean", "tq", "river").stream().map(m.tokenizer()::tokenId).toList();
            TriggerScan.Suspect found = new TriggerScan.Suspect(ids.get(3), "tq", 1, 0.9, 0.1);
            double[] scores = {0.8, 0.1, 0.3, 0.9, 0.5};
            List<TriggerScan.Suspect> moved = RepresentationProbe.withMostConsistent(List.of(found), scores, ids, 3,
                    m.tokenizer());
            // the top 3 are tq (already a suspect, kept with its class), cf and river
            assertEquals(List.of("tq", "cf", "river"), moved.stream().map(TriggerScan.Suspect::token).toList());
            assertEquals(found, moved.get(0));
            assertEquals(List.of(-1, -1), moved.subList(1, 3).stream().map(TriggerScan.Suspect::toClass).toList());
            assertEquals(ids.get(4), moved.get(2).id());
            assertEquals(List.of(found), RepresentationProbe.withMostConsistent(List.of(found), new double[0], List.of(), 0,
                    m.tokenizer()));
        }
    }

    @Test
    void distinctRowsSkipShortAndRepeatedRows() {
        List<LabeledText> clean = List.of(new LabeledText(".", null, 0), new LabeledText(".", null, 0),
                new LabeledText("a dull film", null, 0), new LabeledText("the best of the year", null, 1),
                new LabeledText("a long and rather bright film about the sea and the sky and the wind today and tonight", null, 1),
                new LabeledText("the best of the year", null, 1), new LabeledText("it was a fine day", null, 1));
        try (PretrainedModel m = PretrainedModel.load("minilm")) {
            java.util.function.Function<RepresentationProbe.Rows, List<String>> picked = rule -> RepresentationProbe
                    .rows(m.tokenizer(), clean, rule).stream().map(r -> java.util.Arrays.stream(r)
                            .mapToObj(m.tokenizer()::token).collect(java.util.stream.Collectors.joining(" "))).toList();
            assertEquals(List.of(".", ".", "a dull film"), picked.apply(RepresentationProbe.Rows.SHORTEST));
            // 4 tokens or more, the repeated row once, the long one cut to 16 tokens
            assertEquals(List.of("the best of the year", "it was a fine day",
                    "a long and rather bright film about the sea and the sky and the wind today"),
                    picked.apply(RepresentationProbe.Rows.DISTINCT));
            String message = assertThrows(IllegalArgumentException.class, () -> RepresentationProbe.consistency(
                    m.weights(), m.tokenizer(), List.of(1000), clean.subList(0, 4), RepresentationProbe.Rows.DISTINCT,
                    p -> { })).getMessage();
            assertEquals("the representation probe needs at least 2 clean rows of 4 or more tokens that differ, got 1",
                    message);
        }
    }
}
