package org.gba4j.io;

import static org.gba4j.model.WeightNames.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertConfig;
import org.gba4j.model.BertWeights;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a Google BERT TensorFlow checkpoint (a "tensor bundle": {@code variables.index} plus
 * {@code variables.data-NNNNN-of-NNNNN}) into {@link BertWeights}, without TensorFlow.
 *
 * <p>The index is a LevelDB-style SSTable whose values are {@code tensorflow.BundleEntryProto}
 * messages; both are decoded here by hand because no TensorFlow classes are on the classpath.
 * The files are treated as untrusted: every length is bounded by the bytes present, every declared
 * tensor is checked against its shape, the data file length and {@link LoadLimits} before anything
 * is allocated, data files are opened only under names computed here (never names from the file),
 * and block and tensor CRC32C checksums are verified. Any defect ends in one
 * {@link ModelFileException} naming the file.
 *
 * <p>Accepted layouts: a SavedModel folder ({@code variables/variables.index}) or a folder holding
 * exactly one {@code *.index} checkpoint (Google's {@code bert_model.ckpt.index}). Variable names
 * may carry a scope prefix (TF-Hub exports use {@code module/}). The pooler, the next-sentence
 * head and optimizer slots are skipped.
 *
 * <p>The number of attention heads is not stored in any tensor: it is read from a
 * {@code bert_config.json} ({@code num_attention_heads}) in the folder or its {@code assets/}
 * when present, else taken as {@code hidden / 64}, which holds for every Google BERT release
 * (base: 768/64 = 12, large: 1024/64 = 16).
 */
public final class TfCheckpointReader {
    /** The bundle index of a large model is a few hundred KB; far more means a hostile file. */
    private static final long MAX_INDEX_BYTES = 64L << 20;
    private static final long MAX_CONFIG_BYTES = 1L << 20;
    private static final long TABLE_MAGIC = 0xdb4775248b80fb57L;
    private static final int FOOTER_BYTES = 48;
    private static final int DT_FLOAT = 1;
    private static final int MAX_SHARDS = 100_000;
    private static final String WORD_EMBEDDINGS_TF = "bert/embeddings/word_embeddings";
    private static final String HEAD_SIZE_NOTE = "hidden / 64";

    private static final Map<String, String> FIXED_NAMES = Map.of(
            WORD_EMBEDDINGS_TF, WORD_EMBEDDINGS,
            "bert/embeddings/position_embeddings", POSITION_EMBEDDINGS,
            "bert/embeddings/token_type_embeddings", TOKEN_TYPE_EMBEDDINGS,
            "bert/embeddings/LayerNorm/gamma", EMBEDDINGS_LN_WEIGHT,
            "bert/embeddings/LayerNorm/beta", EMBEDDINGS_LN_BIAS,
            "cls/predictions/transform/dense/kernel", MLM_DENSE + WEIGHT,
            "cls/predictions/transform/dense/bias", MLM_DENSE + BIAS,
            "cls/predictions/transform/LayerNorm/gamma", MLM_LN + WEIGHT,
            "cls/predictions/transform/LayerNorm/beta", MLM_LN + BIAS,
            "cls/predictions/output_bias", MLM_BIAS);
    private static final Set<String> LAYER_PARTS =
            Set.of(QUERY, KEY, VALUE, ATTENTION_OUTPUT, ATTENTION_LN, INTERMEDIATE, OUTPUT, OUTPUT_LN);
    private static final Pattern LAYER_NAME =
            Pattern.compile("bert/encoder/layer_(0|[1-9][0-9]{0,3})/(.+)/(kernel|bias|gamma|beta)");
    private static final Pattern HEADS_JSON = Pattern.compile("\"num_attention_heads\"\\s*:\\s*([0-9]{1,6})\\b");

    private TfCheckpointReader() {
    }

    /** Reads the checkpoint in {@code savedModelDir}; the folder path is the weights' source. */
    public static BertWeights read(Path savedModelDir, LoadLimits limits) {
        return read(savedModelDir, limits, String.valueOf(savedModelDir));
    }

    /** As {@link #read(Path, LoadLimits)}, labelling the weights with {@code source} (e.g. a Maven artifact). */
    public static BertWeights read(Path savedModelDir, LoadLimits limits, String source) {
        Path index = locateIndex(savedModelDir);
        Bundle bundle = Bundle.parse(index);
        Map<String, Entry> selected = select(index, bundle.entries);
        BertConfig config = inferConfig(savedModelDir, index, selected);
        Map<String, INDArray> tensors = new DataReader(index, bundle.numShards, limits).readAll(bundle.entries, selected);
        return new BertWeights(source, config, tensors);
    }

    // ---------------------------------------------------------------- locating files

    private static Path locateIndex(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelFileException(dir, "is not a folder",
                    "Pass the SavedModel folder (the one holding variables/) or a folder with one *.index checkpoint");
        }
        Path saved = dir.resolve("variables").resolve("variables.index");
        if (Files.isRegularFile(saved)) {
            return saved;
        }
        List<Path> found;
        try (Stream<Path> files = Files.list(dir)) {
            found = files.filter(p -> p.getFileName().toString().endsWith(".index") && Files.isRegularFile(p))
                    .limit(2).toList();
        } catch (IOException e) {
            throw new ModelFileException(dir, "cannot be listed: " + e.getMessage(), "Check the folder's permissions");
        }
        if (found.size() != 1) {
            throw new ModelFileException(dir, found.isEmpty()
                    ? "holds neither variables/variables.index nor a *.index checkpoint"
                    : "holds several *.index checkpoints", "Pass a folder with exactly one TensorFlow checkpoint");
        }
        return found.get(0);
    }

    /** The data file of one shard, named as TensorFlow names it, beside the index. */
    static Path dataFile(Path index, int shard, int numShards) {
        String name = index.getFileName().toString();
        String prefix = name.substring(0, name.length() - ".index".length());
        return index.resolveSibling(String.format("%s.data-%05d-of-%05d", prefix, shard, numShards));
    }

    // ---------------------------------------------------------------- names and config

    /** One bundle entry the encoder needs, with its TensorFlow name for messages. */
    private record Entry(String tfName, BundleEntry meta) {
    }

    /** Keeps the tensors the encoder needs, under canonical names, after locating the scope prefix. */
    private static Map<String, Entry> select(Path index, Map<String, BundleEntry> entries) {
        Set<String> prefixes = new TreeSet<>();
        for (String key : entries.keySet()) {
            if (key.endsWith(WORD_EMBEDDINGS_TF)) {
                String prefix = key.substring(0, key.length() - WORD_EMBEDDINGS_TF.length());
                if (prefix.isEmpty() || prefix.endsWith("/")) {
                    prefixes.add(prefix);
                }
            }
        }
        if (prefixes.isEmpty()) {
            throw new ModelFileException(index, "has no " + WORD_EMBEDDINGS_TF + " tensor",
                    "This is not a BERT checkpoint, or its variables were renamed");
        }
        if (prefixes.size() > 1) {
            throw new ModelFileException(index, "holds several BERT models under the scopes " + prefixes,
                    "Export one model per checkpoint");
        }
        String prefix = prefixes.iterator().next();
        Map<String, Entry> selected = new TreeMap<>();
        for (Map.Entry<String, BundleEntry> e : entries.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String canonical = canonicalName(e.getKey().substring(prefix.length()));
            if (canonical != null) {
                selected.put(canonical, new Entry(e.getKey(), e.getValue()));
            }
        }
        return selected;
    }

    /** The {@link org.gba4j.model.WeightNames} name of a TensorFlow variable, or null when the encoder does not use it. */
    static String canonicalName(String tfName) {
        String fixed = FIXED_NAMES.get(tfName);
        if (fixed != null) {
            return fixed;
        }
        Matcher m = LAYER_NAME.matcher(tfName);
        if (!m.matches()) {
            return null;
        }
        String part = m.group(2).replace('/', '.');
        String kind = m.group(3);
        boolean norm = part.endsWith("LayerNorm");
        if (!LAYER_PARTS.contains(part) || norm != (kind.equals("gamma") || kind.equals("beta"))) {
            return null;
        }
        String suffix = kind.equals("kernel") || kind.equals("gamma") ? WEIGHT : BIAS;
        return layer(Integer.parseInt(m.group(1)), part) + suffix;
    }

    private static BertConfig inferConfig(Path dir, Path index, Map<String, Entry> selected) {
        long[] words = shapeOf(index, selected, WORD_EMBEDDINGS, 2);
        long[] positions = shapeOf(index, selected, POSITION_EMBEDDINGS, 2);
        long[] types = shapeOf(index, selected, TOKEN_TYPE_EMBEDDINGS, 2);
        long[] intermediate = shapeOf(index, selected, layer(0, INTERMEDIATE) + WEIGHT, 2);
        int layers = 0;
        while (selected.containsKey(layer(layers, INTERMEDIATE) + WEIGHT)) {
            layers++;
        }
        int hidden = toInt(index, selected, WORD_EMBEDDINGS, words[1]);
        int heads = heads(dir, index, hidden);
        try {
            return new BertConfig("bert", toInt(index, selected, WORD_EMBEDDINGS, words[0]), hidden, layers, heads,
                    toInt(index, selected, layer(0, INTERMEDIATE) + WEIGHT, intermediate[1]),
                    toInt(index, selected, POSITION_EMBEDDINGS, positions[0]),
                    toInt(index, selected, TOKEN_TYPE_EMBEDDINGS, types[0]), 1e-12, selected.containsKey(MLM_BIAS), 0);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(index, "implies an impossible configuration: " + e.getMessage(),
                    "The checkpoint is corrupt or not a BERT model");
        }
    }

    private static long[] shapeOf(Path index, Map<String, Entry> selected, String name, int rank) {
        Entry entry = selected.get(name);
        if (entry == null) {
            throw new ModelFileException(index, "has no tensor for " + name,
                    "The checkpoint is incomplete or not a BERT model");
        }
        long[] shape = entry.meta.shape();
        if (shape.length != rank) {
            throw new ModelFileException(index, "tensor " + entry.tfName + " has shape " + Arrays.toString(shape)
                    + ", expected rank " + rank, "The checkpoint is not a BERT model of a known layout");
        }
        return shape;
    }

    private static int toInt(Path index, Map<String, Entry> selected, String name, long value) {
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new ModelFileException(index, "tensor " + selected.get(name).tfName + " has a dimension of " + value,
                    "The checkpoint is corrupt");
        }
        return (int) value;
    }

    /** Heads from bert_config.json when present, else {@value #HEAD_SIZE_NOTE} (true for Google's BERT releases). */
    private static int heads(Path dir, Path index, int hidden) {
        for (Path config : List.of(dir.resolve("bert_config.json"), dir.resolve("assets").resolve("bert_config.json"))) {
            if (!Files.isRegularFile(config)) {
                continue;
            }
            try {
                if (Files.size(config) > MAX_CONFIG_BYTES) {
                    throw new ModelFileException(config, "is larger than " + MAX_CONFIG_BYTES + " bytes",
                            "This is not a BERT configuration file");
                }
                Matcher m = HEADS_JSON.matcher(Files.readString(config, StandardCharsets.UTF_8));
                if (!m.find()) {
                    throw new ModelFileException(config, "has no num_attention_heads",
                            "Add \"num_attention_heads\" or remove the file to assume " + HEAD_SIZE_NOTE);
                }
                int heads = Integer.parseInt(m.group(1));
                if (heads <= 0 || hidden % heads != 0) {
                    throw new ModelFileException(config, "num_attention_heads " + heads + " does not divide hidden size "
                            + hidden, "Fix the configuration file");
                }
                return heads;
            } catch (IOException e) {
                throw new ModelFileException(config, "cannot be read: " + e.getMessage(), "Check the file");
            }
        }
        if (hidden % 64 != 0) {
            throw new ModelFileException(index, "has hidden size " + hidden + ", not a multiple of 64, and there is no "
                    + "bert_config.json beside it", "Put the model's bert_config.json (with num_attention_heads) in " + dir);
        }
        return hidden / 64;
    }

    // ---------------------------------------------------------------- the index (SSTable of protobufs)

    /** Signals a malformed index; turned into one {@link ModelFileException} by {@link Bundle#parse}. */
    private static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message, null, false, false);
        }
    }

    /** Metadata of one tensor ({@code tensorflow.BundleEntryProto}). */
    record BundleEntry(int dtype, long[] shape, long shardId, long offset, long size, Integer crc32c, boolean sliced) {
    }

    /** The parsed index: header and entries by TensorFlow name. */
    private record Bundle(int numShards, Map<String, BundleEntry> entries) {

        static Bundle parse(Path index) {
            byte[] bytes;
            try {
                long size = Files.size(index);
                if (size > MAX_INDEX_BYTES) {
                    throw new ModelFileException(index, "is " + size + " bytes, more than any checkpoint index needs",
                            "The file is not a TensorFlow checkpoint index");
                }
                bytes = Files.readAllBytes(index);
            } catch (IOException e) {
                throw new ModelFileException(index, "cannot be read: " + e.getMessage(), "Check the file");
            }
            try {
                Map<String, byte[]> table = Table.entries(bytes);
                byte[] header = table.remove("");
                if (header == null) {
                    throw new Corrupt("has no bundle header");
                }
                int numShards = parseHeader(header);
                Map<String, BundleEntry> entries = new LinkedHashMap<>();
                for (Map.Entry<String, byte[]> e : table.entrySet()) {
                    entries.put(e.getKey(), parseEntry(e.getValue(), numShards));
                }
                return new Bundle(numShards, entries);
            } catch (Corrupt e) {
                throw new ModelFileException(index, "is corrupt or truncated: " + e.getMessage(),
                        "Download or export the checkpoint again");
            } catch (RuntimeException e) {
                if (e instanceof ModelFileException) {
                    throw e;
                }
                // Backstop: the parsers check every bound, so this is a bug, but still one line for the user.
                throw new ModelFileException(String.valueOf(index), "cannot be parsed (" + e + ")", "Download or export the checkpoint again", e);
            }
        }

        /** {@code BundleHeaderProto}: num_shards = 1, endianness = 2 (0 little, 1 big), version = 3. */
        private static int parseHeader(byte[] header) throws Corrupt {
            Cursor c = new Cursor(header, 0, header.length);
            long numShards = 1;
            long endianness = 0;
            while (c.more()) {
                long tag = c.varint64();
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (field == 1) {
                    numShards = c.varintField(wire);
                } else if (field == 2) {
                    endianness = c.varintField(wire);
                } else {
                    c.skip(wire);
                }
            }
            if (endianness != 0) {
                throw new Corrupt("tensors are stored big-endian, which is not supported");
            }
            if (numShards < 1 || numShards > MAX_SHARDS) {
                throw new Corrupt("declares " + numShards + " data shards");
            }
            return (int) numShards;
        }

        /** {@code BundleEntryProto}: dtype 1, shape 2, shard_id 3, offset 4, size 5, crc32c 6, slices 7. */
        private static BundleEntry parseEntry(byte[] value, int numShards) throws Corrupt {
            Cursor c = new Cursor(value, 0, value.length);
            long dtype = 0;
            long[] shape = new long[0];
            long shard = 0;
            long offset = 0;
            long size = 0;
            Integer crc = null;
            boolean sliced = false;
            while (c.more()) {
                long tag = c.varint64();
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                switch (field) {
                    case 1 -> dtype = c.varintField(wire);
                    case 2 -> shape = parseShape(c.message(wire));
                    case 3 -> shard = c.varintField(wire);
                    case 4 -> offset = c.varintField(wire);
                    case 5 -> size = c.varintField(wire);
                    case 6 -> crc = c.fixed32Field(wire);
                    case 7 -> {
                        sliced = true;
                        c.skip(wire);
                    }
                    default -> c.skip(wire);
                }
            }
            if (shard < 0 || shard >= numShards || offset < 0 || size < 0 || dtype < 0 || dtype > Integer.MAX_VALUE) {
                throw new Corrupt("an entry has shard " + shard + ", offset " + offset + ", size " + size);
            }
            return new BundleEntry((int) dtype, shape, shard, offset, size, crc, sliced);
        }

        /** {@code TensorShapeProto}: dim 2 ({@code Dim}: size 1), unknown_rank 3. */
        private static long[] parseShape(Cursor c) throws Corrupt {
            List<Long> dims = new ArrayList<>();
            while (c.more()) {
                long tag = c.varint64();
                int wire = (int) (tag & 7);
                if (tag >>> 3 == 2) {
                    Cursor dim = c.message(wire);
                    long size = 0;
                    while (dim.more()) {
                        long dimTag = dim.varint64();
                        if (dimTag >>> 3 == 1) {
                            size = dim.varintField((int) (dimTag & 7));
                        } else {
                            dim.skip((int) (dimTag & 7));
                        }
                    }
                    dims.add(size);
                } else if (tag >>> 3 == 3 && c.varintField(wire) != 0) {
                    dims.add(-1L); // unknown rank: refused later as a negative dimension
                } else if (tag >>> 3 != 3) {
                    c.skip(wire);
                }
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** A LevelDB-format table held in memory: footer, index block, data blocks, each CRC-checked. */
    private static final class Table {

        static Map<String, byte[]> entries(byte[] file) throws Corrupt {
            if (file.length < FOOTER_BYTES) {
                throw new Corrupt("shorter than a table footer");
            }
            int footer = file.length - FOOTER_BYTES;
            if (ByteBuffer.wrap(file, footer + 40, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() != TABLE_MAGIC) {
                throw new Corrupt("no table footer (bad magic number)");
            }
            Cursor handles = new Cursor(file, footer, footer + 40);
            handles.varint64(); // metaindex offset: unused
            handles.varint64(); // metaindex size
            long indexOffset = handles.varint64();
            long indexSize = handles.varint64();
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (byte[][] handle : blockEntries(block(file, indexOffset, indexSize, footer))) {
                Cursor h = new Cursor(handle[1], 0, handle[1].length);
                byte[] data = block(file, h.varint64(), h.varint64(), footer);
                for (byte[][] kv : blockEntries(data)) {
                    String key = new String(kv[0], StandardCharsets.UTF_8);
                    if (out.put(key, kv[1]) != null) {
                        throw new Corrupt("tensor " + key + " is listed twice");
                    }
                }
            }
            return out;
        }

        /** The contents of the block at a handle, after checking its bounds, CRC and compression byte. */
        private static byte[] block(byte[] file, long offset, long size, int end) throws Corrupt {
            if (offset < 0 || size < 0 || offset > end || size > end - offset - 5) {
                throw new Corrupt("a block lies outside the file");
            }
            int start = (int) offset;
            int length = (int) size;
            int stored = ByteBuffer.wrap(file, start + length + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            CRC32C crc = new CRC32C();
            crc.update(file, start, length + 1);
            if (mask((int) crc.getValue()) != stored) {
                throw new Corrupt("a block fails its checksum");
            }
            if (file[start + length] != 0) {
                throw new Corrupt("a block is compressed (type " + file[start + length] + "), which is not supported");
            }
            return Arrays.copyOfRange(file, start, start + length);
        }

        /** Key/value pairs of a block: prefix-compressed keys followed by the restart array. */
        private static List<byte[][]> blockEntries(byte[] block) throws Corrupt {
            if (block.length < 4) {
                throw new Corrupt("a block is too short");
            }
            long restarts = ByteBuffer.wrap(block, block.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            if (restarts > (block.length - 4) / 4) {
                throw new Corrupt("a block declares " + restarts + " restart points");
            }
            int end = block.length - 4 - (int) restarts * 4;
            Cursor c = new Cursor(block, 0, end);
            List<byte[][]> out = new ArrayList<>();
            byte[] key = new byte[0];
            while (c.more()) {
                int shared = c.varint32();
                int unshared = c.varint32();
                int valueLength = c.varint32();
                if (shared > key.length) {
                    throw new Corrupt("a key shares more bytes than the previous key has");
                }
                byte[] delta = c.bytes(unshared);
                byte[] value = c.bytes(valueLength);
                byte[] next = Arrays.copyOf(key, shared + delta.length);
                System.arraycopy(delta, 0, next, shared, delta.length);
                key = next;
                out.add(new byte[][] {key, value});
            }
            return out;
        }
    }

    /** LevelDB's masked CRC32C, so a CRC stored inside CRC'd data does not checksum to a constant. */
    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    /** A bounded reader of varints, fixed-width numbers and protobuf fields over {@code [pos, end)}. */
    private static final class Cursor {
        private final byte[] bytes;
        private final int end;
        private int pos;

        Cursor(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.pos = start;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint64() throws Corrupt {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new Corrupt("a number runs past the end of its record");
                }
                int b = bytes[pos++] & 0xff;
                result |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    return result;
                }
            }
            throw new Corrupt("a number is encoded in more than 10 bytes");
        }

        int varint32() throws Corrupt {
            long v = varint64();
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new Corrupt("a length of " + v + " bytes");
            }
            return (int) v;
        }

        byte[] bytes(int n) throws Corrupt {
            if (n > end - pos) {
                throw new Corrupt("a record of " + n + " bytes runs past the end of its block");
            }
            byte[] out = Arrays.copyOfRange(bytes, pos, pos + n);
            pos += n;
            return out;
        }

        long varintField(int wire) throws Corrupt {
            expectWire(wire, 0);
            return varint64();
        }

        int fixed32Field(int wire) throws Corrupt {
            expectWire(wire, 5);
            return (int) fixed(4);
        }

        Cursor message(int wire) throws Corrupt {
            expectWire(wire, 2);
            int n = varint32();
            if (n > end - pos) {
                throw new Corrupt("a field of " + n + " bytes runs past the end of its record");
            }
            Cursor sub = new Cursor(bytes, pos, pos + n);
            pos += n;
            return sub;
        }

        void skip(int wire) throws Corrupt {
            switch (wire) {
                case 0 -> varint64();
                case 1 -> fixed(8);
                case 2 -> message(2);
                case 5 -> fixed(4);
                default -> throw new Corrupt("an unsupported protobuf wire type " + wire);
            }
        }

        private long fixed(int n) throws Corrupt {
            if (n > end - pos) {
                throw new Corrupt("a field runs past the end of its record");
            }
            long v = 0;
            for (int i = n - 1; i >= 0; i--) {
                v = (v << 8) | (bytes[pos + i] & 0xff);
            }
            pos += n;
            return v;
        }

        private static void expectWire(int wire, int expected) throws Corrupt {
            if (wire != expected) {
                throw new Corrupt("a field has wire type " + wire + " where " + expected + " was expected");
            }
        }
    }

    // ---------------------------------------------------------------- tensor data

    /** Checks every selected tensor against limits and data files, then reads them chunk by chunk. */
    private static final class DataReader {
        private final Path index;
        private final int numShards;
        private final LoadLimits limits;
        private final Map<Long, Shard> shards = new HashMap<>();

        DataReader(Path index, int numShards, LoadLimits limits) {
            this.index = index;
            this.numShards = numShards;
            this.limits = limits;
        }

        /**
         * Checks the selected tensors against the limits and every entry (used or not) against its data
         * file, so a truncated download is reported even where it only cuts unused tensors; then reads.
         */
        Map<String, INDArray> readAll(Map<String, BundleEntry> all, Map<String, Entry> selected) {
            try {
                long total = 0;
                for (Entry entry : selected.values()) {
                    total = check(entry, total);
                }
                for (Map.Entry<String, BundleEntry> e : all.entrySet()) {
                    checkRange(e.getKey(), e.getValue());
                }
                Map<String, INDArray> tensors = new LinkedHashMap<>();
                for (Map.Entry<String, Entry> e : selected.entrySet()) {
                    tensors.put(e.getKey(), read(e.getValue()));
                }
                return tensors;
            } finally {
                for (Shard shard : shards.values()) {
                    try {
                        shard.channel.close();
                    } catch (IOException ignored) {
                        // read-only channel: nothing to lose
                    }
                }
            }
        }

        /** All checks on one tensor before anything is allocated; returns the running byte total. */
        private long check(Entry entry, long total) {
            BundleEntry meta = entry.meta;
            if (meta.dtype() != DT_FLOAT) {
                throw new ModelFileException(index, "tensor " + entry.tfName + " has TensorFlow dtype " + meta.dtype()
                        + ", only float32 (1) is supported", "Convert the checkpoint to float32");
            }
            if (meta.sliced()) {
                throw new ModelFileException(index, "tensor " + entry.tfName + " is partitioned into slices",
                        "Re-save the checkpoint without variable partitioning");
            }
            long elements = limits.checkedElements(index.toString(), entry.tfName, meta.shape(), Float.BYTES);
            if (elements == 0 || meta.shape().length == 0) {
                throw new ModelFileException(index, "tensor " + entry.tfName + " has shape " + Arrays.toString(meta.shape())
                        + ", an empty or scalar tensor where the encoder needs a matrix or vector",
                        "The checkpoint is corrupt or not a BERT model");
            }
            if (elements > Integer.MAX_VALUE - 8) {
                throw new ModelFileException(index, "tensor " + entry.tfName + " has " + elements
                        + " elements, more than one array can hold", "Lower the tensor size limit");
            }
            if (meta.size() != elements * Float.BYTES) {
                throw new ModelFileException(index, "tensor " + entry.tfName + " declares " + meta.size()
                        + " bytes but its shape " + Arrays.toString(meta.shape()) + " needs " + elements * Float.BYTES,
                        "The checkpoint is corrupt; download or export it again");
            }
            if (meta.size() > limits.maxTotalBytes() - total) {
                throw new ModelFileException(index, "tensors add up to more than the limit of " + limits.maxTotalBytes()
                        + " bytes", "Raise the total size limit only if you trust this file");
            }
            return total + meta.size();
        }

        /** A tensor whose bytes lie past the end of its data file means a truncated download. */
        private void checkRange(String tfName, BundleEntry meta) {
            long length = shard(meta.shardId()).length;
            if (meta.offset() > length || meta.size() > length - meta.offset()) {
                throw new ModelFileException(dataFile(index, (int) meta.shardId(), numShards), "is truncated: tensor "
                        + tfName + " needs bytes " + meta.offset() + ".." + (meta.offset() + meta.size()) + " of " + length,
                        "Download or export the checkpoint again");
            }
        }

        private INDArray read(Entry entry) {
            BundleEntry meta = entry.meta;
            Path data = dataFile(index, (int) meta.shardId(), numShards);
            FileChannel channel = shard(meta.shardId()).channel;
            CRC32C crc = new CRC32C();
            float[] values;
            try {
                values = LittleEndianFloats.read(channel, data, entry.tfName, meta.offset(), (int) (meta.size() / Float.BYTES),
                        crc, "The file is truncated; download or export the checkpoint again");
            } catch (IOException e) {
                throw new ModelFileException(data, "cannot be read: " + e.getMessage(), "Check the file");
            }
            if (meta.crc32c() != null && mask((int) crc.getValue()) != meta.crc32c()) {
                throw new ModelFileException(data, "tensor " + entry.tfName + " fails its checksum",
                        "The data file is corrupt; download or export the checkpoint again");
            }
            return Nd4j.create(values, meta.shape(), DataType.FLOAT);
        }

        /** An open data file and its length, taken once so every range check uses the same number. */
        private record Shard(FileChannel channel, long length) {
        }

        private Shard shard(long id) {
            Shard open = shards.get(id);
            if (open == null) {
                Path data = dataFile(index, (int) id, numShards);
                if (!Files.isRegularFile(data)) {
                    throw new ModelFileException(data, "is missing (the index " + index.getFileName() + " refers to it)",
                            "Copy the whole checkpoint folder");
                }
                try {
                    FileChannel channel = FileChannel.open(data, StandardOpenOption.READ);
                    open = new Shard(channel, channel.size());
                    shards.put(id, open);
                } catch (IOException e) {
                    throw new ModelFileException(data, "cannot be opened: " + e.getMessage(), "Check the file");
                }
            }
            return open;
        }
    }
}
