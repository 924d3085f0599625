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
