package org.gba4j.cli;

import java.util.Locale;
import org.gba4j.classify.TextClassifier;
import org.gba4j.experiment.GridProgress;
import org.gba4j.experiment.ProgressLine;

/**
 * A command's progress as a {@link ProgressLine}: epoch, step, loss (or the stage's name) and the
 * stage's time left. A stage is timed from its own first step: an attack or a defense runs several
 * (training, then RIPPLe's post-training or the aimed scan's probes and checks).
 */
final class Progress {
    private static final ProgressLine LINE = new ProgressLine();
    private long stageStart = System.nanoTime();
    private String stage = "";
    private int lastDone = Integer.MAX_VALUE;

    void print(TextClassifier.Progress p) {
        int done = p.done();
        if (done < lastDone || !p.stage().equals(stage)) {
            stageStart = System.nanoTime() - (long) (p.secondsPerStep() * 1e9); // this stage's first step is done
            stage = p.stage();
        }
        lastDone = done;
        double elapsed = (System.nanoTime() - stageStart) / 1e9;
        double perStep = elapsed / done;
        int remaining = p.total() - done;
        LINE.update(line(p, perStep, elapsed), remaining == 0);
    }

    /** Training as epoch, step and loss; a one-pass stage (a probe, a scan's check) by its name and step. */
    static String line(TextClassifier.Progress p, double perStep, double elapsed) {
        String where = p.stage().equals(TextClassifier.Progress.TRAINING)
                ? String.format(Locale.ROOT, "epoch %d/%d step %d/%d %s", p.epoch(), p.epochs(), p.step(),
                p.stepsPerEpoch(), p.describe())
                : String.format(Locale.ROOT, "%s %d/%d", p.stage(), p.step(), p.stepsPerEpoch());
        return String.format(Locale.ROOT, "%s  %.1f s/step  elapsed %s  left ~%s", where, perStep,
                GridProgress.clock(elapsed), GridProgress.clock(perStep * (p.total() - p.done())));
    }
}
