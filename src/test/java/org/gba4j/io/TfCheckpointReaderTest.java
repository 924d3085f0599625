package org.gba4j.io;

import static org.gba4j.model.WeightNames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class TfCheckpointReaderTest {
    private static final String PREFIX = "module/";
    private static final String DATA = "variables.data-00000-of-00001";

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ the real bert-base-uncased

    /**
     * Expected numbers were read independently with numpy from the raw data file at the offsets the
     * index declares (e.g. word_embeddings at byte 1585152, layer_0 query kernel at 100082688).
     */
    @Test
    void readsBertBaseUncasedFromTheMavenArtifact() throws IOException {
        BertBaseArtifact artifact = new BertBaseArtifact();
        BertWeights weights = artifact.weights(LoadLimits.DEFAULT);
        BertConfig c = weights.config();
        assertEquals(new BertConfig("bert", 30522, 768, 12, 12, 3072, 512, 2, 1e-12, true, 0), c);
        assertTrue(weights.source().contains(BertBaseArtifact.COORDINATES));

        INDArray words = weights.get(WORD_EMBEDDINGS);
        assertArrayEquals(new long[] {30522, 768}, words.shape());
        assertEquals(-0.010182573460042477f, words.getFloat(0, 0), 0f);
        assertEquals(-0.016303665935993195f, words.getFloat(1012, 5), 0f);
        assertEquals(-0.03313729539513588f, words.getFloat(2023, 100), 0f);
        assertEquals(0.07527420669794083f, words.getFloat(30521, 767), 0f);
        assertEquals(-0.07765596359968185f, weights.get(POSITION_EMBEDDINGS).getFloat(511, 767), 0f);
        assertEquals(-0.025631008669734f, weights.get(POSITION_EMBEDDINGS).getFloat(0, 1), 0f);
        assertEquals(0.001113191363401711f, weights.get(TOKEN_TYPE_EMBEDDINGS).getFloat(1, 0), 0f);
        assertEquals(0.9260566234588623f, weights.get(EMBEDDINGS_LN_WEIGHT).getFloat(0), 0f);
        assertEquals(0.030553217977285385f, weights.get(EMBEDDINGS_LN_BIAS).getFloat(767), 0f);
        // kernels keep TensorFlow's [in, out] layout: [1][2] and [2][1] differ
        INDArray query = weights.get(layer(0, QUERY) + WEIGHT);
        assertEquals(0.0334215946495533f, query.getFloat(1, 2), 0f);
        assertEquals(-0.04234775900840759f, query.getFloat(2, 1), 0f);
        assertEquals(0.06042662635445595f, weights.get(layer(0, INTERMEDIATE) + WEIGHT).getFloat(767, 3071), 0f);
        INDArray out11 = weights.get(layer(11, OUTPUT) + WEIGHT);
        assertArrayEquals(new long[] {3072, 768}, out11.shape());
        assertEquals(0.013860365375876427f, out11.getFloat(3071, 767), 0f);
        assertEquals(-0.006171447224915028f, out11.getFloat(3000, 5), 0f);
        assertEquals(-0.41912636160850525f, weights.get(MLM_BIAS).getFloat(0), 0f);
        assertEquals(-0.4964769184589386f, weights.get(MLM_BIAS).getFloat(30521), 0f);
        assertEquals(0.35246604681015015f, weights.get(MLM_DENSE + WEIGHT).getFloat(767, 767), 0f);
        assertEquals(0.003413764527067542f, weights.get(MLM_DENSE + WEIGHT).getFloat(0, 1), 0f);
        // 5 embedding tensors + 16 per layer + 5 MLM-head tensors; the pooler is skipped
        assertEquals(5 + 16 * 12 + 5, weights.tensors().size());

        List<String> vocab = Files.readAllLines(artifact.vocabFile(), StandardCharsets.UTF_8);
        assertEquals(30522, vocab.size());
        assertEquals("[PAD]", vocab.get(0));
        assertEquals("this", vocab.get(2023));
    }

    // ------------------------------------------------------------------ crafted checkpoints

    @Test
    void readsACraftedTinyCheckpoint() throws IOException {
        Bundle b = tinyModel();
        b.write(dir);
        BertWeights w = TfCheckpointReader.read(dir, LoadLimits.DEFAULT);
        assertEquals(new BertConfig("bert", 8, 4, 2, 2, 8, 6, 2, 1e-12, true, 0), w.config());
        assertEquals(5 + 16 * 2 + 5, w.tensors().size(), "pooler, NSP head and optimizer slots are skipped");
        assertEquals(b.values.get(PREFIX + "bert/embeddings/word_embeddings")[13], w.get(WORD_EMBEDDINGS).getFloat(3, 1), 0f);
        float[] kernel = b.values.get(PREFIX + "bert/encoder/layer_1/intermediate/dense/kernel");
        assertEquals(kernel[2 * 8 + 5], w.get(layer(1, INTERMEDIATE) + WEIGHT).getFloat(2, 5), 0f);
        assertEquals(b.values.get(PREFIX + "cls/predictions/output_bias")[7], w.get(MLM_BIAS).getFloat(7), 0f);
    }

    @Test
    void readsGoogleCheckpointLayoutWithoutScopeOrMlmHead() throws IOException {
        Bundle b = new Bundle("");
        addEncoder(b, "", 64, 1, false);
        b.writeTo(dir, "bert_model.ckpt");
        BertWeights w = TfCheckpointReader.read(dir, LoadLimits.DEFAULT);
        assertEquals(1, w.config().heads(), "without bert_config.json heads = hidden / 64");
        assertFalse(w.config().hasMlmHead());
    }

    @Test
    void truncatedDataFileIsRefused() throws IOException {
        tinyModel().write(dir);
        Path data = dir.resolve("variables").resolve(DATA);
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        ModelFileException e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().startsWith(data.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingDataFileIsRefused() throws IOException {
        tinyModel().write(dir);
        Files.delete(dir.resolve("variables").resolve(DATA));
        ModelFileException e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().contains(DATA) && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void sizeThatDoesNotMatchTheShapeIsRefused() throws IOException {
        Bundle b = tinyModel();
        String name = PREFIX + "bert/embeddings/position_embeddings";
        b.entries.put(name, entry(1, new long[] {6, 4}, b.offsets.get(name), 6 * 4 * 4 - 4, null));
        b.write(dir);
        ModelFileException e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().startsWith(index().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("declares 92 bytes"), e.getMessage());
    }

    @Test
    void flippedIndexByteFailsTheBlockChecksum() throws IOException {
        tinyModel().write(dir);
        byte[] bytes = Files.readAllBytes(index());
        bytes[40] ^= 0x10;
        Files.write(index(), bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().startsWith(index().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void truncatedOrForeignIndexIsRefused() throws IOException {
        tinyModel().write(dir);
        byte[] bytes = Files.readAllBytes(index());
        for (byte[] bad : List.of(java.util.Arrays.copyOf(bytes, bytes.length - 7), new byte[0],
                "not a checkpoint at all, just some text padding it past 48 bytes".getBytes(StandardCharsets.UTF_8))) {
            Files.write(index(), bad);
            ModelFileException e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
            assertTrue(e.getMessage().startsWith(index().toString()) && e.getMessage().contains("corrupt"), e.getMessage());
        }
    }

    /** Garbage inside a block whose checksum is valid must hit the bounds checks, not the JVM's. */
    @Test
    void randomlyCorruptedBlocksWithValidChecksumsFailCleanly() throws IOException {
        Bundle b = tinyModel();
        Random random = new Random(42);
        int clean = 0;
        for (int trial = 0; trial < 1500; trial++) {
            Path trialDir = Files.createDirectories(dir.resolve("t" + trial));
            int flips = 1 + random.nextInt(4);
            long seed = random.nextLong();
            b.write(trialDir, block -> {
                Random r = new Random(seed);
                byte[] copy = block.clone();
                for (int i = 0; i < flips; i++) {
                    copy[r.nextInt(copy.length)] = (byte) r.nextInt(256);
                }
                return copy;
            });
            try {
                TfCheckpointReader.read(trialDir, LoadLimits.DEFAULT);
                clean++;
            } catch (ModelFileException e) {
                assertTrue(e.getMessage().startsWith(trialDir.toString()), e.getMessage());
            }
        }
        assertTrue(clean < 1500, "most corruptions must be detected");
    }

    @Test
    void missingWordEmbeddingsAreRefused() throws IOException {
        Bundle b = tinyModel();
        b.entries.remove(PREFIX + "bert/embeddings/word_embeddings");
        b.write(dir);
        ModelFileException e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().startsWith(index().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("bert/embeddings/word_embeddings"), e.getMessage());
    }

    @Test
    void hugeDeclaredShapesAreRefusedBeforeAllocation() throws IOException {
        Bundle b = tinyModel();
        String name = PREFIX + "bert/embeddings/word_embeddings";
        long[][] shapes = {{1L << 40, 1L << 40}, {100_000_000, 768}, {1_000_000, 4}};
        String[] expected = {"dimension of 1099511627776", "over the limit", "truncated"};
        for (int i = 0; i < shapes.length; i++) {
            long bytes = shapes[i][0] * shapes[i][1] * 4;
            b.entries.put(name, entry(1, shapes[i], b.offsets.get(name), bytes, null));
            b.write(dir);
            ModelFileException e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
            assertTrue(e.getMessage().contains(expected[i]) && e.getMessage().contains("variables"), e.getMessage());
        }
    }

    @Test
    void totalSizeLimitIsEnforced() throws IOException {
        tinyModel().write(dir);
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> TfCheckpointReader.read(dir, new LoadLimits(500, 400, 4)));
        assertTrue(e.getMessage().startsWith(index().toString()) && e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void nonFloatTensorsAreRefused() throws IOException {
        Bundle b = tinyModel();
        String name = PREFIX + "bert/embeddings/word_embeddings";
        b.entries.put(name, entry(19, new long[] {8, 4}, b.offsets.get(name), 8 * 4 * 2, null));
        b.write(dir);
        ModelFileException e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().contains("dtype 19") && e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void corruptTensorBytesFailTheTensorChecksum() throws IOException {
        Bundle b = tinyModel();
        b.write(dir);
        Path data = dir.resolve("variables").resolve(DATA);
        byte[] bytes = Files.readAllBytes(data);
        bytes[b.offsets.get(PREFIX + "bert/embeddings/word_embeddings").intValue() + 5] ^= 1;
        Files.write(data, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().startsWith(data.toString()) && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void headsComeFromBertConfigOrMustBeInferable() throws IOException {
        tinyModel().write(dir);
        Files.delete(dir.resolve("bert_config.json"));
        ModelFileException e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().contains("bert_config.json"), e.getMessage());
        Files.writeString(dir.resolve("bert_config.json"), "{\"hidden_size\": 4, \"num_attention_heads\": 3}");
        e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().startsWith(dir.resolve("bert_config.json").toString()), e.getMessage());
    }

    @Test
    void notACheckpointFolderIsRefused() {
        ModelFileException e = assertThrows(ModelFileException.class, () -> TfCheckpointReader.read(dir, LoadLimits.DEFAULT));
        assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
    }

    // ------------------------------------------------------------------ artifact extraction

    @Test
    void extractionRefusesZipSlipAndLeavesNothingBehind() throws IOException {
        Path target = dir.resolve("cache").resolve("bert-base-uncased");
        byte[] zip = zip(Map.of("variables/variables.index", "x", "../../evil.txt", "pwned"));
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> BertBaseArtifact.install(new ByteArrayInputStream(zip), target));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("evil.txt")));
        assertFalse(Files.exists(target));
        try (var left = Files.list(target.getParent())) {
            assertEquals(0, left.count(), "the temporary folder is removed");
        }
    }

    @Test
    void extractionIsCompleteOrAbsent() throws IOException {
        Path target = dir.resolve("cache").resolve("bert-base-uncased");
        BertBaseArtifact.install(new ByteArrayInputStream(zip(Map.of("variables/variables.index", "x",
                "assets/vocab.txt", "[PAD]\n"))), target);
        assertTrue(Files.isRegularFile(target.resolve(BertBaseArtifact.COMPLETE_MARKER)));
        assertEquals("[PAD]\n", Files.readString(new BertBaseArtifact(target).vocabFile()));
        // a half-written folder (no marker) is never taken for a model
        Path half = dir.resolve("half");
        Files.createDirectories(half.resolve("variables"));
        assertThrows(ModelFileException.class, () -> BertBaseArtifact.install(
                new ByteArrayInputStream(zip(Map.of("variables/variables.index", "x"))), half));
    }

    // ------------------------------------------------------------------ helpers

    private Path index() {
        return dir.resolve("variables").resolve("variables.index");
    }

    private static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
                out.putNextEntry(new ZipEntry(f.getKey()));
                out.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A 2-layer, hidden-4 BERT under the TF-Hub scope, with the pooler, NSP head and an Adam slot. */
    private static Bundle tinyModel() {
        Bundle b = new Bundle("{\"hidden_size\": 4, \"num_attention_heads\": 2}");
        addEncoder(b, PREFIX, 4, 2, true);
        b.add(PREFIX + "bert/pooler/dense/kernel", 4, 4);
        b.add(PREFIX + "cls/seq_relationship/output_weights", 2, 4);
        b.add(PREFIX + "bert/embeddings/word_embeddings/adam_m", 8, 4);
        return b;
    }

    private static void addEncoder(Bundle b, String p, int d, int layers, boolean mlm) {
        int vocab = 8;
        int inter = 2 * d;
        b.add(p + "bert/embeddings/word_embeddings", vocab, d);
        b.add(p + "bert/embeddings/position_embeddings", 6, d);
        b.add(p + "bert/embeddings/token_type_embeddings", 2, d);
        b.add(p + "bert/embeddings/LayerNorm/gamma", d);
        b.add(p + "bert/embeddings/LayerNorm/beta", d);
        for (int i = 0; i < layers; i++) {
            String l = p + "bert/encoder/layer_" + i + "/";
            for (String lin : new String[] {"attention/self/query", "attention/self/key", "attention/self/value",
                    "attention/output/dense"}) {
                b.add(l + lin + "/kernel", d, d);
                b.add(l + lin + "/bias", d);
            }
            b.add(l + "intermediate/dense/kernel", d, inter);
            b.add(l + "intermediate/dense/bias", inter);
            b.add(l + "output/dense/kernel", inter, d);
            b.add(l + "output/dense/bias", d);
            for (String ln : new String[] {"attention/output/LayerNorm", "output/LayerNorm"}) {
                b.add(l + ln + "/gamma", d);
                b.add(l + ln + "/beta", d);
            }
        }
        if (mlm) {
            b.add(p + "cls/predictions/transform/dense/kernel", d, d);
            b.add(p + "cls/predictions/transform/dense/bias", d);
            b.add(p + "cls/predictions/transform/LayerNorm/gamma", d);
            b.add(p + "cls/predictions/transform/LayerNorm/beta", d);
            b.add(p + "cls/predictions/output_bias", vocab);
        }
    }

    /** A BundleEntryProto: dtype 1, shape 2, offset 4, size 5, crc32c 6 (shard 3 left at 0). */
    private static byte[] entry(int dtype, long[] shape, long offset, long size, Integer crc) {
        Proto shapeProto = new Proto();
        for (long dim : shape) {
            shapeProto.message(2, new Proto().varint(1, dim).bytes());
        }
        Proto e = new Proto().varint(1, dtype).message(2, shapeProto.bytes()).varint(4, offset).varint(5, size);
        if (crc != null) {
            e.fixed32(6, crc);
        }
        return e.bytes();
    }

    /** Writes a TensorFlow tensor bundle: data file plus a one-data-block LevelDB table as index. */
    private static final class Bundle {
        final TreeMap<String, byte[]> entries = new TreeMap<>();
        final Map<String, float[]> values = new TreeMap<>();
        final Map<String, Long> offsets = new TreeMap<>();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final String bertConfig;
        private final Random random = new Random(7);

        Bundle(String bertConfig) {
            this.bertConfig = bertConfig;
        }

        void add(String name, int... dims) {
            int n = 1;
            long[] shape = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                n *= dims[i];
                shape[i] = dims[i];
            }
            float[] v = new float[n];
            ByteBuffer buf = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                v[i] = (float) random.nextGaussian();
                buf.putFloat(v[i]);
            }
            CRC32C crc = new CRC32C();
            crc.update(buf.array());
            long offset = data.size();
            data.writeBytes(buf.array());
            values.put(name, v);
            offsets.put(name, offset);
            entries.put(name, entry(1, shape, offset, 4L * n, TfCheckpointReader.mask((int) crc.getValue())));
        }

        void write(Path modelDir) throws IOException {
            write(modelDir, UnaryOperator.identity());
        }

        void write(Path modelDir, UnaryOperator<byte[]> dataBlockMutator) throws IOException {
            Path vars = Files.createDirectories(modelDir.resolve("variables"));
            writeFiles(vars, "variables", dataBlockMutator);
            if (!bertConfig.isEmpty()) {
                Files.writeString(modelDir.resolve("bert_config.json"), bertConfig);
            }
        }

        void writeTo(Path folder, String prefix) throws IOException {
            writeFiles(folder, prefix, UnaryOperator.identity());
        }

        private void writeFiles(Path folder, String prefix, UnaryOperator<byte[]> mutator) throws IOException {
            Files.write(folder.resolve(prefix + ".data-00000-of-00001"), data.toByteArray());
            TreeMap<String, byte[]> all = new TreeMap<>(entries);
            all.put("", new Proto().varint(1, 1).message(3, new Proto().varint(1, 1).bytes()).bytes());
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            List<byte[]> keys = new ArrayList<>();
            for (String k : all.keySet()) {
                keys.add(k.getBytes(StandardCharsets.UTF_8));
            }
            byte[] dataHandle = writeBlock(file, mutator.apply(block(keys, new ArrayList<>(all.values()))));
            byte[] metaHandle = writeBlock(file, block(List.of(), List.of()));
            byte[] indexHandle = writeBlock(file, block(List.of(keys.get(keys.size() - 1)), List.of(dataHandle)));
            ByteBuffer footer = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
            footer.put(metaHandle).put(indexHandle).position(40);
            footer.putLong(0xdb4775248b80fb57L);
            file.writeBytes(footer.array());
            Files.write(folder.resolve(prefix + ".index"), file.toByteArray());
        }

        /** Entries with prefix-compressed keys, a restart every 4 entries, then the restart array. */
        private static byte[] block(List<byte[]> keys, List<byte[]> vals) {
            Proto out = new Proto();
            List<Integer> restarts = new ArrayList<>();
            byte[] previous = new byte[0];
            for (int i = 0; i < keys.size(); i++) {
                byte[] key = keys.get(i);
                int shared = 0;
                if (i % 4 == 0) {
                    restarts.add(out.size());
                } else {
                    while (shared < Math.min(key.length, previous.length) && key[shared] == previous[shared]) {
                        shared++;
                    }
                }
                out.rawVarint(shared).rawVarint(key.length - shared).rawVarint(vals.get(i).length);
                out.raw(java.util.Arrays.copyOfRange(key, shared, key.length)).raw(vals.get(i));
                previous = key;
            }
            if (restarts.isEmpty()) {
                restarts.add(0);
            }
            ByteBuffer tail = ByteBuffer.allocate(4 * restarts.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
            restarts.forEach(tail::putInt);
            tail.putInt(restarts.size());
            return out.raw(tail.array()).bytes();
        }

        /** Appends block + type byte + masked CRC; returns its handle. */
        private static byte[] writeBlock(ByteArrayOutputStream file, byte[] block) {
            long offset = file.size();
            file.writeBytes(block);
            file.write(0);
            CRC32C crc = new CRC32C();
            crc.update(block);
            crc.update(0);
            ByteBuffer c = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(TfCheckpointReader.mask((int) crc.getValue()));
            file.writeBytes(c.array());
            return new Proto().rawVarint(offset).rawVarint(block.length).bytes();
        }
    }

    /** Just enough protobuf encoding to craft index entries. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto rawVarint(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        Proto raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Proto varint(int field, long v) {
            return rawVarint((long) field << 3).rawVarint(v);
        }

        Proto message(int field, byte[] b) {
            return rawVarint((long) field << 3 | 2).rawVarint(b.length).raw(b);
        }

        Proto fixed32(int field, int v) {
            rawVarint((long) field << 3 | 5);
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        int size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
