package org.gba4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
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
import org.gba4j.model.BertWeights;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Writes trained weights back into the ONNX graph they were read from, so a defended model runs in
 * ONNX Runtime (or any ONNX consumer) without gba4j. Only initializer data and {@code metadata_props}
 * change: graph, opset, input and output names stay the original's, so whatever served the original
 * export serves this one. Initializers are found with {@link OnnxCheckpointReader}'s own naming, so
 * export is the exact inverse of import, [out, in] weights included.
 *
 * <p>The result is one self-contained file (external data inlined), since the target folder need not
 * hold the original's {@code .onnx_data}; hence protobuf's 2 GiB bound applies. It is written to a
 * temporary file in the target folder and renamed, so a failure never leaves a partial model.
 */
public final class OnnxExporter {
    /** Protobuf cannot serialise a message of 2 GiB or more. */
    private static final long MAX_MODEL_BYTES = Integer.MAX_VALUE - (1L << 20);
    private static final int FLOAT = 1;

    private OnnxExporter() {
    }

    /**
     * Writes {@code originalOnnx} with every initializer that holds one of {@code trained}'s tensors
     * replaced by the trained values, and {@code metadata} added to (or overriding) its
     * {@code metadata_props}. Tensors the original does not have, or of another shape, are an error.
     */
    public static void write(Path originalOnnx, BertWeights trained, Map<String, String> metadata, Path target) {
        write(originalOnnx, trained, metadata, target, null);
    }

    /**
     * A prompt classifier's class scores as an extra graph output {@link #LABEL_LOGITS} {@code [batch, classes]}:
     * Eq. 1 restricted to the label words at the [MASK] position, divided by the temperature, so any ONNX runtime
     * classifies without gba4j: feed the prompt's ids ({@code [CLS] x [SEP]} + template + {@code [MASK]} + template,
     * exactly one [MASK] per row), take the largest entry.
     */
    public record LabelLogits(int maskId, int[] labelIds, double temperature) {
    }

    /** The output the label head adds (not {@code logits}: a fill-mask export already has a vocabulary {@code logits}). */
    public static final String LABEL_LOGITS = "label_logits";

    /** As {@link #write(Path, BertWeights, Map, Path)}, adding {@code head}'s output when not null. */
    public static void write(Path originalOnnx, BertWeights trained, Map<String, String> metadata, Path target,
                             LabelLogits head) {
        Path original = originalOnnx.toAbsolutePath().normalize();
        String src = original.toString();
        OnnxCheckpointReader reader = new OnnxCheckpointReader();
        ModelProto model = reader.parse(original, src);
        Map<String, OnnxCheckpointReader.Binding> bindings = OnnxCheckpointReader.bindings(model, src);
        List<String> missing = trained.tensors().keySet().stream().filter(k -> !bindings.containsKey(k)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new ModelFileException(src, "has no initializer for the trained tensors " + missing,
                    "Export to the ONNX graph that has them (e.g. a masked-LM export), or drop them from the weights");
        }
        Map<String, TensorProto> byName = new HashMap<>();
        model.getGraph().getInitializerList().forEach(t -> byName.putIfAbsent(t.getName(), t));
        Map<String, TensorProto> replacements = new HashMap<>();
        for (Map.Entry<String, INDArray> e : trained.tensors().entrySet()) {
            OnnxCheckpointReader.Binding b = bindings.get(e.getKey());
            replacements.put(b.initializer(), replace(src, e.getKey(), e.getValue(), b, byName.get(b.initializer())));
        }

        GraphProto.Builder graph = model.getGraph().toBuilder();
        long bytes = 0;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            TensorProto out = replacements.get(t.getName());
            if (out == null && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                out = inline(t, reader.floats(original, t));
            }
            if (out != null) {
                graph.setInitializer(i, out);
            }
            bytes += graph.getInitializer(i).getSerializedSize();
        }
        checkNoExternalConstants(src, graph);
        removeLabelLogits(graph); // a model exported by gba4j before: its label head is replaced, never stacked
        if (head != null) {
            addLabelLogits(src, graph, head, trained);
        }
        ModelProto.Builder out = model.toBuilder().setGraph(graph);
        mergeMetadata(out, metadata);
        bytes += out.clone().clearGraph().build().getSerializedSize()
                + graph.clone().clearInitializer().build().getSerializedSize();
        if (bytes > MAX_MODEL_BYTES) {
            throw new ModelFileException(src, "would need " + bytes + " bytes as one file, over ONNX's 2 GiB limit",
                    "Models this large cannot be exported as a single self-contained ONNX file");
        }
        writeAtomically(out.build(), target);
    }

    /**
     * Appends the nodes of {@link #LABEL_LOGITS}: a [MASK] indicator from {@code input_ids}, reshaped to
     * {@code [B, 1, T]}, selects by MatMul either the vocabulary {@code logits} at the label ids (a fill-mask export,
     * whose head is in the graph) or {@code last_hidden_state}, then times the label words' embedding rows (a
     * feature-extraction export: the tied decoder of a checkpoint without a masked-LM head, as gba4j scores it).
     * Opset 11 operators only (Equal, Cast, Reshape, Gather, MatMul, Div).
     */
    private static void addLabelLogits(String src, GraphProto.Builder g, LabelLogits head, BertWeights trained) {
        java.util.Set<String> outputs = new java.util.HashSet<>();
        g.getOutputList().forEach(o -> outputs.add(o.getName()));
        onnx.Onnx.ValueInfoProto ids = g.getInputList().stream().filter(i -> i.getName().equals("input_ids")).findFirst()
                .orElseThrow(() -> new ModelFileException(src, "has no input_ids input", "Export with optimum's input names"));
        boolean vocab = outputs.contains("logits");
        if (!vocab && !outputs.contains("last_hidden_state")) {
            throw new ModelFileException(src, "has neither a logits nor a last_hidden_state output to score the label"
                    + " words from", "Export with optimum (feature-extraction or fill-mask)");
        }
        int idType = ids.getType().getTensorType().getElemType();
        TensorProto.Builder maskId = TensorProto.newBuilder().setName("gba4j_mask_id").setDataType(idType);
        if (idType == 7) { // INT64
            maskId.addInt64Data(head.maskId());
        } else {
            maskId.setDataType(6).addInt32Data(head.maskId()); // INT32
        }
        g.addInitializer(maskId);
        g.addInitializer(int64s("gba4j_shape_b1t", 0, 1, -1));
        g.addInitializer(int64s("gba4j_shape_bc", 0, -1));
        g.addInitializer(TensorProto.newBuilder().setName("gba4j_temperature").setDataType(FLOAT)
                .addFloatData((float) head.temperature()));
        g.addNode(node("Equal", "gba4j_is_mask", "input_ids", "gba4j_mask_id"));
        g.addNode(node("Cast", "gba4j_mask", "gba4j_is_mask").toBuilder().addAttribute(AttributeProto.newBuilder()
                .setName("to").setType(AttributeProto.AttributeType.INT).setI(FLOAT)));
        g.addNode(node("Reshape", "gba4j_mask_b1t", "gba4j_mask", "gba4j_shape_b1t"));
        if (vocab) {
            g.addInitializer(int64s("gba4j_label_ids", Arrays.stream(head.labelIds()).asLongStream().toArray()));
            g.addNode(node("Gather", "gba4j_label_vocab", "logits", "gba4j_label_ids").toBuilder()
                    .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(2)));
            g.addNode(node("MatMul", "gba4j_at_mask", "gba4j_mask_b1t", "gba4j_label_vocab"));
        } else {
            INDArray rows = trained.get(org.gba4j.model.WeightNames.WORD_EMBEDDINGS).getRows(head.labelIds()).transpose();
            g.addInitializer(inline(TensorProto.newBuilder().setName("gba4j_label_rows").setDataType(FLOAT)
                    .addDims(rows.size(0)).addDims(rows.size(1)).build(), rows.dup('c').data().asFloat()));
            g.addNode(node("MatMul", "gba4j_hidden_at_mask", "gba4j_mask_b1t", "last_hidden_state"));
            g.addNode(node("MatMul", "gba4j_at_mask", "gba4j_hidden_at_mask", "gba4j_label_rows"));
        }
        g.addNode(node("Reshape", "gba4j_label_scores", "gba4j_at_mask", "gba4j_shape_bc"));
        g.addNode(node("Div", LABEL_LOGITS, "gba4j_label_scores", "gba4j_temperature"));
        g.addOutput(onnx.Onnx.ValueInfoProto.newBuilder().setName(LABEL_LOGITS).setType(onnx.Onnx.TypeProto.newBuilder()
                .setTensorType(onnx.Onnx.TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(
                        onnx.Onnx.TensorShapeProto.newBuilder()
                                .addDim(onnx.Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch_size"))
                                .addDim(onnx.Onnx.TensorShapeProto.Dimension.newBuilder()
                                        .setDimValue(head.labelIds().length))))));
    }

    private static void removeLabelLogits(GraphProto.Builder g) {
        for (int i = g.getNodeCount() - 1; i >= 0; i--) {
            if (g.getNode(i).getName().startsWith("/gba4j/")) {
                g.removeNode(i);
            }
        }
        for (int i = g.getInitializerCount() - 1; i >= 0; i--) {
            if (g.getInitializer(i).getName().startsWith("gba4j_")) {
                g.removeInitializer(i);
            }
        }
        for (int i = g.getOutputCount() - 1; i >= 0; i--) {
            if (g.getOutput(i).getName().equals(LABEL_LOGITS)) {
                g.removeOutput(i);
            }
        }
    }

    private static NodeProto node(String op, String output, String... inputs) {
        return NodeProto.newBuilder().setOpType(op).setName("/gba4j/" + output).addAllInput(List.of(inputs))
                .addOutput(output).build();
    }

    private static TensorProto int64s(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(7).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t.build();
    }

    /** The {@code metadata_props} of an ONNX model, in file order. */
    public static Map<String, String> readMetadata(Path onnx) {
        Path file = onnx.toAbsolutePath().normalize();
        Map<String, String> out = new LinkedHashMap<>();
        for (StringStringEntryProto e : new OnnxCheckpointReader().parse(file, file.toString()).getMetadataPropsList()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** A copy of {@code original} holding {@code trained} (transposed back to [out, in] where the file had that). */
    private static TensorProto replace(String src, String name, INDArray trained, OnnxCheckpointReader.Binding b,
                                       TensorProto original) {
        INDArray values = b.transposed() ? trained.transpose() : trained;
        long[] dims = original.getDimsList().stream().mapToLong(Long::longValue).toArray();
        if (original.getDataType() != FLOAT || !Arrays.equals(values.shape(), dims)) {
            throw new ModelFileException(src, "tensor " + name + " has shape " + Arrays.toString(trained.shape())
                    + " but its initializer " + b.initializer() + " holds " + Arrays.toString(dims)
                    + (b.transposed() ? " (transposed)" : "") + " of ONNX type " + original.getDataType(),
                    "Export to the ONNX file the weights were loaded from");
        }
        return inline(original, values.dup('c').data().asFloat());
    }

    /** {@code t} with its data replaced by {@code values} as little-endian raw_data, nothing external. */
    private static TensorProto inline(TensorProto t, float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return t.toBuilder().clearFloatData().clearExternalData().clearDataLocation()
                .setRawData(ByteString.copyFrom(buf.array())).build();
    }

    /** Constant nodes with external data would make the written file depend on a file it does not carry. */
    private static void checkNoExternalConstants(String src, GraphProto.Builder graph) {
        for (NodeProto n : graph.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasT() && a.getT().getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                    throw new ModelFileException(src, "node " + n.getName() + " has a constant with external data",
                            "Export the original model with its constants inline");
                }
            }
        }
    }

    /** Keeps the original's entries, in place, overriding those whose keys the caller passes. */
    private static void mergeMetadata(ModelProto.Builder model, Map<String, String> metadata) {
        Map<String, String> merged = new LinkedHashMap<>();
        model.getMetadataPropsList().forEach(e -> merged.put(e.getKey(), e.getValue()));
        metadata.forEach((k, v) -> {
            if (k == null || k.isEmpty() || v == null) {
                throw new IllegalArgumentException("metadata keys must be non-empty and values non-null: " + k + "=" + v);
            }
            merged.put(k, v);
        });
        model.clearMetadataProps();
        merged.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    }

    private static void writeAtomically(ModelProto model, Path target) {
        Path file = target.toAbsolutePath().normalize();
        Path temp = null;
        try {
            Files.createDirectories(file.getParent());
            temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".partial");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                model.writeTo(out);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ModelFileException(file.toString(), "cannot be written (" + e + ")",
                    "Check that its folder is writable and has room", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write already failed or succeeded; a stray temp file is not worth hiding that
                }
            }
        }
    }
}
