package org.gba4j.experiment;

import java.util.List;

/**
 * One table or figure of the paper as a grid of {@link Cell}s and a report laid out like the
 * paper's. Cells are listed in the order they should run (cells sharing a backdoor together, Clean-FT
 * before NAD), so shared models are built once and stay in memory while needed.
 */
public interface Experiment {

    /** The command name, e.g. {@code table2}. */
    String name();

    /** One line for {@code list} and {@code --help}. */
    String description();

    /** The tasks run when {@code --datasets} is not given. */
    List<PaperDataset> defaultDatasets();

    List<Cell> cells(List<PaperDataset> datasets);

    /** What {@code --model} must name when the profile's model cannot serve (null: any model). */
    default String requiredModel() {
        return null;
    }

    /** The Markdown body (tables, notes, paper's numbers beside ours) for finished cells. */
    String markdown(List<CellResult> results, List<PaperDataset> datasets);

    /** The paper's ASR and ACC (percent) for a cell, for the CSV's paper columns; null where the paper has none. */
    default double[] paper(Cell cell) {
        return null;
    }

    /** PNG plots: file name (without folder) to chart; none for tables. */
    default java.util.Map<String, org.knowm.xchart.internal.chartpart.Chart<?, ?>> plots(List<CellResult> results,
                                                                                        List<PaperDataset> datasets) {
        return java.util.Map.of();
    }
}
