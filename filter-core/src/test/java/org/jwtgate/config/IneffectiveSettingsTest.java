package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link IneffectiveSettings}: the settings given that a configuration does not use are named in one
 * warning, with where they were set and why, never their values; settings in use are never named.
 */
class IneffectiveSettingsTest {

    private static JwtGateConfig config(String... keyValues) {
        Map<String, String> settings = JwtGateConfigTest.valid();
        JwtGateConfigTest.set(keyValues).accept(settings);
        return JwtGateConfig.of(settings);
    }

    private static String warning(JwtGateConfig config) {
        Optional<String> warning = config.ineffectiveSettingsWarning();
        assertTrue(warning.isPresent(), "a warning for " + IneffectiveSettings.keys(config));
        return warning.get();
    }

    @Test
    void whenDpopIsOffThenItsAlgorithmsProofAgeAndNonceLifetimeAreNamed() {
        JwtGateConfig config = config(ConfigKeys.DPOP_ALGORITHMS, "PS512", ConfigKeys.DPOP_PROOF_MAX_AGE_SECONDS, "37",
                ConfigKeys.DPOP_NONCE_LIFETIME_SECONDS, "613");
        assertEquals(List.of(ConfigKeys.DPOP_ALGORITHMS, ConfigKeys.DPOP_PROOF_MAX_AGE_SECONDS,
                ConfigKeys.DPOP_NONCE_LIFETIME_SECONDS), IneffectiveSettings.keys(config));
        String warning = warning(config);
        assertTrue(warning.contains("[dpop.algorithms] (from settings given in code), [dpop.proof-max-age-seconds]")
                && warning.endsWith(": dpop.mode is off"), warning);
        assertFalse(warning.contains("PS512") || warning.contains("37") || warning.contains("613"), "no value: " + warning);
    }

    @Test
    void whenDpopIsOnWithoutNoncesThenOnlyTheNonceLifetimeIsNamed() {
        JwtGateConfig config = config(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_ALGORITHMS, "ES256",
                ConfigKeys.DPOP_NONCE_LIFETIME_SECONDS, "600");
        assertEquals(List.of(ConfigKeys.DPOP_NONCE_LIFETIME_SECONDS), IneffectiveSettings.keys(config));
        assertTrue(warning(config).endsWith("[dpop.nonce-lifetime-seconds] (from settings given in code): dpop.nonce is off"),
                warning(config));
    }

    @Test
    void whenTheKeyIsASecretOrAPublicKeyThenTheJwksTimingsAreNamed() {
        JwtGateConfig secret = config(ConfigKeys.JWT_JWKS_REFRESH_SECONDS, "600", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "60");
        assertEquals(List.of(ConfigKeys.JWT_JWKS_REFRESH_SECONDS, ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS),
                IneffectiveSettings.keys(secret));
        assertTrue(warning(secret).endsWith("the key comes from jwt.secret, not jwt.jwks-uri"), warning(secret));
        JwtGateConfig publicKey = config(ConfigKeys.JWT_SECRET, null,
                ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(TestTokens.rsaKeyPair()),
                ConfigKeys.JWT_JWKS_REFRESH_SECONDS, "600");
        assertTrue(warning(publicKey).endsWith("[jwt.jwks-refresh-seconds] (from settings given in code): the key comes"
                + " from jwt.public-key, not jwt.jwks-uri"), warning(publicKey));
    }

    @Test
    void whenTheStoreIsMemoryOrNoneThenTheRedisAndNearCacheSettingsAreNamedButNeverThePassword() {
        for (String store : List.of("memory", "none")) {
            JwtGateConfig config = config(ConfigKeys.REVOCATION_STORE, store, ConfigKeys.REDIS_TIMEOUT_MS, "900",
                    ConfigKeys.REDIS_USER, "app-user", ConfigKeys.REDIS_PASSWORD, "hunter2-redis", ConfigKeys.REDIS_SSL, "true",
                    ConfigKeys.REVOCATION_NEAR_CACHE, "true", ConfigKeys.REVOCATION_MAX_STALENESS_MS, "250",
                    ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, "5000");
            assertEquals(List.of(ConfigKeys.REVOCATION_NEAR_CACHE, ConfigKeys.REVOCATION_MAX_STALENESS_MS,
                    ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, ConfigKeys.REDIS_TIMEOUT_MS, ConfigKeys.REDIS_USER,
                    ConfigKeys.REDIS_PASSWORD, ConfigKeys.REDIS_SSL), IneffectiveSettings.keys(config));
            String warning = warning(config);
            assertTrue(warning.endsWith(": revocation.store is " + store + ", not a Redis store"), warning);
            assertFalse(warning.contains("hunter2-redis") || warning.contains("app-user"), "no value: " + warning);
        }
    }

    @Test
    void whenNoReplicaMustConfirmThenTheReplicaTimeoutIsNamed() {
        // revocation.store=redis has min-replicas 0 by default; redis-cluster 1, and 0 when set so.
        for (String[] store : new String[][] {{"redis"}, {"redis-cluster", ConfigKeys.REVOCATION_MIN_REPLICAS, "0"}}) {
            List<String> keyValues = new java.util.ArrayList<>(List.of(ConfigKeys.REVOCATION_STORE, store[0],
                    ConfigKeys.REDIS_NODES, "127.0.0.1:7000", ConfigKeys.REVOCATION_REPLICA_TIMEOUT_MS, "3000"));
            keyValues.addAll(List.of(store).subList(1, store.length));
            JwtGateConfig config = config(keyValues.toArray(String[]::new));
            assertEquals(List.of(ConfigKeys.REVOCATION_REPLICA_TIMEOUT_MS), IneffectiveSettings.keys(config), store[0]);
            assertTrue(warning(config).endsWith(": revocation.min-replicas is 0, so no WAIT is sent"), warning(config));
        }
        JwtGateConfig waiting = config(ConfigKeys.REVOCATION_STORE, "redis-cluster", ConfigKeys.REDIS_NODES, "127.0.0.1:7000",
                ConfigKeys.REVOCATION_REPLICA_TIMEOUT_MS, "3000");
        assertEquals(List.of(), IneffectiveSettings.keys(waiting));
    }

    @Test
    void whenTheNearCacheIsOffThenItsCapacityAndResyncAreNamedButNotMaxStalenessWhichWritersStillWait() {
        JwtGateConfig config = config(ConfigKeys.REVOCATION_STORE, "redis-cluster", ConfigKeys.REDIS_NODES, "127.0.0.1:7000",
                ConfigKeys.REVOCATION_NEAR_CACHE, "false", ConfigKeys.REVOCATION_MAX_STALENESS_MS, "1",
                ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, "5000", ConfigKeys.REVOCATION_NEAR_CACHE_RESYNC_SECONDS, "60",
                ConfigKeys.REDIS_TIMEOUT_MS, "900");
        assertEquals(List.of(ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, ConfigKeys.REVOCATION_NEAR_CACHE_RESYNC_SECONDS),
                IneffectiveSettings.keys(config));
        assertTrue(warning(config).endsWith(": revocation.near-cache is false"), warning(config));
    }

    @Test
    void whenRevocationIsAnAllowlistThenTheNearCacheSettingsAndMaxStalenessAreNamed() {
        JwtGateConfig config = config(ConfigKeys.REVOCATION_STORE, "redis", ConfigKeys.REDIS_NODES, "127.0.0.1:7000",
                ConfigKeys.REVOCATION_MODE, "allowlist", ConfigKeys.REVOCATION_NEAR_CACHE, "true",
                ConfigKeys.REVOCATION_MAX_STALENESS_MS, "50");
        assertEquals(List.of(ConfigKeys.REVOCATION_NEAR_CACHE, ConfigKeys.REVOCATION_MAX_STALENESS_MS),
                IneffectiveSettings.keys(config));
        assertTrue(warning(config).endsWith(": revocation.mode is allowlist, which the near-cache does not serve"),
                warning(config));
    }

    @Test
    void whenTheNearCacheIsSwitchedOffWhereThereIsNoneThenItIsNotNamed() {
        // It was: switching the near-cache off in allowlist mode (silencing its "not used" INFO) got a WARN instead.
        JwtGateConfig allowlist = config(ConfigKeys.REVOCATION_STORE, "redis", ConfigKeys.REDIS_NODES, "127.0.0.1:7000",
                ConfigKeys.REVOCATION_MODE, "allowlist", ConfigKeys.REVOCATION_NEAR_CACHE, "false");
        assertEquals(List.of(), IneffectiveSettings.keys(allowlist));
        assertEquals(Optional.empty(), allowlist.ineffectiveSettingsWarning());
        JwtGateConfig memory = config(ConfigKeys.REVOCATION_STORE, "memory", ConfigKeys.REVOCATION_NEAR_CACHE, "false",
                ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, "5000");
        assertEquals(List.of(ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY), IneffectiveSettings.keys(memory));
    }

    @Test
    void whenCookiesAreOffThenTheCsrfModeIsNamedUnlessItIsOff() {
        JwtGateConfig origin = config(ConfigKeys.TOKEN_COOKIE, "", ConfigKeys.CSRF_MODE, "origin");
        assertEquals(List.of(ConfigKeys.CSRF_MODE), IneffectiveSettings.keys(origin));
        assertTrue(warning(origin).contains("[csrf.mode] (from settings given in code): token.cookie is empty, so no request is"
                + " authenticated by a cookie"), warning(origin));
        assertEquals(List.of(), IneffectiveSettings.keys(config(ConfigKeys.TOKEN_COOKIE, "", ConfigKeys.CSRF_MODE, "off")));
        assertEquals(List.of(), IneffectiveSettings.keys(config(ConfigKeys.CSRF_MODE, "origin")));
    }

    @Test
    void whenEverySettingGivenIsUsedThenNoWarning() {
        JwtGateConfig config = config(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_JWKS_URI, "https://idp.example/jwks",
                ConfigKeys.JWT_JWKS_REFRESH_SECONDS, "600", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "60",
                ConfigKeys.REVOCATION_STORE, "redis-cluster", ConfigKeys.REDIS_NODES, "127.0.0.1:7000",
                ConfigKeys.REDIS_TIMEOUT_MS, "900", ConfigKeys.REDIS_KEY_PREFIX, "app:", ConfigKeys.REDIS_SSL, "true",
                ConfigKeys.REVOCATION_NEAR_CACHE, "true", ConfigKeys.REVOCATION_MAX_STALENESS_MS, "250",
                ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, "5000", ConfigKeys.REVOCATION_NEAR_CACHE_RESYNC_SECONDS, "60",
                ConfigKeys.DPOP_MODE, "required", ConfigKeys.DPOP_ALGORITHMS, "ES256",
                ConfigKeys.DPOP_PROOF_MAX_AGE_SECONDS, "30", ConfigKeys.DPOP_NONCE, "required",
                ConfigKeys.DPOP_NONCE_SECRET, TestTokens.SECRET, ConfigKeys.DPOP_NONCE_LIFETIME_SECONDS, "600");
        assertEquals(List.of(), IneffectiveSettings.keys(config));
        assertEquals(Optional.empty(), config.ineffectiveSettingsWarning());
        assertEquals(Optional.empty(), config().ineffectiveSettingsWarning(), "nothing set beyond the minimum");
    }

    @Test
    void whenSeveralRulesApplyThenOneWarningNamesEachKeyWithTheSourceItCameFrom() {
        JwtGateConfig config = JwtGateConfig.load(Map.of(ConfigKeys.JWT_SECRET, TestTokens.SECRET,
                        ConfigKeys.JWT_ISSUER, "https://issuer.example", ConfigKeys.REVOCATION_STORE, "memory",
                        ConfigKeys.DPOP_ALGORITHMS, "ES256"),
                ConfigSources.of(Map.of("JWTGATE_REDIS_PASSWORD", "hunter2-redis"),
                        Map.of("jwtgate.jwt.jwks-refresh-seconds", "600")));
        assertEquals("settings that take no effect in this configuration (remove them, or change what they depend on): "
                + "[dpop.algorithms] (from init-param): dpop.mode is off; "
                + "[jwt.jwks-refresh-seconds] (from system property jwtgate.jwt.jwks-refresh-seconds): the key comes from"
                + " jwt.secret, not jwt.jwks-uri; "
                + "[redis.password] (from environment variable JWTGATE_REDIS_PASSWORD): revocation.store is memory, not a"
                + " Redis store", warning(config));
    }
}
