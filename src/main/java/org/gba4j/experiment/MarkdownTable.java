package org.gba4j.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A GitHub-flavoured Markdown table, built row by row. */
public final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public MarkdownTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    public MarkdownTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, header " + header.size());
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    /** A percentage with two decimals, "-" for a missing value. */
    public static String percent(double fraction) {
        return number(100 * fraction);
    }

    /** Ours, then the paper's number in parentheses (already a percentage in the paper). */
    public static String versus(double oursFraction, double paperPercent) {
        return versusAsIs(100 * oursFraction, paperPercent);
    }

    /** Ours and the paper's in the same units (correlations, ASRR), two decimals, "-" for a missing value. */
    public static String versusAsIs(double ours, double paper) {
        return number(ours) + " (" + number(paper) + ")";
    }

    /** Two decimals, "-" for a missing value. */
    public static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> out.append("---|"));
        out.append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }
}
