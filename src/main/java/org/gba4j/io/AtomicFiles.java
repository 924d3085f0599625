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
     * Writes a whole folder into a hidden temporary sibling of {@code target}, then renames it into
     * place, so the folder appears only when complete and a failure leaves nothing behind. An
     * existing {@code target} is refused unless {@code overwrite}, and even then only when it is
     * empty or {@code ours} recognises it (a folder this toolkit wrote), so a mistyped path cannot
     * wipe an unrelated folder; the old folder is swapped out, then deleted.
     */
    public static void writeFolder(Path target, boolean overwrite, Predicate<Path> ours, FolderWriter content) {
        Path absolute = target.toAbsolutePath().normalize();
        checkReplaceable(absolute, overwrite, ours);
        Path temp = null;
        try {
            Path parent = absolute.getParent();
            Files.createDirectories(parent);
            temp = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".");
            content.write(temp);
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
     */
    public static void checkReplaceable(Path target, boolean overwrite, Predicate<Path> ours) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!overwrite) {
            throw new ModelFileException(target, "already exists", "Choose another folder or allow overwriting");
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) || !(isEmpty(target) || ours.test(target))) {
            throw new ModelFileException(target, "exists and is not a folder written by gba4j or an empty folder",
                    "Refusing to replace it; choose another folder");
        }
    }

    private static void moveIntoPlace(Path temp, Path target, boolean overwrite, Predicate<Path> ours) throws IOException {
        checkReplaceable(target, overwrite, ours);
        Path old = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            old = temp.resolveSibling(temp.getFileName() + ".old");
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

    /** Best-effort removal of a folder this toolkit created; a leftover is hidden and harmless. */
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
     * Deletes what a killed run of {@link #writeText} or {@link #writeFolder} left in {@code dir}:
     * hidden {@code .NAME*.partial} files and hidden temporary folders. Nothing else is touched.
     */
    public static void removeLeftovers(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> p.getFileName().toString().startsWith("."))
                    .filter(p -> p.getFileName().toString().endsWith(".partial")
                            || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> {
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

    /** Writes a binary file (a plot) whole or not at all. */
    public static void writeBytes(Path target, byte[] content) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".partial");
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
            Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".partial");
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
