package org.gba4j.data;

/**
 * One labelled example: a text, or a sentence pair ({@code second} non-null), and its class index.
 */
public record LabeledText(String text, String second, int label) {

    public LabeledText {
        if (text == null) {
            throw new IllegalArgumentException("text is null");
        }
    }

    public static LabeledText single(String text, int label) {
        return new LabeledText(text, null, label);
    }

    public boolean isPair() {
        return second != null;
    }

    public LabeledText withText(String newText, int newLabel) {
        return new LabeledText(newText, second, newLabel);
    }
}
