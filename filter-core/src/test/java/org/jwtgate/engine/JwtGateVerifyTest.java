package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testing.ManualClock;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;
import org.jwtgate.verify.Rejection;

/** {@link JwtGate#verify(String)} answers alike whether the verified-token cache is on or off. */
class JwtGateVerifyTest {

    private static JwtGate gate(int cacheSize, Clock clock, String... extra) {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.TOKEN_CACHE_SIZE, Integer.toString(cacheSize));
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                settings.remove(extra[i]);
            } else {
                settings.put(extra[i], extra[i + 1]);
            }
        }
        return JwtGate.start(JwtGateConfig.of(settings), null, clock);
    }

    @ParameterizedTest(name = "token.cache-size={0}")
    @ValueSource(ints = {0, 10_000})
    void whenTheTokenIsNullThenMalformedNotANullPointerException(int cacheSize) {
        try (JwtGate gate = gate(cacheSize, Clock.systemUTC())) {
            InvalidTokenException refused = assertThrows(InvalidTokenException.class, () -> gate.verify(null));
            assertEquals(Rejection.MALFORMED, refused.rejection());
        }
    }

    @ParameterizedTest(name = "token.cache-size={0}")
    @ValueSource(ints = {0, 10_000})
    void whenThePublicKeyIsMarkedRsaPssThenItsPs256TokensVerifyAndItsRs256TokensDoNot(int cacheSize) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSASSA-PSS");
        generator.initialize(2048);
        KeyPair pss = generator.generateKeyPair();
        try (JwtGate gate = gate(cacheSize, Clock.systemUTC(), ConfigKeys.JWT_SECRET, null,
                ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(pss))) {
            JwtPrincipal user = gate.verify(TestTokens.sign(TestTokens.claims("alice"), "PS256", pss.getPrivate(), jws -> { }));
            assertEquals("alice", user.getName());
            // RFC 4055: the key is for PSS signatures only; a PKCS#1 v1.5 signature by it is not accepted.
            InvalidTokenException refused = assertThrows(InvalidTokenException.class, () -> gate.verify(
                    TestTokens.sign(TestTokens.claims("alice"), "RS256", pss.getPrivate(), jws -> { })));
            assertEquals(Rejection.ALGORITHM_NOT_ALLOWED, refused.rejection());
        }
    }

    @Test
    void whenNoStoreAndATokenWithoutJtiIsVerifiedThenIsRevokedRefusesItAsItsJavadocSays() {
        // revocation.store=none lets jwt.required-claims leave out jti (a store needs it), so JwtGate.verify accepts
        // such a token; RevocationService.isRevoked documents the IllegalArgumentException it then throws.
        try (JwtGate gate = gate(0, Clock.systemUTC(), ConfigKeys.REVOCATION_STORE, "none",
                ConfigKeys.JWT_REQUIRED_CLAIMS, "sub,exp,iat")) {
            JwtClaims claims = TestTokens.claims("alice");
            claims.unsetClaim("jti");
            JwtPrincipal user = gate.verify(TestTokens.hs256(claims));
            assertEquals(null, user.tokenId());
            assertThrows(IllegalArgumentException.class, () -> gate.revocation().isRevoked(user));
        }
    }

    @Test
    void whenNoStoreThenNoRevocationCheckIsCountedSinceNoneIsMade() {
        // Before, each request's check of revocation.store=none (which answers "not revoked" without asking anything)
        // was counted as one read from the store: jwtgate.revocation.checks{path="store"} grew with the traffic.
        try (JwtGate gate = gate(0, Clock.systemUTC(), ConfigKeys.REVOCATION_STORE, "none")) {
            JwtPrincipal user = gate.verify(TestTokens.hs256("alice"));
            assertFalse(gate.revocation().isRevoked(user));
            assertEquals(0, GateMetrics.of(gate).checks(GateMetrics.CheckPath.STORE));
        }
        try (JwtGate gate = gate(0, Clock.systemUTC(), ConfigKeys.REVOCATION_STORE, "memory")) {
            assertFalse(gate.revocation().isRevoked(gate.verify(TestTokens.hs256("alice"))));
            assertEquals(1, GateMetrics.of(gate).checks(GateMetrics.CheckPath.STORE), "a store without near-cache");
        }
    }

    @Test
    void whenACachedTokenGrowsOlderThanMaxAgeBeforeItsExpThenTooOldAsTheVerifierWouldSay() {
        // max-age 60 s, skew 30 s: exp − iat = 90 s is allowed, so this token's age runs out 10 s before its exp
        // (plus skew). The verifier reads the system clock; the cache reads this one, started at the same time.
        ManualClock clock = new ManualClock(Instant.now());
        try (JwtGate gate = gate(10_000, clock, ConfigKeys.JWT_MAX_AGE_SECONDS, "60",
                ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "30")) {
            JwtClaims claims = TestTokens.claims("alice");
            // From the fake clock's start, not from now: the cache's bound is then exact whenever the gate started.
            long start = clock.instant().getEpochSecond();
            claims.setIssuedAt(NumericDate.fromSeconds(start - 80));
            claims.setExpirationTime(NumericDate.fromSeconds(start + 10));
            String token = TestTokens.hs256(claims);
            assertEquals("alice", gate.verify(token).getName());
            clock.advance(Duration.ofSeconds(11));
            InvalidTokenException refused = assertThrows(InvalidTokenException.class, () -> gate.verify(token));
            assertEquals(Rejection.TOO_OLD, refused.rejection(), "a cache hit answers as the verifier would");
        }
    }

    private static String jwks(KeyPair pair, String kid) throws Exception {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        jwk.setKeyId(kid);
        return new JsonWebKeySet(List.<JsonWebKey>of(jwk)).toJson();
    }

    private static String rs256(KeyPair pair, String kid, String subject) {
        return TestTokens.sign(TestTokens.claims(subject), "RS256", pair.getPrivate(), jws -> jws.setKeyIdHeaderValue(kid));
    }

    /** A gate verifying by the JWKS in {@code file}, refetched at most every second, its verified-token cache on. */
    private static JwtGate gateOverJwks(Path file) {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_JWKS_URI, file.toUri().toString());
        settings.put(ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "1");
        settings.put(ConfigKeys.TOKEN_CACHE_SIZE, "10000");
        return JwtGate.start(JwtGateConfig.of(settings), null, Clock.systemUTC());
    }

    /** Waits out jwt.jwks-min-refresh-seconds=1, then makes a token naming an unknown kid refresh the set. */
    private static void refreshTheSet(JwtGate gate) throws InterruptedException {
        Thread.sleep(1_300);
        assertThrows(RuntimeException.class, () -> gate.verify(rs256(TestTokens.rsaKeyPair(), "unknown", "mallory")));
    }

    @Test
    void whenTheJwksWithdrawsTheKeyOfACachedTokenThenTheTokenIsRefusedAsAnUncachedOneWould(@TempDir Path directory)
            throws Exception {
        // A key the issuer removes from its set (it leaked) must stop verifying the tokens it signed, cached or not.
        KeyPair leaked = TestTokens.rsaKeyPair();
        KeyPair successor = TestTokens.rsaKeyPair();
        Path file = directory.resolve("jwks.json");
        Files.writeString(file, jwks(leaked, "k1"));
        try (JwtGate gate = gateOverJwks(file)) {
            String token = rs256(leaked, "k1", "alice");
            assertEquals("alice", gate.verify(token).getName());

            Files.writeString(file, jwks(successor, "k2"));
            refreshTheSet(gate);
            assertEquals("bob", gate.verify(rs256(successor, "k2", "bob")).getName(), "the set was refreshed");
            InvalidTokenException withdrawn = assertThrows(InvalidTokenException.class, () -> gate.verify(token),
                    "a token signed by a key the set no longer holds");
            assertEquals(Rejection.UNKNOWN_KEY, withdrawn.rejection());

            Files.writeString(file, "{\"keys\":[]}");
            refreshTheSet(gate);
            String successorToken = rs256(successor, "k2", "carol");
            assertThrows(KeysUnavailableException.class, () -> gate.verify(successorToken), "no key held: 503");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"use=enc", "key_ops=encrypt", "alg=PS256", "kid=k1-renamed"})
    void whenTheJwksKeepsTheKeyOfACachedTokenButNoLongerForItThenTheTokenIsRefusedAsAnUncachedOneWould(String change,
            @TempDir Path directory) throws Exception {
        // The same key material, but the set now marks it for encryption only or for another algorithm, or names it by
        // another kid: verified afresh, the token finds no key, so a cached verification must not be trusted either.
        KeyPair pair = TestTokens.rsaKeyPair();
        KeyPair successor = TestTokens.rsaKeyPair();
        Path file = directory.resolve("jwks.json");
        Files.writeString(file, jwks(pair, "k1"));
        try (JwtGate gate = gateOverJwks(file)) {
            String token = rs256(pair, "k1", "alice");
            assertEquals("alice", gate.verify(token).getName());

            PublicJsonWebKey kept = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            kept.setKeyId("k1");
            String value = change.substring(change.indexOf('=') + 1);
            switch (change.substring(0, change.indexOf('='))) {
                case "use" -> kept.setUse(value);
                case "key_ops" -> kept.setKeyOps(List.of(value));
                case "alg" -> kept.setAlgorithm(value);
                default -> kept.setKeyId(value);
            }
            PublicJsonWebKey next = PublicJsonWebKey.Factory.newPublicJwk(successor.getPublic());
            next.setKeyId("k2");
            Files.writeString(file, new JsonWebKeySet(List.<JsonWebKey>of(kept, next)).toJson());
            refreshTheSet(gate);
            assertEquals("bob", gate.verify(rs256(successor, "k2", "bob")).getName(), "the set was refreshed");
            InvalidTokenException refused = assertThrows(InvalidTokenException.class, () -> gate.verify(token),
                    "the set holds no key for this token any more");
            assertEquals(Rejection.UNKNOWN_KEY, refused.rejection());
        }
    }

    @Test
    void whenTheJwksIsRefreshedWithTheSameKeysThenCachedTokensStayCached(@TempDir Path directory) throws Exception {
        KeyPair pair = TestTokens.rsaKeyPair();
        Path file = directory.resolve("jwks.json");
        Files.writeString(file, jwks(pair, "k1"));
        try (JwtGate gate = gateOverJwks(file)) {
            String token = rs256(pair, "k1", "alice");
            gate.verify(token);
            long fetches = GateMetrics.of(gate).jwksFetches(true);
            refreshTheSet(gate);
            assertEquals(fetches + 1, GateMetrics.of(gate).jwksFetches(true), "the set was fetched again, unchanged");
            long misses = GateMetrics.of(gate).cacheMisses();
            assertEquals("alice", gate.verify(token).getName());
            assertEquals(misses, GateMetrics.of(gate).cacheMisses(), "still a cache hit");
        }
    }
}
