package org.gba4j.io;

import static org.gba4j.model.WeightNames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.protobuf.ByteString;

class OnnxCheckpointReaderTest {

    @TempDir
    static Path shared;
    static Path miniLm;

    @TempDir
    Path dir;

    @BeforeAll
    static void copyMiniLm() throws IOException {
        try (InputStream in = OnnxCheckpointReaderTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assertNotNull(in, "all-minilm-l6-v2.onnx is not on the test classpath");
            miniLm = shared.resolve("all-minilm-l6-v2.onnx");
            Files.copy(in, miniLm, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---------------------------------------------------------------- the real MiniLM export

    @Test
    void readsMiniLmExport() {
        BertWeights w = OnnxCheckpointReader.load(miniLm);
        BertConfig c = w.config();
        assertEquals("bert", c.architecture());
        assertEquals(30522, c.vocabSize());
        assertEquals(384, c.hidden());
        assertEquals(6, c.layers());
        assertEquals(12, c.heads(), "heads come from the attention Reshape, not hidden / 64");
        assertEquals(1536, c.intermediate());
        assertEquals(512, c.maxPositions());
        assertEquals(2, c.typeVocabSize());
        assertEquals(1e-12, c.layerNormEps());
        assertEquals(0, c.positionOffset());
        assertFalse(c.hasMlmHead());
        // reference values read with python onnx.numpy_helper from the same file
        assertEquals(-0.019989013671875f, w.get(WORD_EMBEDDINGS).getFloat(0, 0));
        assertEquals(0.036420438438653946f, w.get(WORD_EMBEDDINGS).getFloat(1000, 5));
        assertEquals(0.004570063669234514f, w.get(WORD_EMBEDDINGS).getFloat(30521, 383));
        assertEquals(-0.005535125732421875f, w.get(TOKEN_TYPE_EMBEDDINGS).getFloat(1, 2));
        // onnx::MatMul_787, consumed by /encoder/layer.0/attention/self/query/MatMul, [in, out]
        assertEquals(0.14798414707183838f, w.get(layer(0, QUERY) + WEIGHT).getFloat(3, 7));
        // onnx::MatMul_864, consumed by /encoder/layer.5/output/dense/MatMul, shape [1536, 384]
        assertEquals(0.0012321292888373137f, w.get(layer(5, OUTPUT) + WEIGHT).getFloat(1535, 383));
        assertEquals(-0.0008412150200456381f, w.get(layer(5, INTERMEDIATE) + BIAS).getFloat(100));
    }

    // ---------------------------------------------------------------- crafted models

    @Test
    void tinyBertWithExternalDataRoundTrips() throws IOException {
        Tiny tiny = new Tiny();
        tiny.externalWord = "weights/word.bin";
        Path model = tiny.write(dir);
        BertWeights w = OnnxCheckpointReader.load(model);
        BertConfig c = w.config();
        assertEquals(new BertConfig("bert", 10, 4, 1, 2, 8, 6, 2, 1e-12, false, 0), c);
        for (Map.Entry<String, float[]> e : tiny.values.entrySet()) {
            assertArrayEquals(e.getValue(), w.get(e.getKey()).dup('c').data().asFloat(), e.getKey());
        }
        // the output dense MatMul has no scoped name: named after the bias added to its output
        assertTrue(tiny.values.containsKey(layer(0, OUTPUT) + WEIGHT));
    }

    @Test
    void robertaPrefixAndLmHeadMapToCanonicalNames() throws IOException {
        Tiny tiny = new Tiny();
        tiny.prefix = "roberta.";
        tiny.typeVocab = 1;
        tiny.eps = null;
        tiny.lmHead = true;
        BertWeights w = OnnxCheckpointReader.load(tiny.write(dir));
        BertConfig c = w.config();
        assertEquals("roberta", c.architecture());
        assertEquals(2, c.positionOffset());
        assertEquals(1e-5, c.layerNormEps());
        assertTrue(c.hasMlmHead());
        assertArrayEquals(tiny.values.get(MLM_BIAS), w.get(MLM_BIAS).data().asFloat());
        assertArrayEquals(tiny.values.get(MLM_LN + WEIGHT), w.get(MLM_LN + WEIGHT).data().asFloat());
    }

    @Test
    void robertaRecognisedByZeroPaddingRowWithoutPrefix() throws IOException {
        Tiny tiny = new Tiny();
        tiny.typeVocab = 1;
        float[] positions = ramp(24, 7);
        Arrays.fill(positions, 4, 8, 0f);
        tiny.override = floats(POSITION_EMBEDDINGS, new long[] {6, 4}, positions);
        BertConfig c = OnnxCheckpointReader.load(tiny.write(dir)).config();
        assertEquals("roberta", c.architecture());
        assertEquals(2, c.positionOffset());
        assertEquals(4, c.maxSequenceLength());
        assertEquals(1e-12, c.layerNormEps(), "an epsilon in the graph wins over the RoBERTa default");
    }

    @Test
    void singleTokenTypeWithoutPaddingEvidenceStaysBert() throws IOException {
        Tiny tiny = new Tiny();
        tiny.typeVocab = 1;
        BertConfig c = OnnxCheckpointReader.load(tiny.write(dir)).config();
        assertEquals("bert", c.architecture());
        assertEquals(0, c.positionOffset());
    }

    @Test
    void headsFromConfigJsonWhenGraphHasNoReshape() throws IOException {
        Tiny tiny = new Tiny();
        tiny.headsReshape = false;
        Path model = tiny.write(dir);
        ModelFileException e = assertThrows(ModelFileException.class, () -> OnnxCheckpointReader.load(model));
        assertTrue(e.getMessage().startsWith(model.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
        Files.writeString(model.resolveSibling("config.json"), "{\"num_attention_heads\": 2, \"model_type\": \"bert\"}");
        assertEquals(2, OnnxCheckpointReader.load(model).config().heads());
    }

    @Test
    void headsFromConstantReshapeShapeWithInferredDimension() throws IOException {
        Tiny tiny = new Tiny();
        tiny.constantShape = new long[] {0, 0, -1, 2};
        assertEquals(2, OnnxCheckpointReader.load(tiny.write(dir)).config().heads());
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        Path whole = new Tiny().write(dir);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        String message = fail(cut);
        assertTrue(message.contains("cut.onnx"), message);
        assertTrue(message.contains("truncated or corrupt"), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void externalPathLeavingTheFolderIsRejected() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("model"));
        Files.write(dir.resolve("outside.bin"), new byte[4096]);
        Tiny tiny = new Tiny();
        tiny.externalWord = "../outside.bin";
        tiny.writeExternalFile = false;
        String message = fail(tiny.write(folder));
        assertTrue(message.contains("'../outside.bin'"), message);
        assertTrue(message.contains("leaves the model's folder"), message);
    }

    @Test
    void absoluteExternalPathIsRejected() throws IOException {
        Path outside = dir.resolve("abs.bin");
        Files.write(outside, new byte[4096]);
        Path folder = Files.createDirectories(dir.resolve("model"));
        Tiny tiny = new Tiny();
        tiny.externalWord = outside.toAbsolutePath().toString();
        tiny.writeExternalFile = false;
        String message = fail(tiny.write(folder));
        assertTrue(message.contains("'" + outside.toAbsolutePath() + "'"), message);
        assertTrue(message.contains("absolute path"), message);
    }

    @Test
    void symlinkLeavingTheFolderIsRejected() throws IOException {
        Path outside = dir.resolve("secret.bin");
        Files.write(outside, new byte[4096]);
        Path folder = Files.createDirectories(dir.resolve("model"));
        Files.createSymbolicLink(folder.resolve("link.bin"), outside);
        Tiny tiny = new Tiny();
        tiny.externalWord = "link.bin";
        tiny.writeExternalFile = false;
        String message = fail(tiny.write(folder));
        assertTrue(message.contains("'link.bin'") && message.contains("link leading out"), message);
    }

    @Test
    void externalRangeBeyondTheFileIsRejected() throws IOException {
        Tiny tiny = new Tiny();
        tiny.externalWord = "word.bin";
        tiny.externalOffset = 1000;
        tiny.writeExternalFile = false;
        Files.write(dir.resolve("word.bin"), new byte[200]);
        String message = fail(tiny.write(dir));
        assertTrue(message.contains("needs 160 bytes at offset 1000") && message.contains("which has 200 bytes"), message);
    }

    @Test
    void rawDataShorterThanDimsIsRejected() throws IOException {
        Tiny tiny = new Tiny();
        tiny.override = TensorProto.newBuilder().setName(WORD_EMBEDDINGS).setDataType(1).addDims(10).addDims(4)
                .setRawData(ByteString.copyFrom(new byte[80])).build();
        String message = fail(tiny.write(dir));
        assertTrue(message.contains("tensor " + WORD_EMBEDDINGS + " declares shape [10, 4] (160 bytes)"), message);
        assertTrue(message.contains("holds 80 bytes of raw_data"), message);
    }

    @Test
    void hugeDeclaredShapeIsRejectedBeforeAllocation() throws IOException {
        Tiny tiny = new Tiny();
        tiny.override = TensorProto.newBuilder().setName(WORD_EMBEDDINGS).setDataType(1)
                .addDims(1_000_000).addDims(1_000_000).setRawData(ByteString.copyFrom(new byte[16])).build();
        String message = fail(tiny.write(dir));
        assertTrue(message.contains("declares 4000000000000 bytes, over the limit"), message);
    }

    @Test
    void nonFloatTensorIsRejected() throws IOException {
        Tiny tiny = new Tiny();
        tiny.override = TensorProto.newBuilder().setName(WORD_EMBEDDINGS).setDataType(10).addDims(10).addDims(4)
                .setRawData(ByteString.copyFrom(new byte[80])).build();
        String message = fail(tiny.write(dir));
        assertTrue(message.contains("FLOAT16 (10), expected FLOAT (1)"), message);
    }

    @Test
    void graphWithoutWordEmbeddingsIsUnknownArchitecture() throws IOException {
        GraphProto.Builder g = GraphProto.newBuilder().setName("gpt2");
        g.addInitializer(floats("transformer.wte.weight", new long[] {10, 4}, ramp(40, 0)));
        g.addInitializer(floats("transformer.h.0.attn.c_attn.weight", new long[] {4, 12}, ramp(48, 1)));
        g.addNode(node("Gather", "/transformer/wte/Gather", List.of("transformer.wte.weight", "input_ids"), List.of("h")));
        Path model = dir.resolve("gpt2.onnx");
        Files.write(model, ModelProto.newBuilder().setIrVersion(8).setGraph(g).build().toByteArray());
        String message = fail(model);
        assertTrue(message.contains("gpt2.onnx") && message.contains("unknown architecture"), message);
    }

    @Test
    void missingFileIsReported() {
        String message = fail(dir.resolve("nope.onnx"));
        assertTrue(message.contains("nope.onnx") && message.contains("file not found"), message);
    }

    private static String fail(Path model) {
        return assertThrows(ModelFileException.class, () -> OnnxCheckpointReader.load(model)).getMessage();
    }

    // ---------------------------------------------------------------- builders

    /**
     * A 1-layer BERT (vocab 10, hidden 4, 2 heads, intermediate 8, 6 positions) laid out like a
     * torch.onnx export: named embeddings, biases and LayerNorms, anonymous MatMul weights named by
     * their node's scope (the output dense by its bias only), a heads Reshape and a decomposed LayerNorm.
     */
    static final class Tiny {
        String prefix = "";
        int typeVocab = 2;
        Float eps = 1e-12f;
        boolean headsReshape = true;
        long[] constantShape;
        boolean lmHead;
        String externalWord;
        long externalOffset = 16;
        boolean writeExternalFile = true;
        TensorProto override;
        final Map<String, float[]> values = new LinkedHashMap<>();
        private final GraphProto.Builder g = GraphProto.newBuilder().setName("tiny");
        private int seed;

        Path write(Path target) throws IOException {
            folder = target;
            named(WORD_EMBEDDINGS, 10, 4);
            named(POSITION_EMBEDDINGS, 6, 4);
            named(TOKEN_TYPE_EMBEDDINGS, typeVocab, 4);
            named(EMBEDDINGS_LN_WEIGHT, 4);
            named(EMBEDDINGS_LN_BIAS, 4);
            String x = "hidden";
            for (String lin : List.of(QUERY, KEY, VALUE, ATTENTION_OUTPUT)) {
                linear(layer(0, lin), 4, 4, true);
            }
            linear(layer(0, INTERMEDIATE), 4, 8, true);
            linear(layer(0, OUTPUT), 8, 4, false);
            for (String ln : List.of(ATTENTION_LN, OUTPUT_LN)) {
                named(layer(0, ln) + WEIGHT, 4);
                named(layer(0, ln) + BIAS, 4);
            }
            if (lmHead) {
                namedAs("lm_head.dense.weight", MLM_DENSE + WEIGHT, 4, 4);
                namedAs("lm_head.dense.bias", MLM_DENSE + BIAS, 4);
                namedAs("lm_head.layer_norm.weight", MLM_LN + WEIGHT, 4);
                namedAs("lm_head.layer_norm.bias", MLM_LN + BIAS, 4);
                namedAs("lm_head.bias", MLM_BIAS, 10);
                // torch keeps the tied lm_head.dense.weight as [out, in] behind a Transpose
                g.addNode(node("Transpose", "/lm_head/dense/Transpose", List.of("lm_head.dense.weight"), List.of("t")));
            }
            if (constantShape != null) {
                g.addInitializer(int64s(constantShape).toBuilder().setName("shape_const"));
                g.addNode(node("Reshape", "/attention/self/Reshape", List.of(x, "shape_const"), List.of("heads")));
            } else if (headsReshape) {
                g.addNode(constant("/attention/self/Constant_2", int64s(2)));
                g.addNode(constant("/attention/self/Constant_3", int64s(2)));
                g.addNode(node("Unsqueeze", "/attention/self/Unsqueeze", List.of("batch"), List.of("b1")));
                g.addNode(node("Concat", "/attention/self/Concat",
                        List.of("b1", "seq", "/attention/self/Constant_2", "/attention/self/Constant_3"), List.of("shape")));
                g.addNode(node("Reshape", "/attention/self/Reshape", List.of(x, "shape"), List.of("heads")));
            }
            if (eps != null) {
                g.addNode(node("ReduceMean", "/embeddings/LayerNorm/ReduceMean_1", List.of("sq"), List.of("var")));
                g.addNode(constant("/embeddings/LayerNorm/Constant_1", TensorProto.newBuilder().setDataType(1)
                        .addFloatData(eps).build()));
                g.addNode(node("Add", "/embeddings/LayerNorm/Add",
                        List.of("var", "/embeddings/LayerNorm/Constant_1"), List.of("var_eps")));
            }
            if (override != null) {
                for (int i = 0; i < g.getInitializerCount(); i++) {
                    if (g.getInitializer(i).getName().equals(prefix + override.getName())) {
                        g.setInitializer(i, override.toBuilder().setName(prefix + override.getName()));
                    }
                }
            }
            Path model = folder.resolve("model.onnx");
            Files.write(model, ModelProto.newBuilder().setIrVersion(8).setProducerName("pytorch")
                    .setGraph(g).build().toByteArray());
            return model;
        }

        private void named(String canonical, long... dims) throws IOException {
            namedAs(prefix + canonical, canonical, dims);
        }

        private void namedAs(String initName, String canonical, long... dims) throws IOException {
            float[] v = ramp((int) Arrays.stream(dims).reduce(1, (a, b) -> a * b), seed++);
            if (initName.equals("lm_head.dense.weight")) {
                values.put(canonical, transpose(v, (int) dims[0], (int) dims[1]));
            } else {
                values.put(canonical, v);
            }
            if (canonical.equals(WORD_EMBEDDINGS) && externalWord != null) {
                g.addInitializer(externalTensor(initName, dims, v));
            } else {
                g.addInitializer(floats(initName, dims, v));
            }
        }

        private TensorProto externalTensor(String name, long[] dims, float[] v) throws IOException {
            if (writeExternalFile) {
                Path file = Path.of(externalWord);
                Path target = Files.createDirectories(dirOf(file)).resolve(file.getFileName());
                byte[] junk = new byte[(int) externalOffset];
                Arrays.fill(junk, (byte) 0x7f);
                Files.write(target, concat(junk, le(v)));
            }
            return TensorProto.newBuilder().setName(name).setDataType(1).addAllDims(box(dims))
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", externalWord))
                    .addExternalData(entry("offset", Long.toString(externalOffset)))
                    .addExternalData(entry("length", Long.toString(v.length * 4L))).build();
        }

        private Path folder;

        private Path dirOf(Path relative) {
            Path parent = relative.getParent();
            return parent == null ? folder : folder.resolve(parent);
        }

        /** Anonymous [in, out] weight consumed by a MatMul plus a named bias added to its output. */
        private void linear(String scope, int in, int out, boolean scopedNodeName) throws IOException {
            String init = "onnx::MatMul_" + (700 + seed);
            float[] w = ramp(in * out, seed++);
            values.put(scope + WEIGHT, w);
            g.addInitializer(floats(init, new long[] {in, out}, w));
            String nodeName = scopedNodeName
                    ? "/" + scope.replace('.', '/').replace("layer/0", "layer.0") + "/MatMul" : "MatMul_" + seed;
            if (!prefix.isEmpty() && scopedNodeName) {
                nodeName = "/" + prefix.replace(".", "") + nodeName;
            }
            g.addNode(node("MatMul", nodeName, List.of("x", init), List.of(nodeName + "_output_0")));
            named(scope + BIAS, out);
            g.addNode(node("Add", nodeName.replace("MatMul", "Add"),
                    List.of(prefix + scope + BIAS, nodeName + "_output_0"), List.of(nodeName + "_sum")));
        }
    }

    static TensorProto floats(String name, long[] dims, float[] v) {
        return TensorProto.newBuilder().setName(name).setDataType(1).addAllDims(box(dims))
                .setRawData(ByteString.copyFrom(le(v))).build();
    }

    static TensorProto int64s(long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(7).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        return t.build();
    }

    static NodeProto node(String op, String name, List<String> in, List<String> out) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addAllOutput(out).build();
    }

    static NodeProto constant(String output, TensorProto value) {
        return NodeProto.newBuilder().setOpType("Constant").setName(output).addOutput(output)
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                        .setT(value)).build();
    }

    static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    static float[] ramp(int n, int seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (seed * 100 + i) * 0.001f - 0.05f;
        }
        return v;
    }

    static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return t;
    }

    static byte[] le(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static List<Long> box(long[] dims) {
        List<Long> out = new ArrayList<>();
        for (long d : dims) {
            out.add(d);
        }
        return out;
    }
}
