package org.gba4j.cli;

import java.nio.file.Path;
import java.util.List;
import org.gba4j.data.CsvDataset;
import org.gba4j.data.LabeledText;
import picocli.CommandLine.Option;

/** The CSV column and row-limit options that every command reading labelled data shares (a picocli mixin). */
final class CsvOptions {

    @Option(names = "--text-column", defaultValue = "text", description = "default: ${DEFAULT-VALUE}")
    String textColumn;

    @Option(names = "--second-column", description = "second text of sentence pairs")
    String secondColumn;

    @Option(names = "--label-column", defaultValue = "label", description = "default: ${DEFAULT-VALUE}")
    String labelColumn;

    @Option(names = "--limit", defaultValue = "0", description = "use only the first N rows of the data (0 = all)")
    int limit;

    void validate() {
        OptionChecks.atLeast("--limit", limit, 0);
    }

    /** The options as one line, for a stage's key. */
    String describe() {
        return "text=" + textColumn + ",second=" + secondColumn + ",label=" + labelColumn + ",limit=" + limit;
    }

    /** The file's rows, cut to {@code --limit}. */
    List<LabeledText> read(Path file) {
        List<LabeledText> data = CsvDataset.read(file, new CsvDataset.Columns(textColumn, secondColumn, labelColumn));
        return limit > 0 && limit < data.size() ? data.subList(0, limit) : data;
    }
}
