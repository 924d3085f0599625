package org.gba4j.experiment;

import java.util.List;
import java.util.Map;
import org.gba4j.defense.Defenses;
import org.gba4j.prompt.TriggerScan;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * An experiment whose GBA cells run gba4j's aimed broadcast ({@code aim=true}: GBA, then
 * {@link org.gba4j.prompt.TriggerScan}'s default scan pulls the suspects to the class-token centre), not the
 * paper's literal form. Its cells are stored apart from the literal ones (their own parameter) and its reports
 * are {@code NAME-aimed.*}, so the literal tables stay as they are. Its {@link Scan} says which clean rows the scan
 * checks: the adaptation's own, rows held out from it ({@code aim=held-out}, {@link GridData#heldOutScan}; reports
 * {@code NAME-aimed-held-out.*}), or both ({@code aim=both}; reports {@code NAME-aimed-both.*}).
 * With {@code consistent} N &gt; 0 the scan also moves the N tokens most consistent in the downloaded encoder
 * ({@link org.gba4j.prompt.TriggerScan.Config#consistent()}; {@code aim_consistent=N}; reports {@code ...-clsN.*}).
 * With {@code pull} PAD the suspects go to the [PAD] row instead of the class-token centre ({@code aim_pull=pad};
 * reports {@code ...-pad.*}).
 */
public record AimedExperiment(Experiment base, Scan scan, int consistent, TriggerScan.PullTarget pull)
        implements Experiment {
    public static final String AIM = "aim";
    /** The parameter of a cell whose scan also moves the most consistent tokens: how many. */
    public static final String CONSISTENT = "aim_consistent";
    /** The parameter of a cell whose suspects are moved elsewhere than the class-token centre: where. */
    public static final String PULL = "aim_pull";

    /** The clean rows the aimed scan checks; each is a value of a cell's {@code aim} and a suffix of its reports. */
    public enum Scan {
        /** The rows the adaptation fit (gba4j's default: a defender needs no other data). */
        OWN("true", "-aimed", "", "--aim"),
        /** Clean rows the adaptation never saw: a trigger it weakened still flips them (GbaDiagnosis, Yelp seed 43). */
        HELD_OUT("held-out", "-aimed-held-out", ", held-out scan", "--aim-held-out"),
        /**
         * Both, each scanned on its own, and the union of their suspects moved: on MR with Embedding Poisoning the
         * own-row scan missed the trigger at 1% and 5% of the data and the held-out one at 20% (Figure 2).
         */
        BOTH("both", "-aimed-both", ", own and held-out scans", "--aim-both");

        private final String value;
        private final String suffix;
        private final String title;
        private final String option;

        Scan(String value, String suffix, String title, String option) {
            this.value = value;
            this.suffix = suffix;
            this.title = title;
            this.option = option;
        }

        /** The grid option that selects this scan. */
        public String option() {
            return option;
        }

        /** Whether this scan checks rows held out from the adaptation. */
        public boolean usesHeldOut() {
            return this != OWN;
        }

        /** The scan a cell's {@code aim} parameter names; empty for a literal (not aimed) cell. */
        static java.util.Optional<Scan> of(Cell cell) {
            String aim = cell.param(AIM, "false");
            return java.util.Arrays.stream(values()).filter(s -> s.value.equals(aim)).findFirst();
        }
    }

    public AimedExperiment {
        if (scan == null) {
            throw new IllegalArgumentException("the aimed scan's rows are required (" + java.util.Arrays.toString(Scan.values())
                    + ")");
        }
        if (consistent < 0) {
            throw new IllegalArgumentException("the consistent tokens moved must be 0 (none) or more, got " + consistent);
        }
        if (pull == null) {
            throw new IllegalArgumentException("the aimed scan's pull target is required ("
                    + java.util.Arrays.toString(TriggerScan.PullTarget.values()) + ")");
        }
    }

    /** The aimed form that moves its suspects to the class-token centre. */
    public AimedExperiment(Experiment base, Scan scan, int consistent) {
        this(base, scan, consistent, TriggerScan.PullTarget.CENTRE);
    }

    /** The aimed form that scans the adaptation's own rows. */
    public AimedExperiment(Experiment base) {
        this(base, Scan.OWN);
    }

    /** The aimed form that moves only what the scan's probes and bar find. */
    public AimedExperiment(Experiment base, Scan scan) {
        this(base, scan, 0);
    }

    /** The consistent tokens a cell's scan also moves (0: none). */
    public static int consistent(Cell cell) {
        return Integer.parseInt(cell.param(CONSISTENT, "0"));
    }

    /** Where a cell's scan moves its suspects (the class-token centre unless the cell says otherwise). */
    public static TriggerScan.PullTarget pull(Cell cell) {
        return TriggerScan.PullTarget.valueOf(cell.param(PULL, "centre").toUpperCase(java.util.Locale.ROOT));
    }

    /** Whether a cell runs the aimed broadcast (any scan). */
    public static boolean aimed(Cell cell) {
        return Scan.of(cell).isPresent();
    }

    /** Whether a cell's aimed scan checks held-out rows (alone or beside its own). */
    public static boolean heldOut(Cell cell) {
        return Scan.of(cell).map(Scan::usesHeldOut).orElse(false);
    }

    /** Whether a cell's aimed scan checks both the adaptation's rows and held-out ones. */
    public static boolean both(Cell cell) {
        return Scan.of(cell).orElse(null) == Scan.BOTH;
    }

    @Override
    public String name() {
        return base.name() + scan.suffix + (consistent > 0 ? "-cls" + consistent : "") + pullSuffix();
    }

    @Override
    public String description() {
        return base.description() + "; GBA cells with gba4j's aimed broadcast" + (scan == Scan.HELD_OUT
                ? ", scanning held-out rows" : scan == Scan.BOTH ? ", scanning its own rows and held-out ones" : "")
                + (consistent > 0 ? ", also moving the " + consistent + " tokens most consistent in the downloaded encoder" : "")
                + (pull == TriggerScan.PullTarget.CENTRE ? "" : ", suspects moved to the [PAD] row");
    }

    /** {@code -pad} where the suspects go to the [PAD] row; nothing for the centre, so earlier reports keep their names. */
    private String pullSuffix() {
        return pull == TriggerScan.PullTarget.CENTRE ? "" : "-" + pull.name().toLowerCase(java.util.Locale.ROOT);
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
        Cell out = cell.with(AIM, scan.value);
        out = consistent > 0 ? out.with(CONSISTENT, Integer.toString(consistent)) : out;
        // the centre adds no parameter: cells stored before the choice existed stay the centre's
        return pull == TriggerScan.PullTarget.CENTRE ? out : out.with(PULL, pull.name().toLowerCase(java.util.Locale.ROOT));
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
        return "GBA cells (PT+soft+GB) here are gba4j's **aimed** broadcast (`aim=" + scan.value
                + "`: the paper's GBA, then the trigger scan of reports/gba-diagnosis.md with its dev-chosen default moves"
                + " the suspects to " + (pull == TriggerScan.PullTarget.CENTRE ? "the class-token centre" : "the [PAD] row, `"
                + PULL + "=pad`") + "), not the paper's literal Eq. 3-4; the literal cells are in "
                + base.name() + ".md." + (scan == Scan.BOTH ? " Two scans, the union of their suspects moved: one on"
                + " the rows the adaptation fit, one on held-out rows." : "") + (scan.usesHeldOut() ? " The held-out scan probes and checks clean rows the"
                + " adaptation never saw: as"
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
            chart.setTitle(chart.getTitle() + ", GBA aimed (gba4j)" + scan.title
                    + (consistent > 0 ? ", " + consistent + " consistent tokens" : "")
                    + (pull == TriggerScan.PullTarget.CENTRE ? "" : ", pulled to [PAD]"));
            plots.put(file.replaceFirst("^" + base.name(), name()), chart);
        });
        return plots;
    }
}
