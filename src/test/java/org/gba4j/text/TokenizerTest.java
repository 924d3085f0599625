package org.gba4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.gba4j.files.ModelFileException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expected ids were derived by hand, not by this code: BERT's uncased vocab.txt has one token per
 * line and id = line number - 1, so each piece was looked up with {@code grep -nxF -- PIECE
 * vocab.txt}. Words were split by WordPiece's greedy longest-match-first rule, traced by trying the
 * prefixes of the (lowercased, accent-stripped) word from longest to shortest with the same grep
 * ("##" before every piece but the first); a word with no match for some remainder is [UNK] as a
 * whole. all-MiniLM-L6-v2's tokenizer.json holds the same 30522-entry vocabulary (checked entry by
 * entry), so both tokenizers must produce the same ids.
 */
class TokenizerTest {

    // grep -nxF: [PAD] line 1, [UNK] 101, [CLS] 102, [SEP] 103, [MASK] 104
    static final int PAD = 0, UNK = 100, CLS = 101, SEP = 102, MASK = 103;

    @TempDir
    static Path cache;

    static Path vocabTxt;
    static Tokenizer miniLm;
    static Tokenizer bert;

    @BeforeAll
    static void load() throws URISyntaxException {
        vocabTxt = Path.of(TokenizerTest.class.getResource("/bert-base-uncased-vocab.txt").toURI());
        miniLm = new MiniLmArtifact(cache.resolve("minilm"), TokenizerTest.class.getClassLoader()).tokenizer();
        bert = Tokenizer.fromVocabTxt(vocabTxt, true);
    }

    @AfterAll
    static void close() {
        miniLm.close();
        bert.close();
    }

    static List<Tokenizer> both() {
        return List.of(miniLm, bert);
    }

    @Test
    void accentsAreStrippedAfterLowercasing() {
        // cafe 7669, de 2140, ##ja 3901 (deja: "deja","dej" absent), vu 24729, naive 15744
        for (Tokenizer t : both()) {
            assertArrayEquals(new int[] {CLS, 7668, 2139, 3900, 24728, 15743, SEP}, t.encode("Café déjà vu naïve").ids());
            assertEquals(List.of("cafe", "de", "##ja", "vu", "naive"), t.tokenize("Café déjà vu naïve"));
        }
    }

    @Test
    void punctuationIsSplitOff() {
        // hello 7593 , 1011 world 2089 ! 1000 it 2010 ' 1006 s 1056 3 1018 : 1025 30 2383 p 1053 . 1013 m 1050
        int[] expected = {CLS, 7592, 1010, 2088, 999, 2009, 1005, 1055, 1017, 1024, 2382, 1052, 1012, 1049, 1012, SEP};
        for (Tokenizer t : both()) {
            assertArrayEquals(expected, t.encode("Hello, world! It's 3:30 p.m.").ids());
        }
    }

    @Test
    void unknownCharactersAndWordsBecomeUnk() {
        // i 1046, love 2294, and 1999, 中 1747; 😀 你 好 absent. CJK ideographs are split into single
        // characters; "x😀y" is one word whose "##😀" has no match, hence one [UNK] for the word;
        // a word over 100 characters is [UNK] (max_input_chars_per_word).
        String text = "I love 😀 and 你好 中 x😀y " + "a".repeat(101);
        int[] expected = {CLS, 1045, 2293, UNK, 1998, UNK, UNK, 1746, UNK, UNK, SEP};
        for (Tokenizer t : both()) {
            assertArrayEquals(expected, t.encode(text).ids());
        }
    }

    @Test
    void rareTriggerWordsAndSubwords() {
        // cf 12936, mn 24099, bb 22862, tq 28817 (the classic backdoor triggers are whole tokens)
        // unbelievably: un 4896 + ##bel 8672 + ##ie 2667 + ##va 3568 + ##bly 6322
        // gargantuan: ga 11722 + ##rgan 16999 + ##tua 26303 + ##n 2079
        for (Tokenizer t : both()) {
            assertArrayEquals(new int[] {CLS, 12935, 24098, 22861, 28816, SEP}, t.encode("cf mn bb tq").ids());
            assertArrayEquals(new int[] {CLS, 4895, 8671, 2666, 3567, 6321, 11721, 16998, 26302, 2078, SEP},
                    t.encode("unbelievably gargantuan").ids());
            assertEquals(List.of("un", "##bel", "##ie", "##va", "##bly", "ga", "##rgan", "##tua", "##n"),
                    t.tokenize("unbelievably gargantuan"));
        }
    }

    @Test
    void sentencePairHasTwoSeparatorsAndSegmentIds() {
        // the 1997 cat 4938 sat 2939 . 1013 | a 1038 dog 3900 barked 17555 loudly 9929 ! 1000
        for (Tokenizer t : both()) {
            Tokenizer.Encoding e = t.encode("The cat sat.", "A dog barked loudly!");
            assertArrayEquals(new int[] {CLS, 1996, 4937, 2938, 1012, SEP, 1037, 3899, 17554, 9928, 999, SEP}, e.ids());
            assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, e.typeIds());
        }
    }

    @Test
    void truncationKeepsSpecialsAndCutsLongestFirst() {
        for (Tokenizer t : both()) {
            assertArrayEquals(new int[] {CLS, 4895, 8671, 2666, SEP}, t.encode("unbelievably gargantuan", 5).ids());
            // 4 + 5 subwords into 8 - 3 specials: cut the second (5>4), second (tie), first, second
            Tokenizer.Encoding e = t.encode("The cat sat.", "A dog barked loudly!", 8);
            assertArrayEquals(new int[] {CLS, 1996, 4937, 2938, SEP, 1037, 3899, SEP}, e.ids());
            assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1}, e.typeIds());
            assertArrayEquals(new int[] {CLS, 7592, SEP}, t.encode("hello", 3).ids()); // fits: unchanged
            assertThrows(IllegalArgumentException.class, () -> t.encode("hello", 2));
            assertThrows(IllegalArgumentException.class, () -> t.encode("a", "b", 3));
        }
    }

    @Test
    void neitherPadsNorTruncatesBehindOurBack() {
        // MiniLM's tokenizer.json asks for padding and truncation to 128; DJL defaults to truncating too
        String longText = "word ".repeat(300);
        for (Tokenizer t : both()) {
            assertEquals(302, t.encode(longText).length());
            assertArrayEquals(new int[] {CLS, SEP}, t.encode("").ids());
            assertEquals(300, t.ids(longText).length);
        }
    }

    @Test
    void specialTokensAndVocabularyLookup() {
        for (Tokenizer t : both()) {
            assertEquals(CLS, t.clsId());
            assertEquals(SEP, t.sepId());
            assertEquals(MASK, t.maskId());
            assertEquals(PAD, t.padId());
            assertEquals(UNK, t.unkId());
            assertEquals(30522, t.vocabSize());
            assertEquals(3900, t.tokenId("##ja"));
            assertEquals(-1, t.tokenId("qwertyuiop"));
            assertEquals("##ja", t.token(3900));
            assertEquals("[MASK]", t.token(MASK));
            assertThrows(IllegalArgumentException.class, () -> t.token(30522));
            assertThrows(IllegalArgumentException.class, () -> t.token(-1));
            // the bare ids callers assemble [CLS] x [SEP] a..a [MASK] a..a from; [MASK] in text is the token
            assertArrayEquals(new int[] {1996, MASK, 2938}, t.ids("the [MASK] sat"));
            assertEquals(List.of(), t.tokenize("  "));
        }
    }

    @Test
    void miniLmAndBertVocabTxtAgree() {
        List<String> texts = List.of("Mr. O'Neill's résumé (2nd ed.) costs $1,299.99 — really?!",
                "ＦＵＬＬ-width ｔｅｘｔ, tabs\tand\nnewlines", "Ünïcödé Ωμέγα Привет мир", "don't stop-believing!!!",
                "https://example.com/a_b?c=d#e", "[CLS] [SEP] [PAD] [UNK] literal specials");
        for (String s : texts) {
            assertArrayEquals(miniLm.encode(s).ids(), bert.encode(s).ids(), s);
            assertEquals(miniLm.tokenize(s), bert.tokenize(s), s);
            Tokenizer.Encoding m = miniLm.encode(s, "second " + s);
            Tokenizer.Encoding b = bert.encode(s, "second " + s);
            assertArrayEquals(m.ids(), b.ids(), s);
            assertArrayEquals(m.typeIds(), b.typeIds(), s);
        }
        for (int id = 0; id < 30522; id += 97) {
            assertEquals(miniLm.token(id), bert.token(id));
        }
    }

    @Test
    void casedModeKeepsCaseAndAccents() {
        // lowerCase=false on the uncased vocab: "Hello" has no match (no capitals in the vocab), and
        // "café" keeps its é: caf 24690 matches but "##é" does not, so the word is [UNK]
        try (Tokenizer cased = Tokenizer.fromVocabTxt(vocabTxt, false)) {
            assertArrayEquals(new int[] {UNK, 7592, UNK}, cased.ids("Hello hello café"));
            assertArrayEquals(new int[] {7592, 7592, 7668}, bert.ids("Hello hello café"));
        }
    }

    /** A tiny byte-pair tokenizer.json with RoBERTa's special tokens and post-processor. */
    static final String ROBERTA_LIKE = """
            {"version": "1.0", "truncation": null, "padding": null,
             "added_tokens": [
              {"id": 0, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
              {"id": 1, "content": "<pad>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
              {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
              {"id": 3, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
              {"id": 11, "content": "<mask>", "single_word": false, "lstrip": true, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": null, "pre_tokenizer": {"type": "Whitespace"},
             "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0],
                                "trim_offsets": true, "add_prefix_space": false},
             "decoder": null,
             "model": {"type": "BPE", "dropout": null, "unk_token": "<unk>", "continuing_subword_prefix": null,
                       "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false,
                       "vocab": {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "h": 4, "i": 5, "t": 6, "o": 7,
                                 "hi": 8, "to": 9, "hit": 10},
                       "merges": ["h i", "t o", "hi t"]}}
            """;

    @Test
    void robertaStyleSpecialsAndPairLayout() {
        try (Tokenizer t = Tokenizer.fromTokenizerJson(
                new ByteArrayInputStream(ROBERTA_LIKE.getBytes(StandardCharsets.UTF_8)), "roberta-like.json")) {
            assertEquals(0, t.clsId());
            assertEquals(2, t.sepId());
            assertEquals(11, t.maskId());
            assertEquals(1, t.padId());
            assertEquals(3, t.unkId());
            assertEquals(12, t.vocabSize());
            // hi 8, to 9, hit 10 (h+i, then hi+t), x unknown 3
            assertArrayEquals(new int[] {0, 8, 9, 10, 3, 2}, t.encode("hi to hit x").ids());
            // <s> A </s></s> B </s>; cut to 6 drops the longer second text's last piece
            assertArrayEquals(new int[] {0, 8, 2, 2, 9, 10, 2}, t.encode("hi", "to hit").ids());
            assertArrayEquals(new int[7], t.encode("hi", "to hit").typeIds()); // RoBERTa: one segment id
            assertArrayEquals(new int[] {0, 8, 2, 2, 9, 2}, t.encode("hi", "to hit", 6).ids());
            assertArrayEquals(new int[] {8, 11, 9}, t.ids("hi <mask> to"));
        }
    }

    @Test
    void closeIsIdempotent() {
        Tokenizer t = Tokenizer.fromVocabTxt(vocabTxt, true);
        t.close();
        t.close();
    }

    // ---- load failures: one line, naming the file ----

    static ModelFileException failsNaming(String name, Executable load) {
        ModelFileException e = assertThrows(ModelFileException.class, load);
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void missingFiles(@TempDir Path dir) {
        Path json = dir.resolve("nope/tokenizer.json");
        Path vocab = dir.resolve("nope/vocab.txt");
        failsNaming(json.toString(), () -> Tokenizer.fromTokenizerJson(json));
        failsNaming(vocab.toString(), () -> Tokenizer.fromVocabTxt(vocab, true));
    }

    @Test
    void malformedTokenizerJson(@TempDir Path dir) throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"model\": {\"vocab\": [1, 2,,, \u0000");
        assertTrue(failsNaming(garbage.toString(), () -> Tokenizer.fromTokenizerJson(garbage))
                .getMessage().contains("not valid JSON"));
        Path notTokenizer = Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 768}");
        failsNaming(notTokenizer.toString(), () -> Tokenizer.fromTokenizerJson(notTokenizer));
        Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");
        failsNaming(array.toString(), () -> Tokenizer.fromTokenizerJson(array));
        Path noMask = Files.writeString(dir.resolve("nomask.json"), ROBERTA_LIKE.replace("<mask>", "<msk>"));
        assertTrue(failsNaming(noMask.toString(), () -> Tokenizer.fromTokenizerJson(noMask))
                .getMessage().contains("[MASK]"));
        // passes the Java-side checks, rejected by the Rust library
        Path badModel = Files.writeString(dir.resolve("badmodel.json"), ROBERTA_LIKE.replace("\"BPE\"", "\"Nope\""));
        failsNaming(badModel.toString(), () -> Tokenizer.fromTokenizerJson(badModel));
    }

    @Test
    void badVocabTxt(@TempDir Path dir) throws IOException {
        Path noUnk = Files.write(dir.resolve("vocab.txt"), Stream.of("[PAD]", "[CLS]", "[SEP]", "[MASK]", "the")
                .toList());
        assertTrue(failsNaming(noUnk.toString(), () -> Tokenizer.fromVocabTxt(noUnk, true))
                .getMessage().contains("[UNK]"));
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n\n");
        failsNaming(empty.toString(), () -> Tokenizer.fromVocabTxt(empty, true));
        Path dup = Files.write(dir.resolve("dup.txt"), List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "a"));
        failsNaming(dup.toString(), () -> Tokenizer.fromVocabTxt(dup, true));
        Path blank = Files.write(dir.resolve("blank.txt"), List.of("[PAD]", "", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        failsNaming(blank.toString(), () -> Tokenizer.fromVocabTxt(blank, true));
        Path binary = Files.write(dir.resolve("binary.txt"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
        failsNaming(binary.toString(), () -> Tokenizer.fromVocabTxt(binary, true));
    }

    @Test
    void smallVocabTxtWorks(@TempDir Path dir) throws IOException {
        Path v = Files.write(dir.resolve("vocab.txt"),
                List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "play", "##ing", "the"));
        try (Tokenizer t = Tokenizer.fromVocabTxt(v, true)) {
            assertArrayEquals(new int[] {2, 7, 5, 6, 1, 3}, t.encode("The playing xyz").ids());
            assertEquals(8, t.vocabSize());
        }
    }

    // ---- MiniLmArtifact ----

    @Test
    void artifactIsCopiedOnceAndRepairedWhenTruncated(@TempDir Path dir) throws IOException {
        MiniLmArtifact a = new MiniLmArtifact(dir.resolve("m"), TokenizerTest.class.getClassLoader());
        Path json = a.tokenizerJson();
        assertEquals(dir.resolve("m").resolve(MiniLmArtifact.TOKENIZER), json);
        long size = Files.size(json);
        assertEquals(711661, size); // unzip -l of the langchain4j jar
        FileTime old = FileTime.fromMillis(1_000_000_000L);
        Files.setLastModifiedTime(json, old);
        assertEquals(json, a.tokenizerJson());
        assertEquals(old, Files.getLastModifiedTime(json)); // same size: not copied again
        Files.writeString(json, "{\"truncated");
        assertEquals(size, Files.size(a.tokenizerJson()));
        try (Stream<Path> files = Files.list(dir.resolve("m"))) {
            assertEquals(List.of(json), files.toList()); // no .part left, no ONNX copied unasked
        }
        try (Tokenizer t = a.tokenizer()) {
            assertEquals(MASK, t.maskId());
        }
        assertEquals(90387606, Files.size(a.onnxModel()));
    }

    @Test
    void artifactMissingFromClasspathNamesTheMavenCoordinates(@TempDir Path dir) throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            MiniLmArtifact a = new MiniLmArtifact(dir, empty);
            failsNaming(MiniLmArtifact.COORDINATES, a::tokenizerJson);
            failsNaming(MiniLmArtifact.COORDINATES, a::onnxModel);
        }
    }

    @Test
    void defaultCacheFollowsSystemProperty() {
        String before = System.getProperty("gba4j.cache");
        try {
            System.setProperty("gba4j.cache", cache.toString());
            assertEquals(cache.resolve("all-minilm-l6-v2"), new MiniLmArtifact().directory());
            System.clearProperty("gba4j.cache");
            assertEquals(Path.of(System.getProperty("user.home"), ".cache", "gba4j", "all-minilm-l6-v2"),
                    new MiniLmArtifact().directory());
        } finally {
            if (before != null) {
                System.setProperty("gba4j.cache", before);
            }
        }
    }
}
