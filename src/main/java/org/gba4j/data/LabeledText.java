package org.gba4j.data;

/**
 * One labelled example: a text, or a sentence pair ({@code second} non-null), and its class index.
 * A regression example (STS-B) also keeps its gold {@code score}; its {@code label} is then the
 * nearer of the two poles (LM-BFF's treatment of regression as interpolation between two classes).
 */
public record LabeledText(String text, String second, int label, double score) {

    public LabeledText {
        if (text == null) {
            throw new IllegalArgumentException("text is null");
        }
    }

    /** A classification example (no score). */
    public LabeledText(String text, String second, int label) {
        this(text, second, label, Double.NaN);
    }

    public static LabeledText single(String text, int label) {
        return new LabeledText(text, null, label);
    }

    public boolean isPair() {
        return second != null;
    }

    /** The example with another text and label; the score survives only when the label does. */
    public LabeledText withText(String newText, int newLabel) {
        return new LabeledText(newText, second, newLabel, newLabel == label ? score : Double.NaN);
    }

    public boolean hasScore() {
        return !Double.isNaN(score);
    }
}
