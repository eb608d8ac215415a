package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwt.consumer.NumericDateValidator;
import org.junit.jupiter.api.Test;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testing.ManualClock;
import org.jwtgate.verify.InvalidTokenException;

/**
 * A hit of the verified-token cache is refused while the token's nbf or iat lies beyond the skew
 * ahead, "as jose4j would, in whole seconds". Each case here is decided twice, by the cache and by jose4j's own
 * {@link NumericDateValidator} configured as JwtVerifier configures it (exp and iat required, iat up to 0 s ahead and
 * max-age behind, the skew), at the same instant, on claims jose4j parsed itself (so a fractional {@code nbf} is its
 * Double): a token jose4j accepts must never be refused from the cache, and one it refuses must not be accepted.
 */
class VerifiedTokenCacheJose4jTest {

    private static final int SKEW = 30;
    private static final int MAX_AGE = 3600;

    /** null: accepted; otherwise jose4j's refusal. */
    private static String jose4j(JwtClaims claims, long nowMillis) throws Exception {
        NumericDateValidator validator = new NumericDateValidator();
        validator.setRequireExp(true);
        validator.setRequireIat(true);
        validator.setAllowedClockSkewSeconds(SKEW);
        validator.setIatAllowedSecondsInTheFuture(0);
        validator.setIatAllowedSecondsInThePast(MAX_AGE);
        validator.setEvaluationTime(NumericDate.fromMilliseconds(nowMillis));
        var error = validator.validate(new JwtContext(claims, List.of()));
        return error == null ? null : error.getErrorMessage();
    }

    /** null: a hit; otherwise the cache's refusal. */
    private static String cache(JwtClaims claims, long nowMillis) throws Exception {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(nowMillis));
        VerifiedTokenCache cache = new VerifiedTokenCache(100, MAX_AGE, SKEW, clock);
        VerifiedTokenCache.Key key = VerifiedTokenCache.keyOf("a.b.c");
        // As JwtVerifier.toPrincipal makes it.
        cache.put(key, new JwtPrincipal("alice", "alice", "https://issuer", "j1",
                Instant.ofEpochSecond(claims.getIssuedAt().getValue()),
                Instant.ofEpochSecond(claims.getExpirationTime().getValue()), Set.of(), claims.getClaimsMap()), 0);
        try {
            return cache.get(key, 0) == null ? "miss" : null;
        } catch (InvalidTokenException e) {
            return e.rejection().name();
        }
    }

    private static List<String> disagreements(String[] claimSets, long[] nows) throws Exception {
        List<String> found = new ArrayList<>();
        for (String json : claimSets) {
            for (long now : nows) {
                JwtClaims claims = JwtClaims.parse(json);
                String byJose4j = jose4j(claims, now);
                String byCache = cache(claims, now);
                if ((byJose4j == null) != (byCache == null)) {
                    found.add(json + " at " + now + " ms: jose4j " + (byJose4j == null ? "accepts" : "refuses (" + byJose4j
                            + ")") + ", the cache " + (byCache == null ? "accepts" : "refuses (" + byCache + ")"));
                }
            }
        }
        return found;
    }

    /**
     * A clock before 1970 (a ManualClock, a container whose clock was never set): jose4j's NumericDate.fromMilliseconds
     * divides toward zero (-1500 ms is second -1), the cache's Math.floorDiv toward minus infinity (second -2): a token
     * jose4j accepts there, nbf and iat exactly at the skew's edge, is refused from the cache.
     */
    @Test
    void beforeTheEpochTheCacheDecidesAsJose4jDoes() throws Exception {
        String[] claimSets = {
                "{\"iat\":-10,\"exp\":600,\"nbf\":29}", // nbf at the edge: -1 + 30 s
                "{\"iat\":29,\"exp\":600}",             // iat at the edge
        };
        assertEquals(List.of(), disagreements(claimSets, new long[] {-1500, -1001, -1999}));
    }

    /** After 1970, fractional nbf and iat (jose4j's Doubles) and instants inside a second, around the skew's edge. */
    @Test
    void afterTheEpochTheCacheDecidesAsJose4jDoesWithFractionalClaims() throws Exception {
        long t = 1_900_000_000L;
        String[] claimSets = {
                "{\"iat\":" + (t - 10) + ",\"exp\":" + (t + 600) + ",\"nbf\":" + (t + SKEW) + ".999}",
                "{\"iat\":" + (t - 10) + ",\"exp\":" + (t + 600) + ",\"nbf\":" + (t + SKEW + 1) + ".0}",
                "{\"iat\":" + (t - 10) + ",\"exp\":" + (t + 600) + ",\"nbf\":" + (t + SKEW) + "}",
                "{\"iat\":" + (t + SKEW) + ".5,\"exp\":" + (t + 600) + "}",
                "{\"iat\":" + (t + SKEW + 1) + ",\"exp\":" + (t + 600) + "}",
                "{\"iat\":" + (t - 10) + ",\"exp\":" + (t + 600) + ",\"nbf\":-1e300}",
                "{\"iat\":" + (t - 10) + ",\"exp\":" + (t + 600) + ",\"nbf\":-0.5}",
                "{\"iat\":" + (t - 10) + ",\"exp\":" + (t + 600) + ",\"nbf\":null}",
        };
        assertEquals(List.of(), disagreements(claimSets,
                new long[] {t * 1000, t * 1000 + 1, t * 1000 + 999, t * 1000 - 1, (t - 1) * 1000 + 500}));
    }
}
