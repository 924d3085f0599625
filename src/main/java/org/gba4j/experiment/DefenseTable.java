package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.gba4j.attack.Attacks;
import org.gba4j.defense.Defenses;

/**
 * The layout of Tables 2 and 12: one row per (defense, attack), ASR and ACC per task and their
 * average, each as "ours (paper)". Ours is the mean +/- standard deviation over the seeds run, or, for
 * one seed, the value with its Wilson 95% interval over the cell's test rows. The average is over the
 * tasks (and seeds) run, with the spread of the seeds' own averages where several ran; the paper's is over the same
 * tasks. A row missing a task's cell (a partial run) shows no average of ours: it would cover other tasks than the
 * paper's beside it.
 */
final class DefenseTable {

    /** The mark of an ACC at chance ({@link Results#atChance}), a dagger, explained under the table. */
    static final String AT_CHANCE = "\u2020";

    /** A row: its labels, which cells it shows, and the paper's numbers for it. */
    record Row(String defenseLabel, String attackLabel, String defense, String attack, double[] paper) {
    }

    private DefenseTable() {
    }

    static String render(List<Row> rows, Results results, List<PaperDataset> datasets) {
        List<String> header = new ArrayList<>(List.of("Defense", "Attack"));
        for (PaperDataset d : datasets) {
            header.add(d.title() + " ASR");
            header.add(d.title() + " ACC");
        }
        header.add("Average ASR");
        header.add("Average ACC");
        MarkdownTable table = new MarkdownTable(header);
        boolean anyAtChance = false;
        for (Row row : rows) {
            List<String> cells = new ArrayList<>(List.of(row.defenseLabel(), row.attackLabel()));
            double paperAsr = 0;
            double paperAcc = 0;
            boolean complete = true;
            for (PaperDataset d : datasets) {
                Predicate<Cell> cell = Results.cell(d.name(), row.attack(), row.defense());
                complete &= !Double.isNaN(results.mean(cell, "asr"));
                for (boolean acc : new boolean[] {false, true}) {
                    String ours = results.rateWithSpread(cell, acc ? "acc" : "asr", acc ? "test_rows" : "asr_rows");
                    boolean atChance = acc && results.atChance(cell);
                    anyAtChance |= atChance;
                    cells.add(ours + (atChance ? " " + AT_CHANCE : "") + " ("
                            + MarkdownTable.number(PaperNumbers.at(row.paper(), d, acc)) + ")");
                }
                paperAsr += PaperNumbers.at(row.paper(), d, false) / datasets.size();
                paperAcc += PaperNumbers.at(row.paper(), d, true) / datasets.size();
            }
            for (String metric : List.of("asr", "acc")) {
                cells.add((complete ? results.meanWithSeedSpread(Results.cell(null, row.attack(), row.defense()), metric)
                        : "-") + " ("
                        + MarkdownTable.number(metric.equals("asr") ? paperAsr : paperAcc) + ")");
            }
            table.row(cells);
        }
        return table.render() + (anyAtChance ? AT_CHANCE_NOTE : "");
    }

    /** What {@link #AT_CHANCE} means, for under a table that uses it. */
    static final String AT_CHANCE_NOTE = "\n" + AT_CHANCE + " At chance: the lower end of the ACC's 95% interval"
            + " (in at least one seed) is at or below the task's majority-class rate, so the classifier cannot be told"
            + " from always predicting the most frequent class, and the ASR beside it says nothing about the defense.\n";

    /** The label of the reference row a figure shows for the floors (the trigger on never-attacked models). */
    static final String FLOOR_ROW = "floor: never attacked, none";
    /** The label of the rows of GBA's own floors: GBA with the same settings on the never-attacked models. */
    static final String GBA_FLOOR_ROW = "floor: never attacked, gba";

    /**
     * An attack's reference cells on a task, Table 2's and shared with it: the backdoored model before any defense, and
     * its floor (the same test on a model fine-tuned on the attacker's rows without poison).
     */
    static List<Cell> referenceCells(PaperDataset dataset, String attack) {
        return List.of(new Cell(dataset.name(), attack, trigger(attack), Defenses.NONE),
                new Cell(dataset.name(), Attacks.floorOf(attack), trigger(attack), Defenses.NONE));
    }

    /** Each attack's ASR and ACC in the cells {@code cellOf} picks for it, in {@link PaperNumbers#ATTACKS}' order. */
    static List<String> attackColumns(Results r, Function<String, Predicate<Cell>> cellOf) {
        List<String> row = new ArrayList<>();
        for (String attack : PaperNumbers.ATTACKS) {
            Predicate<Cell> cell = cellOf.apply(attack);
            row.add(r.rateWithSpread(cell, "asr", "asr_rows"));
            row.add(acc(r, cell));
        }
        return row;
    }

    /** Each attack's ASR and ACC in its No-Defense cells, or (floor) in its floor cells: a figure's reference row. */
    static List<String> referenceRow(Results r, boolean floor) {
        return attackColumns(r, a -> Results.cell(null, floor ? Attacks.floorOf(a) : a, Defenses.NONE));
    }

    /** A cell's ACC with its spread, and the {@link #AT_CHANCE} dagger where the classifier is at chance. */
    static String acc(Results r, Predicate<Cell> cell) {
        return r.rateWithSpread(cell, "acc", "test_rows") + (r.atChance(cell) ? " " + AT_CHANCE : "");
    }

    /** {@link #AT_CHANCE_NOTE} where any of the results is at chance, else nothing. */
    static String atChanceNote(List<CellResult> results) {
        Results r = new Results(results);
        return results.stream().anyMatch(c -> r.atChance(c.cell()::equals)) ? AT_CHANCE_NOTE : "";
    }

    /** An attack's name in reports; a floor's is that of the attack whose test it repeats. */
    static String attackLabel(String attack) {
        if (Attacks.isFloor(attack)) {
            return "never attacked, as " + attackLabel(Attacks.attackOf(attack));
        }
        return switch (attack) {
            case Attacks.BADNETS -> "BadNets";
            case Attacks.NEUBA -> "NeuBA";
            case Attacks.RIPPLE -> "RIPPLe";
            case Attacks.EP -> "Embedding Poison";
            default -> attack;
        };
    }

    /** The trigger a cell of {@code attack} tests; a floor tests its attack's (the diagnosis runs floors as attacks). */
    static String trigger(String attack) {
        String tested = Attacks.isFloor(attack) ? Attacks.attackOf(attack) : attack;
        return tested.equals(Attacks.BADNETS) || tested.equals(Attacks.EP) ? "cf" : Backdoors.TABLE5;
    }
}
