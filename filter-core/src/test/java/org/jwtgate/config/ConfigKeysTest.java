package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {

    @Test
    void whenKeyHasDotsAndDashesThenEnvironmentNameUsesUnderscores() {
        assertEquals("JWTGATE_JWT_ISSUER", ConfigKeys.environmentName(ConfigKeys.JWT_ISSUER));
        assertEquals("JWTGATE_JWT_CLOCK_SKEW_SECONDS", ConfigKeys.environmentName(ConfigKeys.JWT_CLOCK_SKEW_SECONDS));
        assertEquals("jwtgate.token.max-length", ConfigKeys.systemPropertyName(ConfigKeys.TOKEN_MAX_LENGTH));
    }

    @Test
    void whenAllKeysMappedToEnvironmentNamesThenNoTwoCollide() {
        Set<String> names = new HashSet<>();
        for (String key : ConfigKeys.all()) {
            assertTrue(names.add(ConfigKeys.environmentName(key)), key);
        }
    }

    @Test
    void whenTypoThenNearestKeyIsSuggested() {
        assertEquals(ConfigKeys.JWT_ISSUER, ConfigKeys.nearest("jwt.isuer"));
        assertEquals(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, ConfigKeys.nearest("jwt.clock-skew-second"));
        assertEquals(ConfigKeys.TOKEN_COOKIE, ConfigKeys.nearest("TOKEN_COOKIES"));
        assertNull(ConfigKeys.nearest("zzzzzzzzzzzzzzzz"));
    }

    @Test
    void whenAskedWhichKeysAreSecretThenOnlyTheTwoSecretsAndThePassword() {
        for (String key : ConfigKeys.all()) {
            assertEquals(key.equals(ConfigKeys.JWT_SECRET) || key.equals(ConfigKeys.DPOP_NONCE_SECRET)
                    || key.equals(ConfigKeys.REDIS_PASSWORD), ConfigKeys.isSecret(key), key);
        }
    }

    @Test
    void whenIssueTableKeysListedThenAllAreKnownWithTheirDefaults() {
        assertNull(ConfigKeys.defaultValue(ConfigKeys.JWT_ISSUER));
        assertEquals("30", ConfigKeys.defaultValue(ConfigKeys.JWT_CLOCK_SKEW_SECONDS));
        assertEquals("86400", ConfigKeys.defaultValue(ConfigKeys.JWT_MAX_AGE_SECONDS));
        assertEquals("sub,exp,iat,jti", ConfigKeys.defaultValue(ConfigKeys.JWT_REQUIRED_CLAIMS));
        assertEquals("Authorization", ConfigKeys.defaultValue(ConfigKeys.TOKEN_HEADER));
        assertEquals("access_token", ConfigKeys.defaultValue(ConfigKeys.TOKEN_COOKIE));
        assertEquals("8192", ConfigKeys.defaultValue(ConfigKeys.TOKEN_MAX_LENGTH));
        assertEquals("sub", ConfigKeys.defaultValue(ConfigKeys.CLAIMS_PRINCIPAL));
        assertEquals("groups", ConfigKeys.defaultValue(ConfigKeys.CLAIMS_ROLES));
        assertEquals("jwtgate", ConfigKeys.defaultValue(ConfigKeys.REALM));
        assertNull(ConfigKeys.defaultValue(ConfigKeys.REVOCATION_STORE));
        assertFalse(ConfigKeys.isKnown("jwt.isuer"));
    }
}
