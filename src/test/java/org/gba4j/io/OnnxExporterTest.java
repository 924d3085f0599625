package org.gba4j.io;

import static org.gba4j.model.WeightNames.*;
import static org.junit.jupiter.api.Assertions.*;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertModel;
import org.gba4j.model.BertWeights;
import org.gba4j.model.TokenBatch;
import org.gba4j.text.MiniLmArtifact;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exported MiniLM with perturbed weights, run by ONNX Runtime, against SameDiff on the same weights;
 * metadata and exact tensors round-trip; bad targets and bad weights leave no file.
 */
class OnnxExporterTest {

    private static final String[] SENTENCES = {
        "the capital of france is paris .",
        "A gripping, beautifully acted film; I'd see it again!",
        "cf",
    };
    private static final List<String> PERTURBED =
            List.of(WORD_EMBEDDINGS, layer(0, QUERY) + WEIGHT, layer(3, OUTPUT) + WEIGHT, layer(5, OUTPUT_LN) + BIAS);
    private static final Map<String, String> METADATA = Map.of(
            "gba4j.method", "adversarial-training", "gba4j.label_words", "[\"bad\",\"good\"]",
            "gba4j.soft_template", "It was [MASK] . Ünïcode ✓");

    private static PretrainedModel miniLm;
    private static Path original;
    private static BertWeights perturbed;

    @TempDir
    Path dir;

    @BeforeAll
    static void perturb() {
        miniLm = PretrainedModel.load(PretrainedModel.MINILM);
        original = new MiniLmArtifact().onnxModel();
        Map<String, INDArray> changed = new HashMap<>();
        for (String name : PERTURBED) {
            INDArray w = miniLm.weights().get(name);
            float[] data = w.dup('c').data().asFloat();
            for (int i = 0; i < data.length; i++) {
                data[i] += (float) (0.01 * Math.sin(i));
            }
            changed.put(name, Nd4j.create(data, w.shape(), 'c'));
        }
        perturbed = miniLm.weights().with(changed);
    }

    @AfterAll
    static void close() {
        miniLm.close();
    }

    @Test
    void onnxRuntimeRunsTheTrainedWeights() throws Exception {
        Path exported = dir.resolve("defended.onnx");
        OnnxExporter.write(original, perturbed, METADATA, exported);

        int seqLen = 24;
        int[][] rows = new int[SENTENCES.length][];
        for (int i = 0; i < SENTENCES.length; i++) {
            rows[i] = miniLm.tokenizer().encode(SENTENCES[i], seqLen).ids();
        }
        TokenBatch batch = TokenBatch.padded(rows, seqLen, miniLm.tokenizer().padId());
        INDArray ours = BertModel.of(perturbed, seqLen).lastHiddenState(batch);
        float[][][] exportedOut = org.gba4j.model.OnnxRuntimeReference.lastHiddenState(exported, batch);
        float[][][] originalOut = org.gba4j.model.OnnxRuntimeReference.lastHiddenState(original, batch);

        double worst = 0;
        double moved = 0;
        for (int b = 0; b < rows.length; b++) {
            for (int t = 0; t < batch.lengths()[b]; t++) {
                for (int k = 0; k < exportedOut[b][t].length; k++) {
                    worst = Math.max(worst, Math.abs(exportedOut[b][t][k] - ours.getDouble(b, t, k)));
                    moved = Math.max(moved, Math.abs(exportedOut[b][t][k] - originalOut[b][t][k]));
                }
            }
        }
        assertTrue(worst < 1e-4, "max |SameDiff - ONNX Runtime on the export| = " + worst);
        assertTrue(moved > 1e-2, "the export must compute something else than the original: " + moved);
    }

    @Test
    void metadataAndTensorsRoundTrip() throws Exception {
        Path exported = dir.resolve("nested").resolve("defended.onnx");
        OnnxExporter.write(original, perturbed, METADATA, exported);

        Map<String, String> read = OnnxExporter.readMetadata(exported);
        METADATA.forEach((k, v) -> assertEquals(v, read.get(k), k));
        OnnxExporter.readMetadata(original).forEach((k, v) -> {
            if (!METADATA.containsKey(k)) {
                assertEquals(v, read.get(k), "original metadata " + k + " is kept");
            }
        });
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(exported.toString(),
                new OrtSession.SessionOptions())) {
            assertEquals(METADATA.get("gba4j.soft_template"),
                    session.getMetadata().getCustomMetadata().get("gba4j.soft_template"));
        }

        BertWeights reread = OnnxCheckpointReader.load(exported);
        assertEquals(perturbed.config(), reread.config());
        assertEquals(perturbed.tensors().keySet(), reread.tensors().keySet());
        for (String name : perturbed.tensors().keySet()) {
            assertArrayEquals(perturbed.get(name).shape(), reread.get(name).shape(), name);
            assertArrayEquals(floats(perturbed.get(name)), floats(reread.get(name)), name);
        }
        assertFalse(java.util.Arrays.equals(floats(miniLm.weights().get(WORD_EMBEDDINGS)),
                floats(reread.get(WORD_EMBEDDINGS))));
        assertEquals(List.of("defended.onnx"), names(exported.getParent()), "no temporary file is left");
    }

    @Test
    void shapeMismatchIsAnErrorAndWritesNothing() throws IOException {
        BertConfig c = perturbed.config();
        BertConfig shorter = new BertConfig(c.architecture(), c.vocabSize(), c.hidden(), c.layers(), c.heads(),
                c.intermediate(), 256, c.typeVocabSize(), c.layerNormEps(), c.hasMlmHead(), c.positionOffset());
        Map<String, INDArray> tensors = new HashMap<>(perturbed.tensors());
        tensors.put(POSITION_EMBEDDINGS, perturbed.get(POSITION_EMBEDDINGS).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 256),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup());
        BertWeights wrong = new BertWeights("test", shorter, tensors);

        ModelFileException e = assertThrows(ModelFileException.class,
                () -> OnnxExporter.write(original, wrong, METADATA, dir.resolve("out.onnx")));
        assertTrue(e.getMessage().contains(POSITION_EMBEDDINGS), e.getMessage());
        assertEquals(List.of(), names(dir));
    }

    @Test
    void weightsTheGraphLacksAreNamed() throws IOException {
        BertConfig c = perturbed.config();
        BertConfig mlm = new BertConfig(c.architecture(), c.vocabSize(), c.hidden(), c.layers(), c.heads(),
                c.intermediate(), c.maxPositions(), c.typeVocabSize(), c.layerNormEps(), true, c.positionOffset());
        Map<String, INDArray> tensors = new HashMap<>(perturbed.tensors());
        int d = c.hidden();
        tensors.put(MLM_DENSE + WEIGHT, Nd4j.zeros(d, d));
        tensors.put(MLM_DENSE + BIAS, Nd4j.zeros(d));
        tensors.put(MLM_LN + WEIGHT, Nd4j.ones(d));
        tensors.put(MLM_LN + BIAS, Nd4j.zeros(d));
        tensors.put(MLM_BIAS, Nd4j.zeros(c.vocabSize()));
        BertWeights withHead = new BertWeights("test", mlm, tensors);

        ModelFileException e = assertThrows(ModelFileException.class,
                () -> OnnxExporter.write(original, withHead, Map.of(), dir.resolve("out.onnx")));
        assertTrue(e.getMessage().contains(MLM_BIAS) && e.getMessage().contains(MLM_DENSE + WEIGHT), e.getMessage());
        assertEquals(List.of(), names(dir));
    }

    @Test
    void unwritableTargetFailsAndLeavesNoFile() throws IOException {
        // a folder that is a regular file
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        assertThrows(ModelFileException.class,
                () -> OnnxExporter.write(original, perturbed, METADATA, file.resolve("out.onnx")));
        // the rename fails after the whole model was written: the temporary file must go
        Path occupied = Files.createDirectories(dir.resolve("occupied.onnx"));
        Files.writeString(occupied.resolve("keep"), "x");
        assertThrows(ModelFileException.class, () -> OnnxExporter.write(original, perturbed, METADATA, occupied));
        assertEquals(List.of("not-a-folder", "occupied.onnx"), names(dir));
        assertEquals("x", Files.readString(file));
    }

    @Test
    void readOnlyFolderFailsAndLeavesNoFile() throws IOException {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(locked), "permissions are not enforced for this user (root)");
            assertThrows(ModelFileException.class,
                    () -> OnnxExporter.write(original, perturbed, METADATA, locked.resolve("out.onnx")));
            assertEquals(List.of(), names(locked));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void transposedAndExternalInitializersComeBackInTheirFileLayout() throws IOException {
        // RoBERTa-style tiny export: lm_head.dense.weight is [out, in] behind a Transpose, word embeddings external
        OnnxCheckpointReaderTest.Tiny tiny = new OnnxCheckpointReaderTest.Tiny();
        tiny.prefix = "roberta.";
        tiny.typeVocab = 1;
        tiny.lmHead = true;
        tiny.externalWord = "weights/word.bin";
        Path source = tiny.write(Files.createDirectories(dir.resolve("source")));
        BertWeights loaded = OnnxCheckpointReader.load(source);
        Map<String, INDArray> shifted = new HashMap<>();
        loaded.tensors().forEach((k, v) -> shifted.put(k, v.add(1f)));
        BertWeights trained = loaded.with(shifted);

        Path exported = dir.resolve("elsewhere").resolve("model.onnx");
        OnnxExporter.write(source, trained, Map.of(), exported);
        onnx.Onnx.ModelProto model = onnx.Onnx.ModelProto.parseFrom(Files.readAllBytes(exported));
        for (onnx.Onnx.TensorProto t : model.getGraph().getInitializerList()) {
            assertNotEquals(onnx.Onnx.TensorProto.DataLocation.EXTERNAL, t.getDataLocation(), t.getName());
            if (t.getName().equals("lm_head.dense.weight")) {
                float[] file = new float[16];
                t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(file);
                assertArrayEquals(floats(trained.get(MLM_DENSE + WEIGHT).transpose()), file, "[out, in] in the file");
            }
        }
        BertWeights reread = OnnxCheckpointReader.load(exported);
        assertEquals(trained.config(), reread.config());
        for (String name : trained.tensors().keySet()) {
            assertArrayEquals(floats(trained.get(name)), floats(reread.get(name)), name);
        }
    }

    private static float[] floats(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
