package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>(Map.of("trials", "500"));

    @Test
    void whenOptionIsGivenThenItReplacesTheDefault() {
        assertEquals(3, Options.parse(new String[] {"--trials", "3"}, DEFAULTS).integer("trials", 1));
        assertEquals(500, Options.parse(new String[0], DEFAULTS).integer("trials", 1));
    }

    @Test
    void whenOptionIsUnknownThenTheErrorNamesItAndTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.parse(new String[] {"--trails", "3"}, DEFAULTS));
        assertTrue(e.getMessage().contains("[--trails]") && e.getMessage().contains("--trials 500"), e.getMessage());
    }

    @Test
    void whenNumberIsBelowTheMinimumThenTheErrorNamesOptionAndValue() {
        Options options = Options.parse(new String[] {"--trials", "0"}, DEFAULTS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options.integer("trials", 1));
        assertTrue(e.getMessage().contains("[--trials]") && e.getMessage().contains("[0]"), e.getMessage());
    }

    @Test
    void whenNumberIsAboveTheMaximumThenTheErrorNamesOptionRangeAndValue() {
        assertEquals(500, Options.parse(new String[0], DEFAULTS).integer("trials", 1, 500));
        Options options = Options.parse(new String[] {"--trials", "501"}, DEFAULTS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options.integer("trials", 1, 500));
        assertEquals("Option [--trials] must be a whole number from 1 to 500: [501]", e.getMessage());
    }

    @Test
    void whenAListHoldsSomethingElseThanNumbersThenTheErrorNamesOptionAndValue() {
        assertEquals(java.util.List.of(1, 10), Options.parse(new String[] {"--trials", "1, 10"}, DEFAULTS).integers("trials", 1));
        for (String bad : new String[] {"1,x", "1,,10", "1,0"}) {
            Options options = Options.parse(new String[] {"--trials", bad}, DEFAULTS);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options.integers("trials", 1));
            assertTrue(e.getMessage().contains("[--trials]") && e.getMessage().contains("[" + bad + "]"), e.getMessage());
        }
    }
}
