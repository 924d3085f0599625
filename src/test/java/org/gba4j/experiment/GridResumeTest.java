package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.gba4j.Slow;
import org.gba4j.cli.Experiments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grid run killed mid-cell (a separate JVM, destroyed forcibly) resumes with the same command:
 * every cell ends up stored exactly once, the cell finished before the kill is not recomputed, and
 * no partial file survives. Runs table12 on MR with the smoke profile (6 cells, real MiniLM).
 */
@Slow
class GridResumeTest {
    /** The progress line that opens the grid's second cell. */
    private static final String SECOND_CELL = "[2/" + expectedCells() + "]";

    @TempDir
    Path dir;

    @Test
    void killedRunResumesWithEveryCellOnce() throws Exception {
        List<String> args = List.of("table12", "--profile", "smoke", "--datasets", "mr", "--out",
                dir.resolve("out").toString(), "--reports", dir.resolve("reports").toString());
        Path cells = dir.resolve("out/smoke-minilm-seed42/cells");

        killDuringSecondCell(args);
        List<Path> before = files(cells);
        assertEquals(1, before.size(), "exactly the first cell was stored before the kill: " + before);
        String firstCell = Files.readString(before.get(0));

        // --report-only reports the one stored cell and computes nothing
        List<String> reportOnly = new ArrayList<>(args.subList(0, args.size() - 1));
        reportOnly.addAll(List.of(dir.resolve("partial").toString(), "--report-only"));
        assertEquals(0, Experiments.run(reportOnly.toArray(String[]::new)));
        assertEquals(before, files(cells), "--report-only computed a cell");
        assertEquals(2, Files.readAllLines(dir.resolve("partial/table12-smoke-minilm.csv")).size(), "header and the one stored cell");
        assertTrue(Files.readString(dir.resolve("partial/table12-smoke-minilm.md")).contains("Cells: 1 of " + expectedCells() + " finished"));
        List<String> nothingStored = new ArrayList<>(reportOnly);
        nothingStored.addAll(List.of("--seed", "7"));
        assertEquals(2, Experiments.run(nothingStored.toArray(String[]::new)), "--report-only with no stored cell is an error");

        assertEquals(0, Experiments.run(args.toArray(String[]::new)));

        List<String> expected = new Table12().cells(List.of(PaperDataset.MR)).stream().map(c -> c.id() + ".json").sorted()
                .toList();
        assertEquals(expected, files(cells).stream().map(p -> p.getFileName().toString()).sorted().toList());
        assertEquals(firstCell, Files.readString(before.get(0)), "the finished cell was recomputed");
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> hidden = all.filter(p -> p.getFileName().toString().startsWith(".")).toList();
            assertEquals(List.of(), hidden, "partial files or folders left behind");
        }
        Map<String, Integer> rows = new HashMap<>();
        try (var reader = Files.newBufferedReader(dir.resolve("reports/table12-smoke-minilm.csv"))) {
            for (CSVRecord row : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                rows.merge(row.get("attack") + "/" + row.get("defense"), 1, Integer::sum);
                assertFalse(row.get("ACC").isEmpty());
            }
        }
        assertEquals(Map.of("badnets/none", 1, "badnets/pt", 1, "badnets/pt-soft", 1, "badnets/gba", 1,
                "never-attacked-badnets/none", 1, "never-attacked-badnets/pt-soft", 1), rows);

        // --defenses reports only those rows' cells (here all stored, so nothing is computed)
        List<String> some = new ArrayList<>(args.subList(0, args.size() - 1));
        some.addAll(List.of(dir.resolve("some").toString(), "--defenses", "none"));
        assertEquals(0, Experiments.run(some.toArray(String[]::new)));
        List<String> lines = Files.readAllLines(dir.resolve("some/table12-smoke-minilm.csv"));
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().skip(1).allMatch(l -> l.contains(",cf,none,")), String.join("\n", lines));

        // --attacks keeps the attack's floor cells with it
        List<String> attack = new ArrayList<>(args.subList(0, args.size() - 1));
        attack.addAll(List.of(dir.resolve("attack").toString(), "--attacks", "badnets", "--report-only"));
        assertEquals(0, Experiments.run(attack.toArray(String[]::new)));
        assertEquals(1 + rows.size(), Files.readAllLines(dir.resolve("attack/table12-smoke-minilm.csv")).size());
    }

    private static int expectedCells() {
        return new Table12().cells(List.of(PaperDataset.MR)).size();
    }

    /** Starts the grid in its own JVM and destroys it a few seconds into the second cell. */
    private void killDuringSecondCell(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=8G", "-cp", System.getProperty("java.class.path"),
                Experiments.class.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith(SECOND_CELL)) {
                    Thread.sleep(3000); // inside the second cell's training
                    break;
                }
            }
            process.destroyForcibly();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the grid JVM did not die");
        }
        assertTrue(seen.toString().contains(SECOND_CELL), "the grid never reached its second cell:\n" + seen);
    }

    private static List<Path> files(Path folder) throws Exception {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }
}
