package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NearCacheSettingsTest {

    @Test
    void whenNothingSetThenTheDocumentedDefaults() {
        assertEquals(new NearCacheSettings(true, 100, 100_000, 300), JwtGateConfig.of(JwtGateConfigTest.valid()).nearCache());
    }

    @Test
    void whenSetThenParsed() {
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.REVOCATION_NEAR_CACHE, "false");
        settings.put(ConfigKeys.REVOCATION_MAX_STALENESS_MS, "250");
        settings.put(ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, "5000");
        settings.put(ConfigKeys.REVOCATION_NEAR_CACHE_RESYNC_SECONDS, "60");
        assertEquals(new NearCacheSettings(false, 250, 5000, 60), JwtGateConfig.of(settings).nearCache());
    }

    @Test
    void whenOutOfRangeThenTheMessageNamesTheKeyAndTheValue() {
        assertRefused(ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, "0");
        assertRefused(ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, "lots");
        assertRefused(ConfigKeys.REVOCATION_NEAR_CACHE_RESYNC_SECONDS, "5");
        assertRefused(ConfigKeys.REVOCATION_NEAR_CACHE_RESYNC_SECONDS, "86401");
    }

    private static void assertRefused(String key, String value) {
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(key, value);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(settings));
        assertTrue(e.getMessage().contains("[" + key + "]") && e.getMessage().contains("[" + value + "]"), e.getMessage());
    }
}
