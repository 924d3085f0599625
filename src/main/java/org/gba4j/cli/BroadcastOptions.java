package org.gba4j.cli;

import java.util.Locale;
import org.gba4j.defense.BroadcastForm;
import org.gba4j.defense.BroadcastReading;

/** Parses {@code defend}'s broadcast option words. */
final class BroadcastOptions {
    private BroadcastOptions() {
    }

    static BroadcastForm form(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "coupled" -> BroadcastForm.COUPLED;
            case "decoupled" -> BroadcastForm.DECOUPLED;
            default -> throw new IllegalArgumentException("--broadcast must be coupled or decoupled, got " + word);
        };
    }

    static BroadcastReading reading(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "matrix" -> BroadcastReading.MATRIX_ROWS;
            case "positions" -> BroadcastReading.INPUT_POSITIONS;
            default -> throw new IllegalArgumentException("--broadcast-rows must be matrix or positions, got " + word);
        };
    }
}
