package org.gba4j.experiment;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.gba4j.attack.Attacks;
import org.gba4j.data.CsvDataset;
import org.gba4j.files.ModelFileException;

/**
 * Reads back a report CSV that {@link ReportWriter} wrote: one {@link CellResult} per row, its rates turned back
 * into fractions. It lets seeds run in different sessions or on different machines be reported together
 * ({@code combine}) without recomputing a cell. The file is untrusted: its size is bounded before it is read, and a
 * missing column, a bad number or a row of another experiment is one error naming the file, row and column.
 */
public final class ReportReader {
    /** Far above any grid's report (table2 over three seeds: about 1 MB). */
    static final long MAX_BYTES = 64L << 20;

    /**
     * Reports written before the table2 floors (2026-11-27) call BadNets' floor {@code never-attacked}: it was the
     * only floor then, and it is read as {@code never-attacked-badnets}.
     */
    static final String LEGACY_FLOOR = "never-attacked";

    /** A report's rows: the experiment named in its {@code experiment} column, and its cells. */
    public record Report(Path file, String experiment, List<CellResult> results) {
        public Report {
            results = List.copyOf(results);
        }
    }

    private ReportReader() {
    }

    public static Report read(Path file) {
        String text = text(file, "a report CSV", "Give a report CSV written by a grid command");
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        List<CellResult> results = new ArrayList<>();
        String experiment = null;
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            List<String> header = parser.getHeaderNames();
            for (String column : ReportWriter.FIXED) {
                if (!header.contains(column)) {
                    throw new ModelFileException(file, "has no column '" + column + "', so it is not a gba4j report",
                            "Give a report CSV written by a grid command (reports/NAME.csv)");
                }
            }
            for (CSVRecord record : parser) {
                if (!record.isConsistent()) {
                    throw new ModelFileException(file, "row " + record.getRecordNumber() + " has " + record.size()
                            + " fields, the header has " + header.size(), "Give the report as its grid wrote it");
                }
                String name = record.get("experiment");
                if (experiment == null) {
                    experiment = name;
                } else if (!experiment.equals(name)) {
                    throw new ModelFileException(file, "row " + record.getRecordNumber() + " is of experiment '" + name
                            + "', earlier rows of '" + experiment + "'", "Give one experiment's report per file");
                }
                results.add(row(record, header, file));
            }
        } catch (UncheckedIOException | IllegalStateException | IOException e) {
            throw new ModelFileException(file, "is not valid CSV (" + e.getMessage() + ")",
                    "Give a report CSV written by a grid command");
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "has a bad header (" + e.getMessage() + ")",
                    "Give a report CSV written by a grid command");
        }
        if (results.isEmpty()) {
            throw new ModelFileException(file, "has no cells", "Give a report CSV with at least one finished cell");
        }
        return new Report(file, experiment, results);
    }

    /**
     * A report file's text, its size checked against {@link #MAX_BYTES} before it is read and its bytes strict UTF-8;
     * {@code what} names the kind of file in the error, {@code remedy} says what to give instead.
     */
    static String text(Path file, String what, String remedy) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ModelFileException(file, "is " + size + " bytes, more than " + what + " can be (" + MAX_BYTES
                        + ")", remedy);
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read (" + e.getMessage() + ")", "Check the path");
        }
        return CsvDataset.strictUtf8(bytes, file);
    }

    private static CellResult row(CSVRecord record, List<String> header, Path file) {
        String attack = record.get("attack");
        Cell cell = new Cell(record.get("dataset"), attack.equals(LEGACY_FLOOR) ? Attacks.floorOf(Attacks.BADNETS) : attack,
                record.get("trigger"), record.get("defense"), params(record, file));
        Map<String, String> run = new LinkedHashMap<>();
        for (String key : List.of("model", "profile", "seed")) {
            if (!record.get(key).isEmpty()) {
                run.put(key, record.get(key));
            }
        }
        if (!record.get("seed").matches("-?[0-9]{1,18}")) {
            throw new ModelFileException(file, "row " + record.getRecordNumber() + " has seed '" + record.get("seed")
                    + "', not an integer", "Give the report as its grid wrote it");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (ReportWriter.MetricColumn column : ReportWriter.METRIC_COLUMNS) {
            double value = number(record, column.column(), file);
            if (!Double.isNaN(value)) {
                metrics.put(column.metric(), value / column.scale());
            }
        }
        Map<String, String> config = new LinkedHashMap<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (String column : header) {
            String value = record.get(column);
            if (value.isEmpty() || ReportWriter.FIXED.contains(column) || column.equals("fingerprint")) {
                continue;
            }
            if (column.startsWith("setting.")) {
                settings.put(column.substring("setting.".length()), value);
            } else {
                config.put(column, value);
            }
        }
        double wall = number(record, "wall_s", file);
        String fingerprint = header.contains("fingerprint") && !record.get("fingerprint").isEmpty()
                ? record.get("fingerprint") : null;
        return new CellResult(cell, run, metrics, config, Double.isNaN(wall) ? 0 : wall, record.get("code_version"),
                record.get("finished_at"), settings, fingerprint);
    }

    /** {@code a=1;b=2} as written by {@link ReportWriter}. */
    private static Map<String, String> params(CSVRecord record, Path file) {
        Map<String, String> params = new LinkedHashMap<>();
        String text = record.get("params");
        if (text.isEmpty()) {
            return params;
        }
        for (String pair : text.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ModelFileException(file, "row " + record.getRecordNumber() + " has params '" + text
                        + "', not name=value pairs separated by ';'", "Give the report as its grid wrote it");
            }
            params.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return params;
    }

    /** The column's number; NaN when empty (a metric the cell does not have). */
    private static double number(CSVRecord record, String column, Path file) {
        String text = record.get(column);
        if (text.isEmpty()) {
            return Double.NaN;
        }
        try {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ModelFileException(file, "row " + record.getRecordNumber() + " has '" + text + "' in column "
                    + column + ", not a number", "Give the report as its grid wrote it");
        }
    }
}
