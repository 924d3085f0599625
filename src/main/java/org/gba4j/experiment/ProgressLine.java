package org.gba4j.experiment;

/**
 * Where step-by-step progress goes: on a terminal, one self-overwriting line on stderr; under
 * {@code nohup} or a pipe, a plain stderr line at most once per {@link #PLAIN_EVERY_SECONDS} (and
 * for the last step), so logs stay readable and results on stdout stay clean.
 */
public final class ProgressLine {
    /** How often a log (not a terminal) gets a progress line. */
    public static final int PLAIN_EVERY_SECONDS = 60;
    private static final boolean TERMINAL = System.console() != null;
    private long lastPlain = System.nanoTime();
    private boolean pending;

    /** Shows {@code text}; {@code last} marks a stage's final step. */
    public void update(String text, boolean last) {
        if (TERMINAL) {
            System.err.print("\r" + text + "   ");
            System.err.flush();
            pending = true;
            return;
        }
        long now = System.nanoTime();
        if (last || now - lastPlain >= PLAIN_EVERY_SECONDS * 1_000_000_000L) {
            System.err.println(text.strip());
            lastPlain = now;
        }
    }

    /** Ends a terminal's overwritten line before other output. */
    public void end() {
        if (pending) {
            System.err.println();
            pending = false;
        }
    }
}
