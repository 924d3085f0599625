package org.gba4j.defense;

import java.util.Map;
import org.gba4j.classify.TextClassifier;
import org.gba4j.config.ConfigPairs;

/**
 * A defense (section 4.2, Table 12) with its settings: adapts a possibly backdoored model on clean
 * data and returns the classifier a user would deploy. Every implementation is a record of its
 * typed settings, built by {@link Defenses#of}, the one place that knows the defenses' names.
 */
public interface Defense {

    /** The defense's name on the command line and in cells: one of {@link Defenses#NAMES}. */
    String name();

    /** The defended classifier. */
    TextClassifier defend(DefenseJob job);

    /** Every setting that decides the defended weights, one pair each ({@link ConfigPairs}). */
    default Map<String, String> settings() {
        return ConfigPairs.write((Record) this);
    }

    /** The settings as one line, as cells have recorded them since the first release. */
    String summary();
}
