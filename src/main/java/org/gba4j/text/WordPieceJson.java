package org.gba4j.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.gba4j.files.ModelFileException;

/**
 * Turns a BERT {@code vocab.txt} into the {@code tokenizer.json} Hugging Face's converter writes for
 * {@code BertTokenizerFast}, so that the same native library tokenizes both kinds of checkpoint.
 */
final class WordPieceJson {

    /** The tokens the BERT pipeline inserts itself; a vocabulary without them cannot serve an MLM. */
    static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    private WordPieceJson() {}

    static String fromVocabTxt(Path vocabTxt, boolean lowerCase) {
        return build(readVocab(vocabTxt), lowerCase, vocabTxt).toString();
    }

    /** Tokens in id order; rejects what Hugging Face would silently mis-load. */
    static List<String> readVocab(Path vocabTxt) {
        List<String> lines;
        try {
            lines = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(vocabTxt, "file not found", "Pass the vocab.txt of the BERT checkpoint");
        } catch (CharacterCodingException e) {
            throw new ModelFileException(vocabTxt, "not UTF-8 text", "Pass the vocab.txt of the BERT checkpoint");
        } catch (IOException e) {
            throw new ModelFileException(vocabTxt.toString(), "cannot be read (" + HfTokenizer.oneLine(e.toString()) + ")", "Check the path", e);
        }
        int n = lines.size();
        while (n > 0 && lines.get(n - 1).isEmpty()) {
            n--; // trailing newlines
        }
        if (n == 0) {
            throw new ModelFileException(vocabTxt, "empty vocabulary", "Pass the vocab.txt of the BERT checkpoint");
        }
        List<String> tokens = List.copyOf(lines.subList(0, n));
        for (int i = 0; i < n; i++) {
            if (tokens.get(i).isEmpty()) { // readAllLines already split off \n, \r\n and \r
                throw new ModelFileException(vocabTxt, "empty token at line " + (i + 1),
                        "A vocab.txt has one token per line, the id being the line number - 1");
            }
        }
        return tokens;
    }

    private static JsonObject build(List<String> tokens, boolean lowerCase, Path source) {
        JsonObject vocab = new JsonObject();
        for (int id = 0; id < tokens.size(); id++) {
            String t = tokens.get(id);
            if (vocab.has(t)) {
                throw new ModelFileException(source, "token '" + t + "' appears twice (lines "
                        + (vocab.get(t).getAsInt() + 1) + " and " + (id + 1) + ")", "The ids would be ambiguous");
            }
            vocab.addProperty(t, id);
        }
        JsonArray added = new JsonArray();
        for (String s : SPECIALS) {
            if (!vocab.has(s)) {
                throw new ModelFileException(source, "vocabulary lacks the special token " + s,
                        "Pass the vocab.txt of an uncased or cased BERT checkpoint");
            }
            JsonObject a = new JsonObject();
            a.addProperty("id", vocab.get(s).getAsInt());
            a.addProperty("content", s);
            a.addProperty("single_word", false);
            a.addProperty("lstrip", false);
            a.addProperty("rstrip", false);
            a.addProperty("normalized", false);
            a.addProperty("special", true);
            added.add(a);
        }

        JsonObject normalizer = new JsonObject();
        normalizer.addProperty("type", "BertNormalizer");
        normalizer.addProperty("clean_text", true);
        normalizer.addProperty("handle_chinese_chars", true);
        normalizer.addProperty("strip_accents", lowerCase);
        normalizer.addProperty("lowercase", lowerCase);

        JsonObject preTokenizer = new JsonObject();
        preTokenizer.addProperty("type", "BertPreTokenizer");

        JsonObject model = new JsonObject();
        model.addProperty("type", "WordPiece");
        model.addProperty("unk_token", "[UNK]");
        model.addProperty("continuing_subword_prefix", "##");
        model.addProperty("max_input_chars_per_word", 100);
        model.add("vocab", vocab);

        JsonObject decoder = new JsonObject();
        decoder.addProperty("type", "WordPiece");
        decoder.addProperty("prefix", "##");
        decoder.addProperty("cleanup", true);

        JsonObject json = new JsonObject();
        json.addProperty("version", "1.0");
        json.add("truncation", JsonNull.INSTANCE);
        json.add("padding", JsonNull.INSTANCE);
        json.add("added_tokens", added);
        json.add("normalizer", normalizer);
        json.add("pre_tokenizer", preTokenizer);
        json.add("post_processor", template(vocab.get("[CLS]").getAsInt(), vocab.get("[SEP]").getAsInt()));
        json.add("decoder", decoder);
        json.add("model", model);
        return json;
    }

    /** {@code [CLS] A [SEP]} and {@code [CLS] A [SEP] B [SEP]}, B and its [SEP] in segment 1. */
    private static JsonObject template(int cls, int sep) {
        JsonArray single = new JsonArray();
        single.add(special("[CLS]", 0));
        single.add(sequence("A", 0));
        single.add(special("[SEP]", 0));
        JsonArray pair = new JsonArray();
        pair.add(special("[CLS]", 0));
        pair.add(sequence("A", 0));
        pair.add(special("[SEP]", 0));
        pair.add(sequence("B", 1));
        pair.add(special("[SEP]", 1));
        JsonObject specials = new JsonObject();
        specials.add("[CLS]", specialDef("[CLS]", cls));
        specials.add("[SEP]", specialDef("[SEP]", sep));
        JsonObject p = new JsonObject();
        p.addProperty("type", "TemplateProcessing");
        p.add("single", single);
        p.add("pair", pair);
        p.add("special_tokens", specials);
        return p;
    }

    private static JsonObject special(String token, int typeId) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", token);
        inner.addProperty("type_id", typeId);
        JsonObject o = new JsonObject();
        o.add("SpecialToken", inner);
        return o;
    }

    private static JsonObject sequence(String which, int typeId) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", which);
        inner.addProperty("type_id", typeId);
        JsonObject o = new JsonObject();
        o.add("Sequence", inner);
        return o;
    }

    private static JsonObject specialDef(String token, int id) {
        JsonArray ids = new JsonArray();
        ids.add(id);
        JsonArray tokens = new JsonArray();
        tokens.add(token);
        JsonObject o = new JsonObject();
        o.addProperty("id", token);
        o.add("ids", ids);
        o.add("tokens", tokens);
        return o;
    }
}
