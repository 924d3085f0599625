package org.gba4j.experiment;

import java.io.PrintStream;
import java.util.Locale;
import org.gba4j.classify.TextClassifier;

/**
 * The console display of a grid run: a line when a cell starts and ends, and between them a
 * {@link ProgressLine} with the current training stage's step, loss and time left, and the
 * grid's estimated time left (mean time of the cells computed so far times the cells to go).
 */
public final class GridProgress {
    private final PrintStream out;
    private final int toCompute;
    private int computed;
    private double secondsComputed;
    private long cellStart;
    private long stageStart;
    private String lastStage = "";
    private int lastStep = Integer.MAX_VALUE;
    private String label = "";
    private final ProgressLine line = new ProgressLine();

    GridProgress(PrintStream out, int toCompute) {
        this.out = out;
        this.toCompute = toCompute;
    }

    void startCell(int index, int total, Cell cell) {
        label = String.format(Locale.ROOT, "[%d/%d] %s", index, total, cell.id());
        cellStart = System.nanoTime();
        stageStart = cellStart;
        lastStep = Integer.MAX_VALUE;
        out.println(label + " ...");
    }

    /** One training step of the cell's current stage (attack, teacher, defense or adaptation). */
    void step(TextClassifier.Progress p) {
        int done = p.done();
        if (done < lastStep || !p.stage().equals(lastStage)) { // a new stage began
            stageStart = System.nanoTime();
        }
        lastStep = done;
        lastStage = p.stage();
        int total = p.total();
        double stageElapsed = (System.nanoTime() - stageStart) / 1e9;
        double stageLeft = stageElapsed / done * (total - done);
        line.update(String.format(Locale.ROOT, "  step %d/%d %s  %.1f s/step  stage left ~%s  cell %s  grid left ~%s",
                done, total, p.describe(), p.secondsPerStep(), clock(stageLeft), clock(cellSeconds()), gridLeft()), done == total);
    }

    void endCell(CellResult result) {
        computed++;
        secondsComputed += result.wallSeconds();
        StringBuilder scores = new StringBuilder();
        result.metrics().entrySet().stream().filter(e -> !e.getKey().startsWith("rmse")).sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> scores.append(String.format(Locale.ROOT, " %s %.4f", e.getKey(), e.getValue())));
        line.end();
        out.printf(Locale.ROOT, "  done in %s:%s  (grid left ~%s)%n", clock(result.wallSeconds()), scores, gridLeft());
    }

    private double cellSeconds() {
        return (System.nanoTime() - cellStart) / 1e9;
    }

    private String gridLeft() {
        if (computed == 0) {
            return "?";
        }
        double mean = secondsComputed / computed;
        return clock(Math.max(0, mean * (toCompute - computed) - cellSeconds()));
    }

    /** A duration as h:mm:ss, for every progress line and report. */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
