package org.gba4j.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gba4j.attack.Attack;
import org.gba4j.attack.Attacks;
import org.gba4j.classify.FineTuning;
import org.gba4j.defense.Defense;
import org.gba4j.defense.Defenses;
import org.gba4j.prompt.BroadcastForm;
import org.gba4j.prompt.BroadcastReading;
import org.gba4j.prompt.BroadcastSettings;
import org.gba4j.prompt.PromptConfig;
import org.gba4j.prompt.TriggerScan;
import org.junit.jupiter.api.Test;

class ConfigPairsTest {

    private static final Attacks.Plan QUICK = new Attacks.Plan(false, List.of("cf", "mn"), 1, 32, 2, 43, 8, "austen", 100);

    @Test
    void everyRegisteredAttackRoundTripsItsSettings() {
        for (boolean paper : List.of(false, true)) {
            for (String name : Attacks.NAMES) {
                Attack attack = Attacks.of(name, new Attacks.Plan(paper, QUICK.triggers(), 1, 32, 2, 43, 8, "austen", 100));
                assertEquals(name, attack.name());
                Record back = ConfigPairs.read(((Record) attack).getClass(), attack.settings());
                assertEquals(attack, back, name);
            }
        }
    }

    @Test
    void everyRegisteredDefenseRoundTripsItsSettings() {
        FineTuning fineTuning = new FineTuning(1e-4, 3, 32, 64, 44);
        for (String name : Defenses.NAMES) {
            PromptConfig prompt = Defenses.promptBased(name) ? PromptConfig.defaults(Defenses.mode(name)) : null;
            if (name.equals(Defenses.GBA)) {
                prompt = prompt.withBroadcast(new BroadcastSettings(0.7, BroadcastForm.DECOUPLED, 0.05,
                        BroadcastReading.INPUT_POSITIONS, 3.0)).withAim(TriggerScan.Config.DEFAULT);
            }
            Defense defense = Defenses.of(name, new Defenses.Plan(fineTuning, 2000, prompt));
            assertEquals(name, defense.name());
            assertEquals(defense, ConfigPairs.read(((Record) defense).getClass(), defense.settings()), name);
        }
    }

    @Test
    void pairsAreNamedPerHyperparameter() {
        Map<String, String> pairs = Attacks.of(Attacks.EP, QUICK).settings();
        assertEquals("0.05", pairs.get("config.learning_rate"));
        assertEquals("2", pairs.get("config.epochs")); // the plan's epoch cap
        assertEquals("1.0E-4", pairs.get("proxy.learning_rate"));
        assertEquals(List.of("cf"), Attacks.of(Attacks.EP, QUICK).triggers()); // BadNets and EP plant the first
        assertEquals(List.of("cf", "mn"), Attacks.of(Attacks.RIPPLE, QUICK).triggers());
        Map<String, String> neuba = Attacks.of(Attacks.NEUBA, QUICK).settings();
        assertEquals("cf,mn", neuba.get("triggers"));
        assertEquals("start", neuba.get("config.insertion"));
        assertEquals("8", neuba.get("config.steps"));
    }

    @Test
    void aMissingOrUnreadableValueIsNamed() {
        Map<String, String> pairs = new LinkedHashMap<>(ConfigPairs.write(new FineTuning(1e-4, 3, 32, 64, 42)));
        pairs.remove("epochs");
        assertEquals("configuration key 'epochs' is missing",
                assertThrows(IllegalArgumentException.class, () -> ConfigPairs.read(FineTuning.class, pairs)).getMessage());
        pairs.put("epochs", "three");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigPairs.read(FineTuning.class, pairs))
                .getMessage().startsWith("configuration key 'epochs': cannot read 'three'"));
    }

    @Test
    void theFingerprintIgnoresOrderAndSeesEveryValue() {
        Map<String, String> a = new LinkedHashMap<>(Map.of("x", "1", "y", "2"));
        Map<String, String> b = new LinkedHashMap<>();
        b.put("y", "2");
        b.put("x", "1");
        assertEquals(ConfigPairs.fingerprint(a), ConfigPairs.fingerprint(b));
        b.put("x", "1.0");
        assertNotEquals(ConfigPairs.fingerprint(a), ConfigPairs.fingerprint(b));
        assertEquals(16, ConfigPairs.fingerprint(a).length());
        assertEquals("learning_rate", ConfigPairs.snake("learningRate"));
    }

    /** A configuration that gained a component after settings were stored. */
    private record Grown(int rows, @ConfigPairs.Default("0") int added) {
    }

    @Test
    void aComponentAtItsDefaultIsNotWrittenAndReadsBackAsTheDefault() {
        assertEquals(Map.of("rows", "4"), ConfigPairs.write(new Grown(4, 0)));
        assertEquals(Map.of("rows", "4", "added", "3"), ConfigPairs.write(new Grown(4, 3)));
        assertEquals(new Grown(4, 0), ConfigPairs.read(Grown.class, Map.of("rows", "4")));
        assertEquals(new Grown(4, 3), ConfigPairs.read(Grown.class, Map.of("rows", "4", "added", "3")));
    }

    @Test
    void theAimedScansPairsAreTheOnesStoredCellsWereFingerprintedWith() {
        // the representation probe came after table2-aimed's cells were stored: off, it adds no pair
        assertEquals(List.of("rows", "candidates", "min_flip_rate", "min_lift", "probe", "context_pool"),
                List.copyOf(ConfigPairs.write(TriggerScan.Config.DEFAULT).keySet()));
        assertEquals("20", ConfigPairs.write(TriggerScan.Config.DEFAULT.withConsistent(20)).get("consistent"));
        // nor does the pull target at its first value, the class-token centre
        TriggerScan.Config pad = TriggerScan.Config.DEFAULT.withPull(TriggerScan.PullTarget.PAD);
        assertEquals("pad", ConfigPairs.write(pad).get("pull"));
        assertEquals(pad, ConfigPairs.read(TriggerScan.Config.class, ConfigPairs.write(pad)));
    }
}
