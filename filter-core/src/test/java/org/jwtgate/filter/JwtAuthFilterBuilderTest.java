package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;

/** The builder names the setting a caller gave no value, instead of failing later without a name. */
class JwtAuthFilterBuilderTest {

    @Test
    void whenASettingIsGivenNullThenTheErrorNamesIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> JwtAuthFilter.builder().set(ConfigKeys.JWT_ISSUER, null));
        assertTrue(refused.getMessage().contains("[jwt.issuer]"), refused.getMessage());

        Map<String, String> settings = new HashMap<>();
        settings.put(ConfigKeys.JWT_AUDIENCE, null);
        IllegalArgumentException inMap = assertThrows(IllegalArgumentException.class,
                () -> JwtAuthFilter.builder().settings(settings));
        assertTrue(inMap.getMessage().contains("[jwt.audience]"), inMap.getMessage());
    }

    @Test
    void whenTheClockIsNullThenRefused() {
        assertThrows(NullPointerException.class, () -> JwtAuthFilter.builder().clock(null));
    }
}
