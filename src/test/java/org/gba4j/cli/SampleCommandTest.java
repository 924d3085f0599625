package org.gba4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gba4j.Gba4j;
import org.gba4j.data.LabeledText;
import org.gba4j.data.ProjectDatasets;
import org.gba4j.experiment.GridData;
import org.gba4j.experiment.PaperDataset;
import org.gba4j.experiment.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sample} writes exactly the rows a grid cell uses, and never replaces a file. */
class SampleCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheGridsAttackerAndTestRows() {
        GridData grid = new GridData(ProjectDatasets.locate(), Profile.QUICK, 43);
        Path train = dir.resolve("train.csv");
        Path test = dir.resolve("test.csv");
        Cli.Result r = Cli.run("sample", "--dataset", "mr", "--seed", "43", "--out", train.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1000 attacker rows of mr (profile quick, seed 43)"), r.out());
        assertEquals(0, Cli.run("sample", "--dataset", "mr", "--rows", "test", "--seed", "43", "--out",
                test.toString()).code());

        assertSameRows(grid.attackTrain(PaperDataset.MR), Gba4j.readCsv(train));
        assertSameRows(grid.test(PaperDataset.MR), Gba4j.readCsv(test));
        // another seed is another sample
        List<LabeledText> seed44 = new GridData(ProjectDatasets.locate(), Profile.QUICK, 44).attackTrain(PaperDataset.MR);
        assertNotEquals(seed44.get(0).text(), Gba4j.readCsv(train).get(0).text());
    }

    @Test
    void theDefendersRowsAreTheFirstOfTheAttackers() {
        Path rows = dir.resolve("train.csv");
        assertEquals(0, Cli.run("sample", "--dataset", "hs", "--rows", "train", "--out", rows.toString()).code());
        List<LabeledText> defender = Gba4j.readCsv(rows);
        List<LabeledText> attacker = new GridData(ProjectDatasets.locate(), Profile.QUICK, 42).attackTrain(PaperDataset.HS);
        assertEquals(200, defender.size());
        assertSameRows(attacker.subList(0, 200), defender);
    }

    @Test
    void refusesAnExistingFileAndLeavesItAlone() throws Exception {
        Path mine = Files.writeString(dir.resolve("mine.csv"), "my data\n");
        Cli.Result r = Cli.run("sample", "--dataset", "mr", "--out", mine.toString());
        assertEquals(2, r.code());
        assertEquals(List.of("error: --out " + mine + " already exists; choose a new file (it is never replaced)"),
                r.errors());
        assertEquals("my data\n", Files.readString(mine));
    }

    @Test
    void refusesBadOptionsWithOneLine() {
        Path out = dir.resolve("x.csv");
        for (String[] args : List.of(new String[] {"--dataset", "mrpc"}, new String[] {"--dataset", "mr", "--rows", "all"},
                new String[] {"--dataset", "nope"})) {
            String[] line = new String[args.length + 3];
            line[0] = "sample";
            System.arraycopy(args, 0, line, 1, args.length);
            line[args.length + 1] = "--out";
            line[args.length + 2] = out.toString();
            Cli.Result r = Cli.run(line);
            assertEquals(2, r.code(), String.join(" ", line));
            assertEquals(1, r.errors().size(), r.err());
            assertFalse(r.hasStackTrace());
            assertFalse(Files.exists(out));
        }
        Cli.Result gz = Cli.run("sample", "--dataset", "mr", "--out", dir.resolve("x.csv.gz").toString());
        assertEquals(2, gz.code());
        assertTrue(gz.errors().get(0).contains("must end in .csv"), gz.err());
    }

    private static void assertSameRows(List<LabeledText> expected, List<LabeledText> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).text(), actual.get(i).text(), "row " + i);
            assertEquals(expected.get(i).label(), actual.get(i).label(), "row " + i);
        }
    }
}
