package org.gba4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.gba4j.files.ModelFileException;
import org.gba4j.files.Sha256;

/**
 * The paper's datasets as shipped in the project's {@code datasets/} folder: gzip-compressed CSV,
 * each verified against the sha256 of its uncompressed content in {@code SUMS.txt} before use, so
 * a damaged or altered file stops a run before any training.
 */
public final class ProjectDatasets {
    private final Path root;

    public ProjectDatasets(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** {@code datasets/} of the working directory, or the system property {@code gba4j.datasets}. */
    public static ProjectDatasets locate() {
        return new ProjectDatasets(Path.of(System.getProperty("gba4j.datasets", "datasets")));
    }

    /** A verified split, e.g. {@code ("mr", "train")}. */
    public List<LabeledText> load(String dataset, String split) {
        return load(dataset, split, CsvDataset.Columns.SINGLE);
    }

    /** A verified split with its own columns, e.g. {@code ("glue/rte", "train", ...)}. */
    public List<LabeledText> load(String dataset, String split, CsvDataset.Columns columns) {
        Path file = file(dataset, split);
        verify(file, dataset + "/" + split + ".csv");
        return CsvDataset.read(file, columns);
    }

    public Path file(String dataset, String split) {
        Path file = root.resolve(dataset).resolve(split + ".csv.gz");
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException(file, "not found", "Run from the project folder or set -Dgba4j.datasets=<folder>");
        }
        return file;
    }

    void verify(Path file, String name) {
        String expected = expectedSum(name);
        String actual;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            actual = Sha256.hex(in);
        } catch (IOException e) {
            throw new ModelFileException(file, "is not a readable gzip file (" + e.getMessage() + ")",
                    "Restore it from the repository (git checkout -- " + file + ")");
        }
        if (!actual.equals(expected)) {
            throw new ModelFileException(file, "checksum mismatch (sha256 " + actual + ", SUMS.txt says " + expected + ")",
                    "Restore it from the repository (git checkout -- " + file + ")");
        }
    }

    private String expectedSum(String name) {
        Path sums = root.resolve("SUMS.txt");
        try {
            for (String line : Files.readAllLines(sums)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 2 && parts[1].equals(name)) {
                    return parts[0];
                }
            }
        } catch (IOException e) {
            throw new ModelFileException(sums, "cannot be read", "Restore it from the repository");
        }
        throw new ModelFileException(sums, "lists no checksum for " + name, "Restore it from the repository");
    }
}
