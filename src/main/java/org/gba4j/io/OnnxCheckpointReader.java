package org.gba4j.io;

import static org.gba4j.model.WeightNames.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertWeights;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.ByteString;
import org.nd4j.shade.protobuf.CodedInputStream;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Reads the weights of a Hugging Face ONNX export (optimum / {@code torch.onnx}) of a BERT-family
 * encoder into {@link BertWeights}. The graph is only consulted, never imported or run: gba4j
 * builds its own SameDiff encoder and needs the tensors plus the few numbers they do not carry.
 *
 * <p>Naming. Initializers with Hugging Face names map directly ({@code bert.}/{@code roberta.}
 * prefixes stripped, RoBERTa's {@code lm_head.*} mapped to {@code cls.predictions.*}). The exporter
 * folds {@code Linear.weight^T} into anonymous initializers ({@code onnx::MatMul_787}); those take
 * their name from the scope of the MatMul that consumes them
 * ({@code /encoder/layer.0/attention/self/query/MatMul} gives {@code ...query.weight}) or, for
 * exports without scoped node names, from the named bias added to the MatMul's output. Such
 * weights are already {@code [in, out]}; a named PyTorch {@code [out, in]} weight is transposed
 * when its consumer is a Transpose or a Gemm with {@code transB=1}.
 *
 * <p>Configuration. Sizes come from tensor shapes. The head count is in no tensor (MiniLM-L6 has 12
 * heads of 32, so {@code hidden / 64} would be wrong): it is the next-to-last entry of the target
 * shape of the attention Reshape ({@code [batch, seq, heads, headSize]}, a Constant or a Concat of
 * Constant/Unsqueeze entries, whose last two entries multiply to {@code hidden}; {@code -1} for
 * heads is solved), the most frequent such value winning, or the
 * {@code num_heads} of a fused Attention op, else {@code num_attention_heads} of a
 * {@code config.json} in the model's folder or its parent. LayerNorm epsilon is the
 * {@code epsilon} of a LayerNormalization node, else the scalar added to the ReduceMean of the
 * decomposed LayerNorm, else {@code config.json}, else 1e-12 (BERT) / 1e-5 (RoBERTa).
 *
 * <p>Architecture. "roberta" (position offset 2) when names carry a {@code roberta.} prefix, when
 * {@code config.json} says {@code model_type} roberta / xlm-roberta / camembert, or when there is a
 * single token type and the position table shows RoBERTa's padding offset: row 1 (the padding
 * index) all zero, or a CumSum in the graph (RoBERTa's position ids are a cumulative sum of the
 * mask). Otherwise "bert".
 *
 * <p>Safety. Every declared shape is checked against {@link LoadLimits} and the bytes present
 * before anything is allocated; external data must stay inside the model's folder.
 */
public final class OnnxCheckpointReader {
    /** Room for the graph structure on top of the tensor bytes when bounding the protobuf parse. */
    private static final long GRAPH_SLACK_BYTES = 256L << 20;
    private static final int FLOAT = 1;
    private static final String REEXPORT = "Export the model again (e.g. optimum-cli export onnx) or download it again";

    private final LoadLimits limits;

    public OnnxCheckpointReader() {
        this(LoadLimits.DEFAULT);
    }

    public OnnxCheckpointReader(LoadLimits limits) {
        this.limits = limits;
    }

    /** Reads {@code modelFile} with the default limits. */
    public static BertWeights load(Path modelFile) {
        return new OnnxCheckpointReader().read(modelFile);
    }

    public BertWeights read(Path modelFile) {
        Path file = modelFile.toAbsolutePath().normalize();
        String src = file.toString();
        Graph graph = new Graph(parse(file, src).getGraph());
        Naming naming = new Naming(graph, src);
        if (!naming.sources.containsKey(WORD_EMBEDDINGS)) {
            throw new ModelFileException(src, "unknown architecture: no " + WORD_EMBEDDINGS + " among "
                    + graph.initializers.size() + " initializers, so this is not a BERT-family encoder export",
                    "Pass the ONNX export of a BERT or RoBERTa encoder (Hugging Face optimum layout)");
        }
        for (String required : List.of(POSITION_EMBEDDINGS, TOKEN_TYPE_EMBEDDINGS, layer(0, INTERMEDIATE) + BIAS)) {
            if (!naming.sources.containsKey(required)) {
                throw new ModelFileException(src, "has word embeddings but no " + required,
                        "Only complete BERT/RoBERTa encoder exports are supported; " + REEXPORT);
            }
        }
        TensorLoader loader = new TensorLoader(file, src, limits);
        Map<String, TensorProto> protos = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, Naming.Source> e : naming.sources.entrySet()) {
            TensorProto t = graph.initializers.get(e.getValue().initializer());
            total += loader.checkSize(e.getKey(), t);
            if (total > limits.maxTotalBytes()) {
                throw new ModelFileException(src, "tensors total over " + limits.maxTotalBytes() + " bytes",
                        "Raise the total size limit only if you trust this file");
            }
            protos.put(e.getKey(), t);
        }
        TensorProto word = protos.get(WORD_EMBEDDINGS);
        if (word.getDimsCount() != 2) {
            throw new ModelFileException(src, WORD_EMBEDDINGS + " has rank " + word.getDimsCount() + ", expected 2",
                    "The file is corrupt or not a BERT-family encoder; " + REEXPORT);
        }
        ConfigJson json = ConfigJson.find(file, src);
        int hidden = (int) word.getDims(1);
        int heads = inferHeads(graph, hidden, json, src);

        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorProto> e : protos.entrySet()) {
            INDArray array = loader.load(e.getKey(), e.getValue());
            if (naming.sources.get(e.getKey()).transpose()) {
                array = array.transpose().dup('c');
            }
            tensors.put(e.getKey(), array);
        }
        return new BertWeights(src, inferConfig(graph, naming, tensors, heads, json, src), tensors);
    }

    /** Where a canonical tensor lives in an ONNX file, and whether the file holds it [out, in]. */
    record Binding(String initializer, boolean transposed) {
    }

    /** Canonical name -> initializer of every encoder tensor {@link #read} loads; for writers that put them back. */
    static Map<String, Binding> bindings(ModelProto model, String src) {
        Map<String, Binding> out = new TreeMap<>();
        new Naming(new Graph(model.getGraph()), src).sources
                .forEach((name, s) -> out.put(name, new Binding(s.initializer(), s.transpose())));
        return out;
    }

    /** Values of a FLOAT initializer, inline or external beside {@code file}, checked as {@link #read} checks them. */
    float[] floats(Path file, TensorProto t) {
        String src = file.toString();
        return new TensorLoader(file, src, limits).load(t.getName(), t).data().asFloat();
    }

    ModelProto parse(Path file, String src) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(src, "file not found", "Check the path of the .onnx model");
        } catch (IOException e) {
            throw new ModelFileException(src, "cannot be read (" + e.getMessage() + ")", "Check the path and permissions", e);
        }
        long bound = Math.min(Integer.MAX_VALUE, limits.maxTotalBytes() + GRAPH_SLACK_BYTES);
        if (size > bound) {
            throw new ModelFileException(src, "is " + size + " bytes, over the " + bound + " bytes an in-file ONNX model may have",
                    "Export large models with external data, or raise the size limit only if you trust this file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in, 1 << 16);
            coded.setSizeLimit((int) Math.max(size, 1));
            ModelProto model = ModelProto.parseFrom(coded);
            if (!model.hasGraph()) {
                throw new ModelFileException(src, "is not an ONNX model (no graph)", "Pass a .onnx file");
            }
            return model;
        } catch (InvalidProtocolBufferException e) {
            // with the limit at the file length, "too large" means a field claims more bytes than the file has
            String detail = String.valueOf(e.getMessage()).contains("too large")
                    ? "a field declares more bytes than the file holds" : e.getMessage();
            throw new ModelFileException(src, "is truncated or corrupt, not a readable ONNX model (" + detail + ")",
                    REEXPORT, e);
        } catch (IOException e) {
            throw new ModelFileException(src, "cannot be read (" + e.getMessage() + ")", "Check the path and permissions", e);
        }
    }

    private static int inferHeads(Graph graph, int hidden, ConfigJson json, String src) {
        Integer fromGraph = graph.heads(hidden);
        if (fromGraph != null) {
            return fromGraph;
        }
        if (json.heads() != null) {
            return json.heads();
        }
        throw new ModelFileException(src, "the attention head count cannot be read from the graph"
                + " (no Reshape to [batch, seq, heads, headSize] with constant heads)",
                "Put the model's config.json (with num_attention_heads) in the same folder");
    }

    private static BertConfig inferConfig(Graph graph, Naming naming, Map<String, INDArray> t, int heads,
                                          ConfigJson json, String src) {
        INDArray word = t.get(WORD_EMBEDDINGS);
        INDArray position = t.get(POSITION_EMBEDDINGS);
        int typeVocab = (int) t.get(TOKEN_TYPE_EMBEDDINGS).size(0);
        int layers = HfTensorNames.layers(t.keySet());
        boolean roberta = naming.robertaPrefix || json.roberta()
                || typeVocab == 1 && position.size(0) > 2
                && (position.getRow(1).amaxNumber().doubleValue() == 0 || graph.hasOp("CumSum"));
        Double eps = graph.layerNormEps();
        if (eps == null) {
            eps = json.eps() != null ? json.eps() : roberta ? 1e-5 : 1e-12;
        }
        boolean mlm = t.containsKey(MLM_DENSE + WEIGHT) || t.containsKey(MLM_BIAS);
        try {
            return new BertConfig(roberta ? "roberta" : "bert", (int) word.size(0), (int) word.size(1), layers, heads,
                    (int) t.get(layer(0, INTERMEDIATE) + BIAS).size(0), (int) position.size(0), typeVocab, eps, mlm,
                    roberta ? 2 : 0);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, "inconsistent configuration: " + e.getMessage(), REEXPORT, e);
        }
    }

    /** Float value as written in the file (1e-12, not 9.99999996e-13). */
    static double floatToDouble(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    /** Index of a graph: initializers, producers and consumers of each value, small constants. */
    private static final class Graph {
        private static final int MAX_CONSTANT_ELEMENTS = 16;
        final Map<String, TensorProto> initializers = new LinkedHashMap<>();
        final List<NodeProto> nodes;
        final Map<String, NodeProto> producers = new HashMap<>();
        final Map<String, List<NodeProto>> consumers = new HashMap<>();

        Graph(GraphProto g) {
            for (TensorProto t : g.getInitializerList()) {
                initializers.putIfAbsent(t.getName(), t);
            }
            nodes = g.getNodeList();
            for (NodeProto n : nodes) {
                for (String out : n.getOutputList()) {
                    producers.put(out, n);
                }
                for (String in : n.getInputList()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }

        List<NodeProto> consumersOf(String value) {
            return consumers.getOrDefault(value, List.of());
        }

        boolean hasOp(String opType) {
            return nodes.stream().anyMatch(n -> n.getOpType().equals(opType));
        }

        /** Most frequent head count among attention Reshapes and fused attention ops; null if none. */
        Integer heads(int hidden) {
            Map<Integer, Integer> votes = new TreeMap<>();
            for (NodeProto n : nodes) {
                if (n.getOpType().equals("Reshape") && n.getInputCount() == 2) {
                    // [batch, seq, heads, headSize]; a leading Shape slice may resolve to one unknown entry
                    List<Double> shape = elements(n.getInput(1), 0);
                    int k = shape == null ? 0 : shape.size();
                    if (k >= 3 && shape.get(k - 2) != null && shape.get(k - 1) != null) {
                        double s = shape.get(k - 1);
                        double h = shape.get(k - 2) == -1 && s >= 1 ? hidden / s : shape.get(k - 2);
                        if (h >= 1 && s >= 1 && h * s == hidden) {
                            votes.merge((int) h, 1, Integer::sum);
                        }
                    }
                } else if (n.getOpType().endsWith("Attention")) {
                    AttributeProto a = attribute(n, "num_heads");
                    if (a != null && a.getI() > 0 && hidden % a.getI() == 0) {
                        votes.merge((int) a.getI(), 1, Integer::sum);
                    }
                }
            }
            return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        }

        /** Epsilon of the first LayerNorm in the graph, fused or decomposed; null if none is recognised. */
        Double layerNormEps() {
            for (NodeProto n : nodes) {
                String op = n.getOpType();
                if (op.equals("LayerNormalization") || op.equals("SkipLayerNormalization")) {
                    AttributeProto a = attribute(n, "epsilon");
                    return a == null ? 1e-5 : floatToDouble(a.getF());
                }
                if (op.equals("Add") && n.getInputCount() == 2) {
                    for (int i = 0; i < 2; i++) {
                        NodeProto producer = producers.get(n.getInput(i));
                        if (producer != null && producer.getOpType().equals("ReduceMean")) {
                            List<Double> c = elements(n.getInput(1 - i), 0);
                            if (c != null && c.size() == 1 && c.get(0) != null && c.get(0) > 0 && c.get(0) < 0.01) {
                                return floatToDouble(c.get(0).floatValue());
                            }
                        }
                    }
                }
            }
            return null;
        }

        /**
         * Elements of a small constant value, following Unsqueeze/Squeeze/Cast/Identity and Concat
         * (an unknown Concat input counts as one unknown element); null if not constant.
         */
        List<Double> elements(String value, int depth) {
            if (depth > 8) {
                return null;
            }
            TensorProto init = initializers.get(value);
            if (init != null) {
                return values(init);
            }
            NodeProto n = producers.get(value);
            if (n == null) {
                return null;
            }
            switch (n.getOpType()) {
                case "Constant":
                    return constant(n);
                case "Unsqueeze", "Squeeze", "Cast", "Identity":
                    return n.getInputCount() == 0 ? null : elements(n.getInput(0), depth + 1);
                case "Concat": {
                    List<Double> all = new ArrayList<>();
                    for (String in : n.getInputList()) {
                        List<Double> part = elements(in, depth + 1);
                        if (part == null) {
                            all.add(null);
                        } else {
                            all.addAll(part);
                        }
                    }
                    return all;
                }
                default:
                    return null;
            }
        }

        private static List<Double> constant(NodeProto n) {
            for (AttributeProto a : n.getAttributeList()) {
                switch (a.getName()) {
                    case "value":
                        return values(a.getT());
                    case "value_float":
                        return List.of((double) a.getF());
                    case "value_int":
                        return List.of((double) a.getI());
                    case "value_floats":
                        return a.getFloatsList().stream().map(Float::doubleValue).toList();
                    case "value_ints":
                        return a.getIntsList().stream().map(Long::doubleValue).toList();
                    default:
                        break;
                }
            }
            return null;
        }

        /** Elements of a small FLOAT/DOUBLE/INT32/INT64 tensor; null for anything large or other. */
        private static List<Double> values(TensorProto t) {
            long n = 1;
            for (long d : t.getDimsList()) {
                n *= Math.max(d, 0);
                if (n > MAX_CONSTANT_ELEMENTS) {
                    return null;
                }
            }
            int width = switch (t.getDataType()) {
                case 1, 6 -> 4;
                case 7, 11 -> 8;
                default -> 0;
            };
            if (width == 0 || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                return null;
            }
            List<Double> out = new ArrayList<>();
            ByteString raw = t.getRawData();
            if (!raw.isEmpty()) {
                if (raw.size() != n * width) {
                    return null;
                }
                ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    out.add(switch (t.getDataType()) {
                        case 1 -> (double) b.getFloat();
                        case 6 -> (double) b.getInt();
                        case 7 -> (double) b.getLong();
                        default -> b.getDouble();
                    });
                }
                return out;
            }
            switch (t.getDataType()) {
                case 1 -> t.getFloatDataList().forEach(f -> out.add(f.doubleValue()));
                case 6 -> t.getInt32DataList().forEach(i -> out.add(i.doubleValue()));
                case 7 -> t.getInt64DataList().forEach(l -> out.add(l.doubleValue()));
                default -> t.getDoubleDataList().forEach(out::add);
            }
            return out.size() == n ? out : null;
        }

        static AttributeProto attribute(NodeProto n, String name) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals(name)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** Canonical name of each needed tensor, the initializer holding it and whether it is [out, in]. */
    private static final class Naming {

        record Source(String initializer, boolean transpose) {
        }

        final Map<String, Source> sources = new TreeMap<>();
        boolean robertaPrefix;
        private final String src;

        Naming(Graph g, String src) {
            this.src = src;
            for (String init : g.initializers.keySet()) {
                String name = canonical(init);
                if (name != null) {
                    boolean transpose = HfTensorNames.linearWeight(name) && consumedTransposed(g, init);
                    claim(name, new Source(init, transpose));
                }
            }
            for (NodeProto n : g.nodes) {
                boolean gemm = n.getOpType().equals("Gemm");
                if ((gemm || n.getOpType().equals("MatMul")) && n.getInputCount() >= 2) {
                    String init = n.getInput(1);
                    if (g.initializers.containsKey(init) && canonical(init) == null) {
                        String name = anonymousName(g, n, gemm);
                        if (name != null) {
                            claim(name, new Source(init, gemm && transB(n)));
                        }
                    }
                }
            }
        }

        private void claim(String name, Source source) {
            Source previous = sources.putIfAbsent(name, source);
            if (previous != null && !previous.initializer().equals(source.initializer()) && !name.equals(MLM_BIAS)) {
                throw new ModelFileException(src, "initializers " + previous.initializer() + " and "
                        + source.initializer() + " both map to " + name, "The export is ambiguous; " + REEXPORT);
            }
        }

        /** The node's scope ({@code /bert/encoder/layer.0/.../query/MatMul}), else its bias neighbour. */
        private String anonymousName(Graph g, NodeProto n, boolean gemm) {
            String nodeName = n.getName();
            int slash = nodeName.lastIndexOf('/');
            if (slash > 0) {
                String scope = nodeName.substring(nodeName.startsWith("/") ? 1 : 0, slash).replace('/', '.');
                String name = canonical(scope + WEIGHT);
                if (name != null) {
                    return name;
                }
            }
            List<String> biases = new ArrayList<>();
            if (gemm && n.getInputCount() > 2) {
                biases.add(n.getInput(2));
            }
            for (NodeProto add : g.consumersOf(n.getOutput(0))) {
                if (add.getOpType().equals("Add")) {
                    biases.addAll(add.getInputList());
                }
            }
            for (String b : biases) {
                String name = g.initializers.containsKey(b) ? canonical(b) : null;
                if (name != null && name.endsWith(BIAS) && !name.equals(MLM_BIAS)) {
                    return name.substring(0, name.length() - BIAS.length()) + WEIGHT;
                }
            }
            return null;
        }

        private static boolean consumedTransposed(Graph g, String init) {
            for (NodeProto c : g.consumersOf(init)) {
                if (c.getOpType().equals("Transpose")
                        || c.getOpType().equals("Gemm") && c.getInputCount() > 1 && c.getInput(1).equals(init) && transB(c)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean transB(NodeProto n) {
            AttributeProto a = Graph.attribute(n, "transB");
            return a != null && a.getI() != 0;
        }

        /** Canonical name of a Hugging Face tensor name, or null for tensors the encoder does not use. */
        private String canonical(String raw) {
            robertaPrefix |= HfTensorNames.roberta(raw);
            return HfTensorNames.canonical(raw);
        }
    }

    /** Size checks and float reads from raw_data, float_data or an external file in the model's folder. */
    private static final class TensorLoader {
        private static final int CHUNK = 1 << 20;
        private final Path file;
        private final String src;
        private final LoadLimits limits;

        TensorLoader(Path file, String src, LoadLimits limits) {
            this.file = file;
            this.src = src;
            this.limits = limits;
        }

        /** Declared bytes of a needed tensor after checking dtype, shape limits and the bytes present. */
        long checkSize(String name, TensorProto t) {
            if (t.getDataType() != FLOAT) {
                throw new ModelFileException(src, "tensor " + name + " has ONNX data type "
                        + dataTypeName(t.getDataType()) + ", expected FLOAT (1)",
                        "Export the model in float32; fp16 and quantized models are not supported");
            }
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            long elements = limits.checkedElements(src, name, dims, 4);
            if (elements > Integer.MAX_VALUE - 16) {
                throw new ModelFileException(src, "tensor " + name + " has " + elements + " elements, more than one array holds",
                        "This model is too large for gba4j");
            }
            long bytes = elements * 4;
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                external(name, t, bytes);
            } else if (!t.getRawData().isEmpty() || t.getFloatDataCount() == 0) {
                long present = t.getRawData().size();
                if (present != bytes) {
                    throw mismatch(name, dims, bytes, present + " bytes of raw_data");
                }
            } else if (t.getFloatDataCount() != elements) {
                throw mismatch(name, dims, bytes, t.getFloatDataCount() + " float_data values");
            }
            return bytes;
        }

        INDArray load(String name, TensorProto t) {
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            long bytes = checkSize(name, t);
            float[] data = new float[(int) (bytes / 4)];
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                External ext = external(name, t, bytes);
                readExternal(name, ext, data);
            } else if (!t.getRawData().isEmpty()) {
                t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            } else {
                for (int i = 0; i < data.length; i++) {
                    data[i] = t.getFloatData(i);
                }
            }
            return Nd4j.create(data, dims, 'c');
        }

        private ModelFileException mismatch(String name, long[] dims, long bytes, String present) {
            return new ModelFileException(src, "tensor " + name + " declares shape " + Arrays.toString(dims) + " ("
                    + bytes + " bytes) but holds " + present, "The file is truncated or corrupt; " + REEXPORT);
        }

        private record External(Path path, long offset) {
        }

        /** Resolves and checks an external-data reference; the file must lie inside the model's folder. */
        private External external(String name, TensorProto t, long bytes) {
            String location = null;
            long offset = 0;
            long length = -1;
            for (StringStringEntryProto e : t.getExternalDataList()) {
                try {
                    switch (e.getKey()) {
                        case "location" -> location = e.getValue();
                        case "offset" -> offset = Long.parseLong(e.getValue().trim());
                        case "length" -> length = Long.parseLong(e.getValue().trim());
                        default -> { }
                    }
                } catch (NumberFormatException ex) {
                    throw new ModelFileException(src, "tensor " + name + " has external " + e.getKey() + " '"
                            + e.getValue() + "', not a number", "The file is corrupt; " + REEXPORT);
                }
            }
            if (location == null || location.isEmpty()) {
                throw new ModelFileException(src, "tensor " + name + " is external but names no location",
                        "The file is corrupt; " + REEXPORT);
            }
            Path dir = file.getParent();
            Path target;
            try {
                Path rel = Path.of(location);
                if (rel.isAbsolute() || rel.getRoot() != null || location.startsWith("/") || location.startsWith("\\")) {
                    throw escape(name, location, "is an absolute path");
                }
                target = dir.resolve(rel).normalize();
            } catch (InvalidPathException ex) {
                throw new ModelFileException(src, "tensor " + name + " has an invalid external data location '"
                        + location + "'", "Refusing to read it; " + REEXPORT);
            }
            if (!target.startsWith(dir)) {
                throw escape(name, location, "leaves the model's folder");
            }
            Path real;
            long size;
            try {
                real = target.toRealPath();
                if (!real.startsWith(dir.toRealPath())) {
                    throw escape(name, location, "is a link leading out of the model's folder");
                }
                if (!Files.isRegularFile(real)) {
                    throw new ModelFileException(src, "external data '" + location + "' of tensor " + name
                            + " is not a regular file", "Keep the .onnx_data file beside the model");
                }
                size = Files.size(real);
            } catch (IOException ex) {
                throw new ModelFileException(src, "external data '" + location + "' of tensor " + name
                        + " cannot be read (" + ex.getMessage() + ")", "Keep the external data file beside the model", ex);
            }
            if (offset < 0 || length != -1 && length != bytes || offset > size || size - offset < bytes) {
                throw new ModelFileException(src, "tensor " + name + " needs " + bytes + " bytes at offset " + offset
                        + (length == -1 ? "" : " (length " + length + ")") + " of '" + location + "', which has "
                        + size + " bytes", "The external data does not match the model; " + REEXPORT);
            }
            return new External(real, offset);
        }

        private ModelFileException escape(String name, String location, String why) {
            return new ModelFileException(src, "external data location '" + location + "' of tensor " + name + " " + why,
                    "Refusing to read outside the model's folder; keep the external data beside the .onnx file");
        }

        private void readExternal(String name, External ext, float[] data) {
            try (FileChannel ch = FileChannel.open(ext.path(), StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                long position = ext.offset();
                int filled = 0;
                while (filled < data.length) {
                    buf.clear();
                    buf.limit((int) Math.min(CHUNK, (long) (data.length - filled) * 4));
                    while (buf.hasRemaining()) {
                        int n = ch.read(buf, position);
                        if (n < 0) {
                            throw new IOException("unexpected end of file");
                        }
                        position += n;
                    }
                    buf.flip();
                    int count = buf.remaining() / 4;
                    buf.asFloatBuffer().get(data, filled, count);
                    filled += count;
                }
            } catch (IOException e) {
                throw new ModelFileException(src, "external data of tensor " + name + " cannot be read ("
                        + e.getMessage() + ")", "Keep the external data file beside the model", e);
            }
        }

        private static String dataTypeName(int code) {
            TensorProto.DataType type = TensorProto.DataType.forNumber(code);
            return (type == null ? "unknown" : type.name()) + " (" + code + ")";
        }
    }

    /** The optional {@code config.json} of a Hugging Face export: model folder first, then its parent. */
    private record ConfigJson(Integer heads, Double eps, boolean roberta) {
        private static final long MAX_BYTES = 1 << 20;

        static ConfigJson find(Path modelFile, String src) {
            Path dir = modelFile.getParent();
            for (Path candidate : new Path[] {dir.resolve("config.json"),
                    dir.getParent() == null ? null : dir.getParent().resolve("config.json")}) {
                if (candidate != null && Files.isRegularFile(candidate)) {
                    return parse(candidate);
                }
            }
            return new ConfigJson(null, null, false);
        }

        private static ConfigJson parse(Path path) {
            try {
                if (Files.size(path) > MAX_BYTES) {
                    throw new ModelFileException(path, "is over " + MAX_BYTES + " bytes, too large for a config.json",
                            "Remove it or replace it with the model's config.json");
                }
                JsonObject o = JsonParser.parseString(Files.readString(path, StandardCharsets.UTF_8)).getAsJsonObject();
                JsonElement heads = o.get("num_attention_heads");
                JsonElement eps = o.get("layer_norm_eps");
                JsonElement type = o.get("model_type");
                String modelType = type == null || !type.isJsonPrimitive() ? "" : type.getAsString().toLowerCase(Locale.ROOT);
                return new ConfigJson(heads == null ? null : heads.getAsInt(), eps == null ? null : eps.getAsDouble(),
                        modelType.equals("roberta") || modelType.equals("xlm-roberta") || modelType.equals("camembert"));
            } catch (IOException | RuntimeException e) {
                if (e instanceof ModelFileException m) {
                    throw m;
                }
                throw new ModelFileException(path.toString(), "is not a readable config.json (" + e.getMessage() + ")",
                        "Fix or remove it", e);
            }
        }
    }
}
