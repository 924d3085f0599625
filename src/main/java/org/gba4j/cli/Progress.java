package org.gba4j.cli;

import org.gba4j.classify.TextClassifier;
import org.gba4j.experiment.GridProgress;

/** One self-overwriting console line: epoch, step, loss and time left. */
final class Progress {
    private Progress() {
    }

    static void print(TextClassifier.Progress p, long startNanos) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        int done = (p.epoch() - 1) * p.stepsPerEpoch() + p.step();
        double perStep = elapsed / done;
        System.out.printf("\repoch %d/%d step %d/%d loss %.4f  %.1f s/step  elapsed %s  left ~%s   ", p.epoch(), p.epochs(),
                p.step(), p.stepsPerEpoch(), p.loss(), perStep, GridProgress.clock(elapsed),
                GridProgress.clock(perStep * remaining(p)));
        System.out.flush();
    }

    private static int remaining(TextClassifier.Progress p) {
        return (p.epochs() - p.epoch()) * p.stepsPerEpoch() + p.stepsPerEpoch() - p.step();
    }
}
