package org.gba4j.cli;

import org.gba4j.classify.TextClassifier;
import org.gba4j.experiment.GridProgress;
import org.gba4j.experiment.ProgressLine;

/** A command's training progress as a {@link ProgressLine}: epoch, step, loss and time left. */
final class Progress {
    private static final ProgressLine LINE = new ProgressLine();

    private Progress() {
    }

    static void print(TextClassifier.Progress p, long startNanos) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        int done = (p.epoch() - 1) * p.stepsPerEpoch() + p.step();
        double perStep = elapsed / done;
        LINE.update(String.format("epoch %d/%d step %d/%d loss %.4f  %.1f s/step  elapsed %s  left ~%s", p.epoch(),
                p.epochs(), p.step(), p.stepsPerEpoch(), p.loss(), perStep, GridProgress.clock(elapsed),
                GridProgress.clock(perStep * remaining(p))), remaining(p) == 0);
    }

    private static int remaining(TextClassifier.Progress p) {
        return (p.epochs() - p.epoch()) * p.stepsPerEpoch() + p.stepsPerEpoch() - p.step();
    }
}
