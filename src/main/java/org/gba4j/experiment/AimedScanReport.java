package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.gba4j.prompt.TriggerScan.Suspect;

/**
 * What the aimed scan moved in each aimed cell: which of the triggers the cell's test inserts are among the tokens
 * pulled to the class-token centre, and how many other tokens went with them. Why: an aimed cell's ASR alone cannot
 * say whether the scan found the trigger (a low ASR) or missed it (an ASR at prompt tuning's level); the cells
 * record their suspects ({@value #SUSPECTS}), and this table reads them, so the report says it instead of a reader
 * of the CSV.
 */
final class AimedScanReport {
    /** The configuration entry in which a cell records the suspects it moved. */
    static final String SUSPECTS = "aim_suspects";

    private AimedScanReport() {
    }

    /** The recorded form: {@code [token->class@flipRate, ...]}, strongest first per class. */
    static String describe(List<Suspect> suspects) {
        return suspects.stream().map(s -> s.token() + "->" + s.toClass() + "@" + s.flipRate()).toList().toString();
    }

    /** The tokens of a recorded {@link #describe} list, in its order. */
    static List<String> tokens(String recorded) {
        String body = recorded.strip();
        if (!body.startsWith("[") || !body.endsWith("]")) {
            throw new IllegalArgumentException("not a recorded suspect list: " + recorded);
        }
        body = body.substring(1, body.length() - 1).strip();
        List<String> tokens = new ArrayList<>();
        for (String entry : body.isEmpty() ? new String[0] : body.split(", ")) {
            int arrow = entry.lastIndexOf("->");
            if (arrow <= 0) {
                throw new IllegalArgumentException("not a recorded suspect: " + entry);
            }
            tokens.add(entry.substring(0, arrow));
        }
        return tokens;
    }

    /** The parameters a figure varies (fig2's fraction, fig4's lambda), the aimed scan's own left out; empty if none. */
    private static String setting(Cell cell) {
        return cell.params().entrySet().stream().filter(e -> !e.getKey().equals(AimedExperiment.AIM)
                        && !e.getKey().equals(AimedExperiment.CONSISTENT)).sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /**
     * The table, one row per aimed cell that recorded its suspects, in the results' order; empty if none did. A
     * grid that plants several triggers per task and attack (fig3) gets a Trigger column, so its rows can be told
     * apart, and one whose cells vary a parameter (fig2's fraction) a Setting column; the others keep the narrower
     * table.
     */
    static String render(List<CellResult> results) {
        List<CellResult> aimed = results.stream()
                .filter(r -> AimedExperiment.aimed(r.cell()) && r.config().get(SUSPECTS) != null).toList();
        if (aimed.isEmpty()) {
            return "";
        }
        boolean triggerColumn = aimed.stream().collect(Collectors.groupingBy(r -> List.of(r.cell().dataset(),
                r.cell().attack(), r.run().getOrDefault("seed", "")), Collectors.mapping(r -> r.cell().trigger(),
                Collectors.toSet()))).values().stream().anyMatch(triggers -> triggers.size() > 1);
        boolean settingColumn = aimed.stream().anyMatch(r -> !setting(r.cell()).isEmpty());
        List<String> header = new ArrayList<>(List.of("Task", "Attack", "Seed", "Test triggers moved",
                "Other tokens moved", "ASR after"));
        if (settingColumn) {
            header.add(3, "Setting");
        }
        if (triggerColumn) {
            header.add(2, "Trigger");
        }
        MarkdownTable table = new MarkdownTable(header);
        for (CellResult r : aimed) {
            String foundText;
            String others;
            try {
                List<String> moved = tokens(r.config().get(SUSPECTS));
                List<String> triggers = Backdoors.triggers(r.cell().trigger());
                List<String> found = triggers.stream().filter(moved::contains).toList();
                foundText = found.isEmpty() ? "none of " + triggers.size()
                        : found.size() + " of " + triggers.size() + " (" + String.join(", ", found) + ")";
                others = Integer.toString(moved.size() - found.size());
            } catch (IllegalArgumentException e) { // a hand-edited report CSV: this row says so, the report stands
                foundText = "unreadable record";
                others = "-";
            }
            List<String> row = new ArrayList<>(List.of(PaperDataset.of(r.cell().dataset()).title(),
                    DefenseTable.attackLabel(r.cell().attack()), r.run().getOrDefault("seed", ""), foundText, others,
                    MarkdownTable.percent(r.metric("asr"))));
            if (settingColumn) {
                String setting = setting(r.cell());
                row.add(3, setting.isEmpty() ? "-" : setting);
            }
            if (triggerColumn) {
                row.add(2, r.cell().trigger());
            }
            table.row(row);
        }
        return "What the scan moved (each aimed cell's `" + SUSPECTS + "` in the CSV): the triggers the cell's test"
                + " inserts that are among the tokens moved to the class-token centre, and how many other tokens moved"
                + " with them. On a never-attacked model nothing was planted: a test trigger moved there was a false"
                + " alarm on a token the test uses.\n\n" + table.render();
    }
}
