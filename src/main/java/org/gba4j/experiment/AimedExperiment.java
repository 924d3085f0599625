package org.gba4j.experiment;

import java.util.List;
import java.util.Map;
import org.gba4j.defense.Defenses;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * An experiment whose GBA cells run gba4j's aimed broadcast ({@code aim=true}: GBA, then
 * {@link org.gba4j.prompt.TriggerScan}'s default scan pulls the suspects to the class-token centre), not the
 * paper's literal form. Its cells are stored apart from the literal ones (their own parameter) and its reports
 * are {@code NAME-aimed.*}, so the literal tables stay as they are. With {@code heldOut} the scan checks clean rows
 * held out from the adaptation ({@code aim=held-out}, {@link GridData#heldOutScan}; reports {@code NAME-aimed-held-out.*}).
 * With {@code consistent} N &gt; 0 the scan also moves the N tokens most consistent in the downloaded encoder
 * ({@link org.gba4j.prompt.TriggerScan.Config#consistent()}; {@code aim_consistent=N}; reports {@code ...-clsN.*}).
 */
public record AimedExperiment(Experiment base, boolean heldOut, int consistent) implements Experiment {
    public static final String AIM = "aim";
    /** The {@code aim} value of a cell whose scan checks held-out rows. */
    public static final String HELD_OUT = "held-out";
    /** The parameter of a cell whose scan also moves the most consistent tokens: how many. */
    public static final String CONSISTENT = "aim_consistent";

    public AimedExperiment {
        if (consistent < 0) {
            throw new IllegalArgumentException("the consistent tokens moved must be 0 (none) or more, got " + consistent);
        }
    }

    /** The aimed form that scans the adaptation's own rows. */
    public AimedExperiment(Experiment base) {
        this(base, false);
    }

    /** The aimed form that moves only what the scan's probes and bar find. */
    public AimedExperiment(Experiment base, boolean heldOut) {
        this(base, heldOut, 0);
    }

    /** The consistent tokens a cell's scan also moves (0: none). */
    public static int consistent(Cell cell) {
        return Integer.parseInt(cell.param(CONSISTENT, "0"));
    }

    /** Whether a cell runs the aimed broadcast (either scan). */
    public static boolean aimed(Cell cell) {
        String aim = cell.param(AIM, "false");
        return aim.equals("true") || aim.equals(HELD_OUT);
    }

    /** Whether a cell's aimed scan checks held-out rows. */
    public static boolean heldOut(Cell cell) {
        return cell.param(AIM, "false").equals(HELD_OUT);
    }

    @Override
    public String name() {
        return base.name() + (heldOut ? "-aimed-held-out" : "-aimed") + (consistent > 0 ? "-cls" + consistent : "");
    }

    @Override
    public String description() {
        return base.description() + "; GBA cells with gba4j's aimed broadcast" + (heldOut ? ", scanning held-out rows" : "")
                + (consistent > 0 ? ", also moving the " + consistent + " tokens most consistent in the downloaded encoder" : "");
    }

    @Override
    public List<PaperDataset> defaultDatasets() {
        return base.defaultDatasets();
    }

    @Override
    public List<Cell> cells(List<PaperDataset> datasets) {
        return base.cells(datasets).stream().map(c -> c.defense().equals(Defenses.GBA) ? withAim(c) : c).toList();
    }

    private Cell withAim(Cell cell) {
        Cell out = cell.with(AIM, aimValue());
        return consistent > 0 ? out.with(CONSISTENT, Integer.toString(consistent)) : out;
    }

    /** The {@code aim} parameter of this experiment's GBA cells. */
    private String aimValue() {
        return heldOut ? HELD_OUT : "true";
    }

    @Override
    public String requiredModel() {
        return base.requiredModel();
    }

    @Override
    public double[] paper(Cell cell) {
        return base.paper(cell);
    }

    @Override
    public String markdown(List<CellResult> results, List<PaperDataset> datasets) {
        return "GBA cells (PT+soft+GB) here are gba4j's **aimed** broadcast (`aim=" + aimValue()
                + "`: the paper's GBA, then the trigger scan of reports/gba-diagnosis.md with its dev-chosen default moves"
                + " the suspects to the class-token centre), not the paper's literal Eq. 3-4; the literal cells are in "
                + base.name() + ".md." + (heldOut ? " The scan probes and checks clean rows the adaptation never saw: as"
                + " many as the profile's prompt rows (each cell's `aim_scan_rows` says how many; in Figure 2 not the fraction"
                + " it adapts on), from the dev split's rows that no dev score counts (a token of either set is not"
                + " eligible)." : "") + (consistent > 0 ? " The scan also moves the " + consistent + " tokens whose"
                + " [CLS] outputs in the downloaded encoder, before adaptation, are most alike across clean texts (`"
                + CONSISTENT + "=" + consistent + "`, reports/gba-diagnosis-cls-consistency-seed43.md)." : "") + "\n\n"
                + withScanTable(base.markdown(results, datasets), results);
    }

    /** The base report, then the scan's moves where any aimed cell recorded them. */
    private static String withScanTable(String markdown, List<CellResult> results) {
        String table = AimedScanReport.render(results);
        return table.isEmpty() ? markdown : markdown.stripTrailing() + "\n\n" + table;
    }

    @Override
    public Map<String, Chart<?, ?>> plots(List<CellResult> results, List<PaperDataset> datasets) {
        Map<String, Chart<?, ?>> plots = new java.util.LinkedHashMap<>();
        base.plots(results, datasets).forEach((file, chart) -> {
            // a plot travels without its Markdown: its title says the GBA cells are not the paper's literal form
            chart.setTitle(chart.getTitle() + ", GBA aimed (gba4j)" + (heldOut ? ", held-out scan" : "")
                    + (consistent > 0 ? ", " + consistent + " consistent tokens" : ""));
            plots.put(file.replaceFirst("^" + base.name(), name()), chart);
        });
        return plots;
    }
}
