package org.gba4j.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.gba4j.files.ModelFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --overwrite} may replace, what a killed write leaves, and what permissions outputs get (issue 17). */
class OutputOwnershipTest {
    @TempDir
    Path dir;

    private Path written(String name) {
        Path out = dir.resolve(name);
        AtomicFiles.writeFolder(out, false, AtomicFiles::isOurs, f -> {
            Files.writeString(f.resolve("model.onnx"), "weights");
            Files.writeString(f.resolve("tokenizer.json"), "{}");
        });
        return out;
    }

    @Test
    void aFolderWeWroteIsOursUntilAnyFileChanges() throws Exception {
        Path out = written("out");
        assertTrue(Files.isRegularFile(out.resolve(AtomicFiles.MARKER)));
        assertTrue(AtomicFiles.isOurs(out));

        Files.writeString(out.resolve("notes.txt"), "the user's"); // an extra file: the user's now
        assertFalse(AtomicFiles.isOurs(out));
        Files.delete(out.resolve("notes.txt"));
        assertTrue(AtomicFiles.isOurs(out));

        Files.writeString(out.resolve("model.onnx"), "fine-tuned elsewhere"); // edited
        assertFalse(AtomicFiles.isOurs(out));
        assertThrows(ModelFileException.class, () -> AtomicFiles.writeFolder(out, true, AtomicFiles::isOurs,
                f -> Files.writeString(f.resolve("model.onnx"), "new")));
        assertEquals("fine-tuned elsewhere", Files.readString(out.resolve("model.onnx")));
    }

    @Test
    void aUsersModelFolderIsNeverOursWhateverItsFileNames() throws Exception {
        Path hf = Files.createDirectories(dir.resolve("hf"));
        Files.writeString(hf.resolve("model.onnx"), "theirs");
        Files.writeString(hf.resolve("checkpoint.json"), "{}");
        Files.writeString(hf.resolve(AtomicFiles.MARKER), "{\"files\": {}}"); // even a forged, empty marker
        assertFalse(AtomicFiles.isOurs(hf));
        assertThrows(ModelFileException.class, () -> AtomicFiles.checkReplaceable(hf, true, AtomicFiles::isOurs));
    }

    @Test
    void anOutputIsNeverTheInputOrAParentOfIt() throws Exception {
        Path model = Files.createDirectories(dir.resolve("hf/onnx"));
        ModelFileException same = assertThrows(ModelFileException.class,
                () -> AtomicFiles.checkNotAnInput(dir.resolve("hf/onnx"), "--out", model));
        assertTrue(same.getMessage().contains("is the input"), same.getMessage());
        ModelFileException parent = assertThrows(ModelFileException.class,
                () -> AtomicFiles.checkNotAnInput(dir.resolve("hf/./onnx/.."), "--out", model));
        assertTrue(parent.getMessage().contains("a parent of the input"), parent.getMessage());
        AtomicFiles.checkNotAnInput(dir.resolve("hf-defended"), "--out", model); // a sibling is fine
    }

    @Test
    void staleTemporaryFoldersOfKilledWritesGoOthersStay() throws Exception {
        Path dead = Files.createDirectories(dir.resolve(".out.gba4j-partial-999999999-abc")); // no such process
        Files.writeString(dead.resolve("tensors.bin"), "half");
        Path live = Files.createDirectories(dir.resolve(".out.gba4j-partial-" + ProcessHandle.current().pid() + "-xyz"));
        Path deadFile = Files.writeString(dir.resolve(".table2.md.gba4j-partial-999999999-q"), "half");
        Path users = Files.createDirectories(dir.resolve(".git"));
        Path usersPartial = Files.createDirectories(dir.resolve(".cache.partial"));

        AtomicFiles.checkReplaceable(dir.resolve("out"), false, AtomicFiles::isOurs); // any write on this parent

        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(deadFile));
        assertTrue(Files.isDirectory(live), "a write still running is left alone");
        assertTrue(Files.isDirectory(users));
        assertTrue(Files.isDirectory(usersPartial));
    }

    @Test
    void outputsGetTheUmasksPermissionsNotPrivateOnes() throws Exception {
        Path reference = Files.createFile(dir.resolve("reference")); // what the process's umask gives
        Path text = dir.resolve("report.md");
        AtomicFiles.writeText(text, w -> w.write("x"));
        Path folder = written("model");
        Path referenceDir = Files.createDirectory(dir.resolve("reference-dir"));
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(reference)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(text)));
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(referenceDir)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    }

    @Test
    void aPathUnderAFileIsRefusedBeforeAnyWork() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        OutputException e = assertThrows(OutputException.class,
                () -> AtomicFiles.checkWritable(file.resolve("out"), "--out", 0));
        assertTrue(e.getMessage().startsWith("--out "), e.getMessage());
        assertThrows(OutputException.class, () -> AtomicFiles.checkFolderWritable(file, "--out"));
        assertThrows(OutputException.class, () -> AtomicFiles.checkWritable(dir.resolve("out"), "--out", Long.MAX_VALUE),
                "not enough free space");
        AtomicFiles.checkWritable(dir.resolve("new/deeper/out"), "--out", 1);
    }
}
