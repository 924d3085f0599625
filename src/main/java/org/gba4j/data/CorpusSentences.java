package org.gba4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.gba4j.files.ModelFileException;

/**
 * Unlabelled sentences from the project's plain-text corpora ({@code datasets/corpus/austen.txt.gz},
 * {@code wikitext2-valid.txt.gz}, {@code wikitext2-test.txt.gz}), the stand-in for BookCorpus in
 * data-free attacks (NeuBA pre-trains on BookCorpus, appendix B.4). Each file is verified against
 * {@code SUMS.txt} first, as {@link ProjectDatasets} does for the labelled sets.
 *
 * <p>Splitting is deliberately simple: paragraphs are runs of non-blank lines, WikiText headings
 * ({@code = Title =}) are dropped, WikiText's {@code @-@}-style escapes are undone, and sentences end
 * at {@code . ! ?} followed by space. Sentences with {@code <unk>} are dropped, since the real
 * token was replaced by the corpus builders and would teach the masked-LM term nothing.
 */
public final class CorpusSentences {
    private CorpusSentences() {
    }

    /**
     * Sentences of {@code corpus} ("austen", "wikitext2-valid", ...) with {@code minWords..maxWords}
     * words, in file order, at most {@code limit} of them.
     */
    public static List<String> load(Path datasets, String corpus, int minWords, int maxWords, int limit) {
        String name = "corpus/" + corpus + ".txt";
        Path file = datasets.resolve(name + ".gz");
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException(file, "not found", "Run from the project folder or set -Dgba4j.datasets=<folder>");
        }
        new ProjectDatasets(datasets).verify(file, name);
        List<String> out = new ArrayList<>();
        for (String paragraph : paragraphs(read(file))) {
            for (String sentence : paragraph.split("(?<=[.!?])\\s+")) {
                int words = sentence.isBlank() ? 0 : sentence.trim().split("\\s+").length;
                if (words >= minWords && words <= maxWords && !sentence.contains("<unk>")) {
                    out.add(sentence.trim());
                    if (out.size() == limit) {
                        return out;
                    }
                }
            }
        }
        return out;
    }

    private static String read(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelFileException(file, "is not a readable gzip file (" + e.getMessage() + ")",
                    "Restore it from the repository (git checkout -- " + file + ")");
        }
    }

    /** Runs of non-blank lines joined by spaces; headings and WikiText escapes handled. */
    static List<String> paragraphs(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("=")) {
                flush(current, out);
                continue;
            }
            current.append(current.isEmpty() ? "" : " ").append(trimmed);
        }
        flush(current, out);
        return out;
    }

    private static void flush(StringBuilder paragraph, List<String> out) {
        if (!paragraph.isEmpty()) {
            out.add(paragraph.toString().replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", ".")
                    .replace("_", ""));
            paragraph.setLength(0);
        }
    }
}
