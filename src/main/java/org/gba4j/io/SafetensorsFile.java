package org.gba4j.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gba4j.files.ModelFileException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One safetensors file, Hugging Face's tensor format: an 8-byte little-endian header length N, N
 * bytes of JSON naming each tensor's dtype, shape and byte range ({@code data_offsets}, relative
 * to the end of the header), then the raw little-endian tensors. Nothing else; no code runs.
 *
 * <p>Hand-written (the format is three fields; the JVM readers found, DJL's among them, need their
 * own engine's arrays). The header is untrusted: its length is checked against the file and
 * {@link #MAX_HEADER_BYTES} before it is read, and every entry's shape, dtype and range against
 * {@link LoadLimits}, the data region and the other entries (no overlap) before any tensor is
 * allocated. F32, F16 and BF16 tensors are read, the last two converted to float32; other dtypes
 * of the format are accepted in the header (checkpoints carry e.g. an I64 {@code position_ids}
 * buffer) but refused when read; a dtype outside the format is refused at once.
 */
public final class SafetensorsFile {
    /** The format's own bound on the header (its reference reader refuses larger ones). */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    private static final int CHUNK_BYTES = 1 << 20;
    private static final String REDOWNLOAD = "The file is corrupt or forged; download it again";
    /** Every dtype of the format, with its bytes per element. */
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(Map.entry("BOOL", 1), Map.entry("U8", 1),
            Map.entry("I8", 1), Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1), Map.entry("I16", 2),
            Map.entry("U16", 2), Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4),
            Map.entry("F32", 4), Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8));

    /** A tensor's header entry; {@code begin} and {@code end} are absolute file offsets. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Path file;
    private final String src;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, Map<String, Entry> entries, Map<String, String> metadata) {
        this.file = file;
        this.src = file.toString();
        this.entries = Collections.unmodifiableMap(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Reads and checks the header of {@code file}; no tensor is read. */
    public static SafetensorsFile open(Path file, LoadLimits limits) {
        String src = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new ModelFileException(src, "is " + size + " bytes, shorter than a safetensors header length",
                        REDOWNLOAD);
            }
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, length, 0, src);
            long n = length.flip().getLong();
            if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
                throw new ModelFileException(src, "declares a header of " + Long.toUnsignedString(n) + " bytes in a file of "
                        + size + " (at most " + MAX_HEADER_BYTES + " allowed)", REDOWNLOAD);
            }
            ByteBuffer header = ByteBuffer.allocate((int) n);
            readFully(channel, header, 8, src);
            return parse(file, new String(header.array(), StandardCharsets.UTF_8), 8 + n, size, limits);
        } catch (IOException e) {
            throw new ModelFileException(src, "cannot be read (" + e.getMessage() + ")", "Check the path and permissions", e);
        }
    }

    private static SafetensorsFile parse(Path file, String json, long dataStart, long size, LoadLimits limits) {
        String src = file.toString();
        JsonObject root;
        try {
            JsonElement parsed = JsonParser.parseString(json);
            if (!parsed.isJsonObject()) {
                throw new IllegalStateException("not a JSON object");
            }
            root = parsed.getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ModelFileException(src, "has an unreadable safetensors header (" + e.getMessage() + ")", REDOWNLOAD);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                if (e.getValue().isJsonObject()) {
                    e.getValue().getAsJsonObject().entrySet().forEach(m -> metadata.put(m.getKey(),
                            m.getValue().isJsonPrimitive() ? m.getValue().getAsString() : m.getValue().toString()));
                }
                continue;
            }
            entries.put(e.getKey(), entry(src, e.getKey(), e.getValue(), dataStart, size, limits));
        }
        List<Entry> byOffset = new ArrayList<>(entries.values());
        byOffset.sort(Comparator.comparingLong(Entry::begin));
        for (int i = 1; i < byOffset.size(); i++) {
            if (byOffset.get(i).begin() < byOffset.get(i - 1).end()) {
                throw new ModelFileException(src, "tensors " + byOffset.get(i - 1).name() + " and " + byOffset.get(i).name()
                        + " overlap", REDOWNLOAD);
            }
        }
        return new SafetensorsFile(file, entries, metadata);
    }

    private static Entry entry(String src, String name, JsonElement value, long dataStart, long size, LoadLimits limits) {
        if (!value.isJsonObject()) {
            throw new ModelFileException(src, "header entry " + name + " is not an object", REDOWNLOAD);
        }
        JsonObject o = value.getAsJsonObject();
        JsonElement dtypeJson = o.get("dtype");
        String dtype = dtypeJson != null && dtypeJson.isJsonPrimitive() ? dtypeJson.getAsString() : null;
        Integer width = dtype == null ? null : DTYPE_BYTES.get(dtype);
        if (width == null) {
            throw new ModelFileException(src, "tensor " + name + " has unknown dtype " + dtype + " (F32, F16 and BF16 are"
                    + " read)", "Save the model in float32, float16 or bfloat16");
        }
        long[] shape = longs(src, name, "shape", o.get("shape"), -1);
        long[] offsets = longs(src, name, "data_offsets", o.get("data_offsets"), 2);
        long elements = limits.checkedElements(src, name, shape, width);
        long dataSize = size - dataStart;
        if (offsets[0] > offsets[1] || offsets[1] > dataSize) {
            throw new ModelFileException(src, "tensor " + name + " lies at bytes " + offsets[0] + ".." + offsets[1]
                    + ", outside the " + dataSize + " data bytes the file has", REDOWNLOAD);
        }
        if (offsets[1] - offsets[0] != elements * width) {
            throw new ModelFileException(src, "tensor " + name + " declares shape " + java.util.Arrays.toString(shape)
                    + " of " + dtype + " (" + elements * width + " bytes) over " + (offsets[1] - offsets[0]) + " bytes",
                    REDOWNLOAD);
        }
        return new Entry(name, dtype, shape, dataStart + offsets[0], dataStart + offsets[1]);
    }

    /** A JSON array of non-negative integers ({@code count} of them unless negative). */
    private static long[] longs(String src, String tensor, String field, JsonElement json, int count) {
        try {
            JsonArray array = json.getAsJsonArray();
            if (count >= 0 && array.size() != count) {
                throw new IllegalStateException(count + " values expected");
            }
            if (array.size() > 64) {
                throw new IllegalStateException("too many values");
            }
            long[] out = new long[array.size()];
            for (int i = 0; i < out.length; i++) {
                BigDecimal v = array.get(i).getAsBigDecimal();
                out[i] = v.longValueExact();
                if (out[i] < 0) {
                    throw new IllegalStateException("negative value " + out[i]);
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw new ModelFileException(src, "tensor " + tensor + " has an unreadable " + field + " ("
                    + e.getMessage() + ")", REDOWNLOAD);
        }
    }

    public Path file() {
        return file;
    }

    /** Header entries by name, in the header's order. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** The header's {@code __metadata__} (string to string). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Reads one tensor as a float32 array of its shape. */
    public INDArray read(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new ModelFileException(src, "has no tensor " + name, "The checkpoint is incomplete");
        }
        if (e.elements() > Integer.MAX_VALUE) {
            throw new ModelFileException(src, "tensor " + name + " has " + e.elements() + " elements, more than one array"
                    + " holds", "Use a smaller model");
        }
        int n = (int) e.elements();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            float[] values = switch (e.dtype()) {
                case "F32" -> LittleEndianFloats.read(channel, file, name, e.begin(), n, null, REDOWNLOAD);
                case "F16", "BF16" -> halves(channel, e, n);
                default -> throw new ModelFileException(src, "tensor " + name + " is " + e.dtype()
                        + ", not a floating-point type gba4j reads (F32, F16, BF16)", "Save the model in float32");
            };
            long[] shape = e.shape().length == 0 ? new long[] {1} : e.shape();
            return Nd4j.create(values, shape, 'c');
        } catch (IOException ex) {
            throw new ModelFileException(src, "cannot be read (" + ex.getMessage() + ")", "Check the file", ex);
        }
    }

    private float[] halves(FileChannel channel, Entry e, int n) throws IOException {
        float[] values = new float[n];
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.max(2, Math.min(CHUNK_BYTES, 2L * n))).order(ByteOrder.LITTLE_ENDIAN);
        long position = e.begin();
        int filled = 0;
        boolean bf16 = e.dtype().equals("BF16");
        while (filled < n) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity(), 2L * (n - filled)));
            readFully(channel, chunk, position, src);
            position += chunk.limit();
            chunk.flip();
            while (chunk.hasRemaining()) {
                short bits = chunk.getShort();
                values[filled++] = bf16 ? Float.intBitsToFloat((bits & 0xffff) << 16) : halfToFloat(bits);
            }
        }
        return values;
    }

    /** IEEE 754 binary16 to float32, subnormals, infinities and NaN included. */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, String src) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new ModelFileException(src, "ended early (truncated)", REDOWNLOAD);
            }
            at += read;
        }
    }
}
