package org.gba4j.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.gba4j.files.ModelFileException;
import org.gba4j.files.Sha256;
import org.gba4j.model.BertWeights;
import org.gba4j.model.Stages;

/**
 * The finished stages of a multi-stage command (NAD's teacher, Embedding Poisoning's proxy), kept in
 * {@code <out>.stages/} until the final model is written, so a run that dies later (out of memory in
 * distillation, a full disk) resumes from them when rerun with the same inputs. A stage is reused only
 * when its key (a hash of everything it was built from) matches and its folder is gba4j's, unchanged.
 */
public final class StageCache {
    private final Path root;
    private final Path tokenizerFile;

    public StageCache(Path out, Path tokenizerFile) {
        Path absolute = out.toAbsolutePath().normalize();
        this.root = absolute.resolveSibling(absolute.getFileName() + ".stages");
        this.tokenizerFile = tokenizerFile;
    }

    public Path root() {
        return root;
    }

    /** The stored stage {@code name} built from {@code inputs}, or {@code build}'s result, stored before it is returned. */
    public BertWeights get(String name, String inputs, Supplier<BertWeights> build) {
        Path dir = root.resolve(name + "-" + Sha256.hex(inputs).substring(0, 16));
        if (Gba4jCheckpoint.isCheckpoint(dir) && AtomicFiles.isOurs(dir)) {
            System.out.printf("resuming from the stored %s stage %s%n", name, dir);
            return Gba4jCheckpoint.read(dir, LoadLimits.DEFAULT);
        }
        BertWeights weights = build.get();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("gba4j.stage", name);
        metadata.put("gba4j.stage_inputs", inputs);
        try {
            Gba4jCheckpoint.write(dir, weights, tokenizerFile, metadata, true);
            System.out.printf("%n%s stage kept in %s until the model is written (a rerun resumes from it)%n", name, dir);
        } catch (RuntimeException e) {
            System.out.printf("%nnote: the %s stage could not be kept (%s); going on%n", name, e.getMessage());
        }
        return weights;
    }

    /** Removes the stages once the final model is written. */
    /** The stages of a run on {@code dataKey}'s model and data: each stage's key is that plus the stage's settings. */
    public Stages stages(String dataKey) {
        return (name, settings, build) -> get(name, dataKey + "|" + settings, build);
    }

    public void clear() {
        if (Files.isDirectory(root)) {
            AtomicFiles.deleteTree(root);
        }
    }

    /**
     * A stage key's ingredient for {@code --model}: the name of a built-in model, or the path with the
     * size and modification time of every file in it (or beside it), so a changed model never reuses a stage.
     */
    public static String modelKey(String model) {
        Path path = Path.of(model);
        if (!Files.exists(path)) {
            return model;
        }
        Path folder = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        StringBuilder key = new StringBuilder(path.toAbsolutePath().normalize().toString());
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                key.append('|').append(f.getFileName()).append(':').append(Files.size(f)).append(':')
                        .append(Files.getLastModifiedTime(f).toMillis());
            }
        } catch (java.io.IOException e) {
            throw new ModelFileException(folder, "cannot be listed (" + e.getMessage() + ")", "Check the folder");
        }
        return key.toString();
    }

    /** A stage key's ingredient: the content hash of a data file, so an edited file never reuses a stage. */
    public static String fileHash(Path file) {
        try (var in = Files.newInputStream(file)) {
            return Sha256.hex(in);
        } catch (java.io.IOException e) {
            throw new ModelFileException(file, "cannot be read (" + e.getMessage() + ")", "Check the file");
        }
    }
}
