package org.gba4j.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.gba4j.io.AtomicFiles;
import org.gba4j.io.Gba4jCheckpoint;
import org.gba4j.io.LoadLimits;
import org.gba4j.model.BertWeights;

/**
 * The models a grid shares between cells, built once and kept as gba4j checkpoints: one
 * backdoored model per (attack, task), one NeuBA pre-training per model, one Clean-FT model per
 * backdoored model (also NAD's teacher). A killed run loses at most the model being built.
 */
public final class ModelStore {
    private final Path folder;
    private final Path tokenizerFile;
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();

    /** A model held in memory and the settings it was built with. */
    private record Loaded(BertWeights weights, Map<String, String> settings) {
    }

    /**
     * @param folder        where the checkpoints live
     * @param tokenizerFile the base model's tokenizer, stored beside each checkpoint
     */
    public ModelStore(Path folder, Path tokenizerFile) {
        this.folder = folder;
        this.tokenizerFile = tokenizerFile;
        AtomicFiles.removeLeftovers(folder);
    }

    /**
     * The stored model {@code key}, or {@code build}'s result, stored first. A stored model whose
     * metadata differs from {@code metadata} was built with other settings (an attack's profile
     * changed, or the model it was trained from did): it is rebuilt and replaced, never reused.
     */
    public BertWeights get(String key, Map<String, String> metadata, Supplier<BertWeights> build) {
        Loaded cached = loaded.get(key);
        if (cached != null && metadata.equals(cached.settings())) {
            return cached.weights();
        }
        Path dir = folder.resolve(key);
        BertWeights weights;
        boolean stored = Gba4jCheckpoint.isCheckpoint(dir);
        if (stored && metadata.equals(storedMetadata(dir))) {
            weights = Gba4jCheckpoint.read(dir, LoadLimits.DEFAULT);
        } else {
            if (stored) {
                System.out.println("rebuilding shared model " + key + ": it was built with other settings");
            }
            weights = build.get();
            Gba4jCheckpoint.write(dir, weights, tokenizerFile, new LinkedHashMap<>(metadata), stored);
        }
        if (loaded.size() >= 4 && !loaded.containsKey(key)) { // a few MiniLM-sized copies; bert-base ones are 440 MB each
            loaded.remove(loaded.keySet().iterator().next());
        }
        loaded.put(key, new Loaded(weights, Map.copyOf(metadata)));
        return weights;
    }

    /** The stored metadata as strings (JSON numbers would come back as doubles; ours are all strings). */
    private static Map<String, String> storedMetadata(Path dir) {
        Map<String, String> out = new LinkedHashMap<>();
        Gba4jCheckpoint.readMetadata(dir).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
