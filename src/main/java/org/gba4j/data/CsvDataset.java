package org.gba4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.gba4j.files.ModelFileException;

/**
 * Reads labelled text from an RFC 4180 CSV file with a header row ({@code .csv} or {@code .csv.gz}).
 * Any problem (missing file or column, malformed quoting, a label that is not a class index, no
 * rows) is one line naming the file, the row and what to do.
 */
public final class CsvDataset {

    /**
     * Which columns hold the text(s) and the label.
     *
     * @param labelNames the label column's values in class order when they are names (RTE's
     *                   entailment / not_entailment); null for integer class indices
     * @param scoreMax   positive for a regression score in [0, scoreMax] (STS-B: 5): the example
     *                   keeps the score, its label is the nearer pole (0 below scoreMax / 2, else 1)
     */
    public record Columns(String text, String second, String label, java.util.List<String> labelNames, double scoreMax) {
        public static final Columns SINGLE = new Columns("text", null, "label");

        public Columns(String text, String second, String label) {
            this(text, second, label, null, 0);
        }
    }

    private CsvDataset() {
    }

    /**
     * Reads the file as strict UTF-8: a malformed byte is an error naming its line, never a silent
     * replacement character trained on; a leading byte-order mark is skipped.
     */
    public static List<LabeledText> read(Path file, Columns columns) {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            return read(new java.io.StringReader(strictUtf8(in.readAllBytes(), file)), file.toString(), columns);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(file, "not found", "Check the path");
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read (" + e.getMessage() + ")", "Check the file");
        }
    }

    /** The text of {@code bytes}, without a leading byte-order mark; malformed UTF-8 is an error naming its line. */
    public static String strictUtf8(byte[] bytes, Path file) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        try {
            String text = decoder.decode(in).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (java.nio.charset.CharacterCodingException e) {
            int at = in.position(); // the decoder stops at the first bad byte
            int line = 1;
            for (int i = 0; i < at && i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new ModelFileException(file, "is not valid UTF-8 (line " + line + ", byte " + at + ")",
                    "Save the file as UTF-8");
        }
    }

    public static List<LabeledText> read(Reader reader, String source, Columns columns) {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        List<LabeledText> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            for (String column : new String[] {columns.text(), columns.second(), columns.label()}) {
                if (column != null && !parser.getHeaderMap().containsKey(column)) {
                    throw new ModelFileException(source, "has no column '" + column + "' (columns: "
                            + parser.getHeaderNames() + ")", "Name the right column with --text-column/--label-column");
                }
            }
            for (CSVRecord record : parser) {
                rows.add(row(record, source, columns));
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new ModelFileException(source, "is not valid CSV (" + firstLine(e.getMessage()) + ")",
                    "Use RFC 4180 CSV with a header row");
        } catch (IOException e) {
            throw new ModelFileException(source, "cannot be read (" + e.getMessage() + ")", "Check the file");
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(source, "has a bad header (" + firstLine(e.getMessage()) + ")",
                    "Use RFC 4180 CSV with a header row of unique names");
        }
        if (rows.isEmpty()) {
            throw new ModelFileException(source, "has no data rows", "Give a CSV file with a header and examples");
        }
        return rows;
    }

    /**
     * Writes single-text rows under {@link Columns#SINGLE}'s header ({@code text,label}), in the RFC 4180 format
     * {@link #read} takes back; {@code out} stays open for its owner to close.
     */
    public static void write(Writer out, List<LabeledText> rows) throws IOException {
        CSVPrinter printer = CSVFormat.RFC4180.print(out);
        printer.printRecord(Columns.SINGLE.text(), Columns.SINGLE.label());
        for (LabeledText row : rows) {
            printer.printRecord(row.text(), row.label());
        }
        printer.flush();
    }

    private static LabeledText row(CSVRecord record, String source, Columns columns) {
        if (!record.isConsistent()) {
            throw new ModelFileException(source, "row " + record.getRecordNumber() + " has " + record.size()
                    + " fields, the header has " + record.getParser().getHeaderNames().size(), "Fix or remove the row");
        }
        String label = record.get(columns.label()).trim();
        String second = columns.second() == null ? null : record.get(columns.second());
        if (columns.scoreMax() > 0) {
            double score = score(label, source, record, columns.scoreMax());
            return new LabeledText(record.get(columns.text()), second, score < columns.scoreMax() / 2 ? 0 : 1, score);
        }
        int value;
        if (columns.labelNames() != null) {
            value = columns.labelNames().indexOf(label);
            if (value < 0) {
                throw new ModelFileException(source, "row " + record.getRecordNumber() + " has label '" + label
                        + "', not one of " + columns.labelNames(), "Fix or remove the row");
            }
        } else {
            try {
                value = Integer.parseInt(label);
            } catch (NumberFormatException e) {
                throw new ModelFileException(source, "row " + record.getRecordNumber() + " has label '" + label
                        + "', not a class index", "Labels must be integers 0..classes-1");
            }
        }
        if (value < 0) {
            throw new ModelFileException(source, "row " + record.getRecordNumber() + " has negative label " + value,
                    "Labels must be integers 0..classes-1");
        }
        return new LabeledText(record.get(columns.text()), second, value);
    }

    private static double score(String value, String source, CSVRecord record, double max) {
        double score;
        try {
            score = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            score = Double.NaN;
        }
        if (!(score >= 0 && score <= max)) {
            throw new ModelFileException(source, "row " + record.getRecordNumber() + " has score '" + value
                    + "', not a number in [0, " + max + "]", "Fix or remove the row");
        }
        return score;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
