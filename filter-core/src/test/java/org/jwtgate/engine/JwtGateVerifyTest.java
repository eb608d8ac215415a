package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.testing.ManualClock;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/** {@link JwtGate#verify(String)} answers alike whether the verified-token cache is on or off. */
class JwtGateVerifyTest {

    private static JwtGate gate(int cacheSize, Clock clock, String... extra) {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.TOKEN_CACHE_SIZE, Integer.toString(cacheSize));
        for (int i = 0; i < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
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
}
