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
    private final Map<String, BertWeights> loaded = new LinkedHashMap<>();

    /**
     * @param folder        where the checkpoints live
     * @param tokenizerFile the base model's tokenizer, stored beside each checkpoint
     */
    public ModelStore(Path folder, Path tokenizerFile) {
        this.folder = folder;
        this.tokenizerFile = tokenizerFile;
        AtomicFiles.removeLeftovers(folder);
    }

    /** The stored model {@code key}, or {@code build}'s result, stored first. */
    public BertWeights get(String key, Map<String, String> metadata, Supplier<BertWeights> build) {
        BertWeights cached = loaded.get(key);
        if (cached != null) {
            return cached;
        }
        Path dir = folder.resolve(key);
        BertWeights weights;
        if (Gba4jCheckpoint.isCheckpoint(dir)) {
            weights = Gba4jCheckpoint.read(dir, LoadLimits.DEFAULT);
        } else {
            weights = build.get();
            Gba4jCheckpoint.write(dir, weights, tokenizerFile, new LinkedHashMap<>(metadata), false);
        }
        if (loaded.size() >= 4) { // a few MiniLM-sized copies; bert-base ones are 440 MB each
            loaded.remove(loaded.keySet().iterator().next());
        }
        loaded.put(key, weights);
        return weights;
    }
}
