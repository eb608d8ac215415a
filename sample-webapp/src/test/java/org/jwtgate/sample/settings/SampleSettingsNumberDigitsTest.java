package org.jwtgate.sample.settings;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;

/**
 * JwtGate refuses a number with a sign or non-ASCII digits ("+30", docs/operations.md); the sample's own settings
 * ("as JwtGate's own do", docs/sample.md) went through Integer.parseInt, which takes "+5", "٥" and "５" as 5; they
 * take ASCII digits after an optional minus now, and refuse "-0" as JwtGate does.
 */
class SampleSettingsNumberDigitsTest {

    @Test
    void whenASampleNumberHasASignOrNonAsciiDigitsThenTheStartStops() {
        for (String value : new String[] {"+5", "\u0665", "\uff15", "-0"}) {
            assertThrows(ConfigurationException.class, () -> SampleSettings.from(
                    ConfigSources.of(Map.of("SAMPLE_LOGIN_MAX_FAILURES", value), Map.of())), "SAMPLE_LOGIN_MAX_FAILURES=" + value);
        }
        for (String value : new String[] {"+8080", "\u0668\u0660\u0668\u0660"}) {
            assertThrows(ConfigurationException.class, () -> SampleSettings.port(
                    ConfigSources.of(Map.of("PORT", value), Map.of())), "PORT=" + value);
        }
    }
}
