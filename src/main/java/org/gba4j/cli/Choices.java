package org.gba4j.cli;

import java.util.Iterator;
import java.util.List;
import org.gba4j.attack.Attacks;
import org.gba4j.defense.Defenses;

/** The words an option accepts, from the registries, so that {@code --help} lists them ({@code ${COMPLETION-CANDIDATES}}). */
final class Choices {
    private Choices() {
    }

    /** {@code attack --method}. */
    static final class AttackNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Attacks.NAMES.iterator();
        }
    }

    /** {@code defend --method}: every defense but No-Defense. */
    static final class DefenseNames implements Iterable<String> {
        static final List<String> NAMES = Defenses.NAMES.stream().filter(n -> !n.equals(Defenses.NONE)).toList();

        @Override
        public Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }
}
