package org.gba4j.experiment;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.gba4j.files.ModelFileException;
import org.gba4j.io.AtomicFiles;

/**
 * Finished cells on disk, one JSON file each, written whole or not at all (a temporary file
 * renamed into place), so a run killed at any moment leaves every cell either complete or absent
 * and a rerun neither loses nor repeats one.
 */
public final class CellStore {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
    private final Path folder;

    public CellStore(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    public Path file(Cell cell) {
        return folder.resolve(cell.id() + ".json");
    }

    public Optional<CellResult> find(Cell cell) {
        Path file = file(cell);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            CellResult result = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), CellResult.class);
            if (result == null || result.cell() == null || !result.cell().id().equals(cell.id())) {
                throw new JsonParseException("it holds another cell");
            }
            return Optional.of(result);
        } catch (IOException | JsonParseException e) {
            throw new ModelFileException(file, "is not a readable cell (" + e.getMessage() + ")",
                    "Delete it to recompute the cell, or rerun with --force");
        }
    }

    /**
     * The stored cell if it was computed with the settings whose fingerprint is {@code fingerprint}
     * ({@link CellConfiguration}); a cell stored before fingerprints existed is taken as stored.
     */
    public Optional<CellResult> find(Cell cell, String fingerprint) {
        return find(cell).filter(r -> r.fingerprint() == null || r.fingerprint().equals(fingerprint));
    }

    public void save(CellResult result) {
        AtomicFiles.writeText(file(result.cell()), writer -> writer.write(GSON.toJson(result)));
    }
}
