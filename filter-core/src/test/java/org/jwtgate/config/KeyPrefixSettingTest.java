package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** which redis.key-prefix values start, and whether a refusal names the setting. */
class KeyPrefixSettingTest {

    private static Map<String, String> cluster(String prefix) {
        Map<String, String> settings = new HashMap<>();
        settings.put(ConfigKeys.JWT_SECRET, "0123456789abcdefghijklmnopqrstuvwxyz");
        settings.put(ConfigKeys.JWT_ISSUER, "https://issuer");
        settings.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        settings.put(ConfigKeys.REDIS_NODES, "127.0.0.1:7000");
        settings.put(ConfigKeys.REDIS_KEY_PREFIX, prefix);
        return settings;
    }

    @Test
    void whenThePrefixHoldsABraceASpaceOrAnInvisibleCharacterThenTheRefusalNamesTheSetting() {
        for (String prefix : new String[] {"app}:", "{app:", "my app:", "app\t:", "app\u00a0:"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(cluster(prefix)),
                    "[" + prefix + "]");
            assertTrue(e.getMessage().contains("[redis.key-prefix]"), e.getMessage());
        }
    }

    @Test
    void whenThePrefixHoldsColonsGlobCharactersOrUnicodeThenItIsTakenAsGiven() {
        for (String prefix : new String[] {"a:b:", "tën*[a]?\\:中:", "jwtgate:dpop:", "x"}) {
            assertEquals(prefix, JwtGateConfig.of(cluster(prefix)).redis().keyPrefix());
        }
    }
}
