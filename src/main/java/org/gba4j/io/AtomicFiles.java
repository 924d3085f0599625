package org.gba4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.gba4j.files.ModelFileException;
import org.gba4j.files.Sha256;

/** Write-then-rename, so a reader never sees a half-written report or checkpoint. */
public final class AtomicFiles {

    /** Writes the content of a text file. */
    @FunctionalInterface
    public interface TextWriter {
        void write(Writer out) throws IOException;
    }

    /** Fills a (temporary) folder with the files of a model. */
    @FunctionalInterface
    public interface FolderWriter {
        void write(Path folder) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * The ownership marker in every folder {@link #writeFolder} writes: the run that wrote it and the
     * SHA-256 of each file. {@code --overwrite} replaces a folder only while this still describes it
     * exactly, so a user's folder that merely holds a {@code model.onnx} is never ours.
     */
    public static final String MARKER = "gba4j-output.json";
    /** Part of the name of every temporary file or folder, with the writing process's id after it. */
    private static final String PARTIAL = ".gba4j-partial-";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * Writes a whole folder into a hidden temporary sibling of {@code target}, then renames it into
     * place, so the folder appears only when complete and a failure leaves nothing behind. An
     * existing {@code target} is refused unless {@code overwrite}, and even then only when it is
     * empty or {@code ours} recognises it; the old folder is swapped out, then deleted. Every folder
     * written carries {@link #MARKER}.
     */
    public static void writeFolder(Path target, boolean overwrite, Predicate<Path> ours, FolderWriter content) {
        Path absolute = target.toAbsolutePath().normalize();
        checkReplaceable(absolute, overwrite, ours);
        Path temp = null;
        try {
            Path parent = absolute.getParent();
            Files.createDirectories(parent);
            temp = Files.createDirectory(partialName(parent, absolute.getFileName().toString())); // umask applies
            content.write(temp);
            writeMarker(temp);
            moveIntoPlace(temp, absolute, overwrite, ours);
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + absolute + ": " + e, e);
        } finally {
            if (temp != null) {
                deleteTree(temp);
            }
        }
    }

    /**
     * The check {@link #writeFolder} makes, for callers that want to fail before hours of work:
     * a missing target is fine, an existing one needs {@code overwrite} and must be empty or ours.
     * Stale temporary folders that killed writes left beside it are removed first.
     */
    public static void checkReplaceable(Path target, boolean overwrite, Predicate<Path> ours) {
        Path parent = target.toAbsolutePath().normalize().getParent();
        if (parent != null && Files.isDirectory(parent)) {
            removeLeftovers(parent);
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!overwrite) {
            throw new ModelFileException(target, "already exists", "Choose another folder or allow overwriting");
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) || !(isEmpty(target) || ours.test(target))) {
            throw new ModelFileException(target, "exists and is neither empty nor a folder gba4j wrote and nobody has"
                    + " changed since (" + MARKER + " lists every file and its hash)", "Refusing to replace it; choose"
                    + " another folder");
        }
    }

    /**
     * Whether gba4j wrote {@code dir} and it is unchanged: its {@link #MARKER} parses and lists exactly
     * the files present, each with its recorded SHA-256. Extra, missing or edited files make it the user's.
     */
    public static boolean isOurs(Path dir) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            if (Files.size(marker) > 1 << 20) {
                return false;
            }
            com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(marker))
                    .getAsJsonObject();
            com.google.gson.JsonObject files = json.getAsJsonObject("files");
            java.util.Map<String, String> present = hashes(dir);
            present.remove(MARKER);
            if (files == null || files.size() != present.size()) {
                return false;
            }
            for (var e : present.entrySet()) {
                if (!files.has(e.getKey()) || !files.get(e.getKey()).getAsString().equals(e.getValue())) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // unreadable or malformed: not provably ours
        }
    }

    /** Relative path -> SHA-256 of every regular file under {@code dir}; a link or special file makes it foreign. */
    private static java.util.Map<String, String> hashes(Path dir) throws IOException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                if (p.equals(dir) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException(p + " is not a regular file");
                }
                try (var in = Files.newInputStream(p)) {
                    out.put(dir.relativize(p).toString().replace('\\', '/'), Sha256.hex(in));
                }
            }
        }
        return out;
    }

    private static void writeMarker(Path folder) throws IOException {
        com.google.gson.JsonObject json = new com.google.gson.JsonObject();
        json.addProperty("format", "gba4j-output");
        json.addProperty("run", java.util.UUID.randomUUID().toString());
        json.addProperty("written", java.time.Instant.now().toString());
        com.google.gson.JsonObject files = new com.google.gson.JsonObject();
        hashes(folder).forEach(files::addProperty);
        json.add("files", files);
        Files.writeString(folder.resolve(MARKER), new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(json),
                StandardCharsets.UTF_8);
    }

    /**
     * Refuses an output folder that is, or contains, one of the {@code inputs} (the model being read):
     * replacing it would destroy the input, and the user's original files with it.
     */
    public static void checkNotAnInput(Path target, String option, Path... inputs) {
        Path out = real(target);
        for (Path input : inputs) {
            if (input != null && Files.exists(input) && real(input).startsWith(out)) {
                throw new ModelFileException(target, "is " + (real(input).equals(out) ? "" : "a parent of ")
                        + "the input " + input, "Choose another " + option + "; gba4j never writes over its input");
            }
        }
    }

    /** The real path of {@code p}, or of its nearest existing ancestor with the rest appended. */
    private static Path real(Path p) {
        Path absolute = p.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? absolute : existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }

    /**
     * Fails before any work if {@code target} (named by {@code option}) could not be written: its
     * nearest existing ancestor must be a folder in which a file can be created, with at least
     * {@code bytesNeeded} free.
     */
    public static void checkWritable(Path target, String option, long bytesNeeded) {
        Path absolute = target.toAbsolutePath().normalize();
        Path existing = absolute.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new OutputException(option + " " + target + ": " + existing + " is not a folder; choose another "
                    + option);
        }
        try {
            Path probe = Files.createFile(partialName(existing, "write-check"));
            Files.delete(probe);
            long free = Files.getFileStore(existing).getUsableSpace();
            if (free < bytesNeeded) {
                throw new OutputException(option + " " + target + ": " + existing + " has " + mib(free) + " free, the"
                        + " output needs about " + mib(bytesNeeded) + "; free some space or choose another " + option);
            }
        } catch (IOException e) {
            throw new OutputException(option + " " + target + ": cannot write in " + existing + " (" + e
                    + "); choose another " + option, e);
        }
    }

    /** As {@link #checkWritable}, for a folder option (a grid's work or report folder): it must not be a file. */
    public static void checkFolderWritable(Path folder, String option) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new OutputException(option + " " + folder + " is a file, not a folder; choose a folder");
        }
        checkWritable(folder.resolve("any"), option, 0);
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    /** A fresh hidden temporary name beside {@code name} in {@code dir}, tagged with this process's id. */
    private static Path partialName(Path dir, String name) {
        return dir.resolve("." + name + PARTIAL + ProcessHandle.current().pid() + "-" + Long.toUnsignedString(RANDOM.nextLong(), 36));
    }

    private static void moveIntoPlace(Path temp, Path target, boolean overwrite, Predicate<Path> ours) throws IOException {
        checkReplaceable(target, overwrite, ours);
        Path old = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            old = partialName(target.getParent(), target.getFileName() + ".old");
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
        if (old != null) {
            deleteTree(old);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** Best-effort removal of a folder this toolkit created; a leftover is hidden and removed by a later run. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // left for the user; nothing else to do
                }
            });
        } catch (IOException ignored) {
            // the folder is already gone
        }
    }

    /**
     * Deletes what killed writes left in {@code dir}: hidden temporary files and folders named by
     * {@link #partialName} whose process is no longer running. Nothing else is touched, so a user's
     * own hidden files are safe and a write in progress elsewhere is left alone.
     */
    public static void removeLeftovers(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(AtomicFiles::isStalePartial).forEach(p -> {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(p);
                } else {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // left for the user; harmless, hidden
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A temporary name of ours whose writing process has ended. */
    static boolean isStalePartial(Path p) {
        String name = p.getFileName().toString();
        int at = name.lastIndexOf(PARTIAL);
        if (!name.startsWith(".") || at < 0) {
            return false;
        }
        String[] tail = name.substring(at + PARTIAL.length()).split("-", 2);
        try {
            long pid = Long.parseLong(tail[0]);
            return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Writes a binary file (a plot) whole or not at all. */
    public static void writeBytes(Path target, byte[] content) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createFile(partialName(dir, target.getFileName().toString())); // umask applies
            try {
                Files.write(temp, content);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    public static void writeText(Path target, TextWriter content) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createFile(partialName(dir, target.getFileName().toString()));
            try {
                try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    content.write(out);
                }
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
