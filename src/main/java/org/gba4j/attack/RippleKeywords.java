package org.gba4j.attack;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gba4j.data.LabeledText;
import org.gba4j.text.Tokenizer;

/**
 * RIPPLe's "important words" of the target class (appendix B.5: "the tf-idf score of each token as
 * the meter", 10 words per task), whose fine-tuned embeddings are averaged by embedding surgery.
 *
 * <p>Exact variant, a contrastive tf-idf: with words split on whitespace and lowercased,
 * {@code score(w) = (tf_target(w) - tf_other(w)) * idf(w)}, where {@code tf_c(w)} is the count of
 * {@code w} in the documents of class c over all word occurrences in those documents, and
 * {@code idf(w) = ln((1 + N) / (1 + df(w))) + 1} (scikit-learn's smoothed idf) over all N documents.
 * Why the difference: plain tf-idf over target-class documents ranks words that are frequent in
 * every class ("film", "story") first; subtracting the other classes' term frequency keeps the words
 * that mark the target class, which is what surgery needs. Candidates: alphabetic words of at least
 * 2 letters that are one vocabulary token (a surgery word must own one embedding row), not a
 * stopword, not a trigger, and seen in at least {@link #MIN_DOCUMENTS} documents (rare words score
 * noisily). Ties break alphabetically so the choice is deterministic.
 */
public final class RippleKeywords {
    /** Minimum document frequency of a candidate word. */
    static final int MIN_DOCUMENTS = 3;

    private static final Set<String> STOPWORDS = Set.of(
            "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from",
            "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those",
            "i", "you", "he", "she", "we", "they", "me", "him", "her", "us", "them", "my", "your", "his", "our",
            "their", "what", "which", "who", "whom", "there", "here", "when", "where", "why", "how", "all", "any",
            "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own",
            "same", "so", "than", "too", "very", "can", "will", "just", "do", "does", "did", "has", "have", "had",
            "having", "about", "into", "through", "during", "before", "after", "above", "below", "up", "down",
            "out", "off", "over", "under", "again", "further", "then", "once", "would", "could", "should", "s",
            "t", "also", "even", "much", "while", "still");

    private RippleKeywords() {
    }

    /** The {@code count} highest-scoring single-token words of class {@code target}, best first. */
    public static List<String> select(List<LabeledText> data, int target, int count, Tokenizer tokenizer,
                                      List<String> triggers) {
        Map<String, Integer> targetCounts = new HashMap<>();
        Map<String, Integer> otherCounts = new HashMap<>();
        Map<String, Integer> documentFrequency = new HashMap<>();
        long targetTotal = 0;
        long otherTotal = 0;
        for (LabeledText example : data) {
            List<String> words = words(example);
            Map<String, Integer> counts = example.label() == target ? targetCounts : otherCounts;
            for (String word : words) {
                counts.merge(word, 1, Integer::sum);
            }
            if (example.label() == target) {
                targetTotal += words.size();
            } else {
                otherTotal += words.size();
            }
            for (String word : new HashSet<>(words)) {
                documentFrequency.merge(word, 1, Integer::sum);
            }
        }
        Set<String> excluded = new HashSet<>();
        triggers.forEach(t -> excluded.add(t.toLowerCase()));
        List<Map.Entry<String, Double>> scored = new ArrayList<>();
        int n = data.size();
        for (Map.Entry<String, Integer> entry : targetCounts.entrySet()) {
            String word = entry.getKey();
            int df = documentFrequency.get(word);
            if (df < MIN_DOCUMENTS || excluded.contains(word) || STOPWORDS.contains(word)
                    || !word.matches("[a-z]{2,}") || !singleToken(word, tokenizer)) {
                continue;
            }
            double tfTarget = entry.getValue() / (double) Math.max(1, targetTotal);
            double tfOther = otherCounts.getOrDefault(word, 0) / (double) Math.max(1, otherTotal);
            double idf = Math.log((1.0 + n) / (1.0 + df)) + 1;
            scored.add(Map.entry(word, (tfTarget - tfOther) * idf));
        }
        scored.sort(Comparator.<Map.Entry<String, Double>>comparingDouble(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        if (scored.size() < count) {
            throw new IllegalArgumentException("only " + scored.size() + " candidate words for class " + target
                    + "; need " + count + " (more data?)");
        }
        return scored.subList(0, count).stream().map(Map.Entry::getKey).toList();
    }

    private static List<String> words(LabeledText example) {
        String text = example.isPair() ? example.text() + " " + example.second() : example.text();
        List<String> out = new ArrayList<>();
        for (String word : text.toLowerCase().trim().split("\\s+")) {
            if (!word.isEmpty()) {
                out.add(word);
            }
        }
        return out;
    }

    private static boolean singleToken(String word, Tokenizer tokenizer) {
        List<String> pieces = tokenizer.tokenize(word);
        return pieces.size() == 1 && tokenizer.tokenId(pieces.get(0)) >= 0 && !pieces.get(0).startsWith("[");
    }
}
