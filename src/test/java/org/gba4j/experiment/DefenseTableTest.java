package org.gba4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which trigger a cell tests: a floor the same as the attack it mirrors. */
class DefenseTableTest {

    @Test
    void aFloorTestsTheTriggerOfTheAttackItMirrors() {
        assertEquals("cf", DefenseTable.trigger("badnets"));
        assertEquals("cf", DefenseTable.trigger("never-attacked-badnets"));
        assertEquals("cf", DefenseTable.trigger("never-attacked-ep"));
        assertEquals(Backdoors.TABLE5, DefenseTable.trigger("ripple"));
        assertEquals(Backdoors.TABLE5, DefenseTable.trigger("never-attacked-neuba"));
    }
}
