package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testing.ManualClock;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private static JwtPrincipal principal(String jti, Instant expiresAt) {
        return new JwtPrincipal("alice", "alice", "https://issuer", jti, NOW.minusSeconds(60), expiresAt, Set.of(), Map.of());
    }

    @Test
    void whenTokenCachedThenTheSamePrincipalIsReturned() {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, 3600, 30, new ManualClock(NOW));
        JwtPrincipal principal = principal("j1", NOW.plusSeconds(600));
        cache.put(VerifiedTokenCache.keyOf("a.b.c"), principal, 0);
        assertSame(principal, cache.get(VerifiedTokenCache.keyOf("a.b.c"), 0));
        assertNull(cache.get(VerifiedTokenCache.keyOf("a.b.d"), 0));
    }

    @Test
    void whenAKeyWasWithdrawnSinceTheTokenWasCachedThenItIsAMissAndEvicted() {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, 3600, 30, new ManualClock(NOW));
        VerifiedTokenCache.Key key = VerifiedTokenCache.keyOf("a.b.c");
        JwtPrincipal principal = principal("j1", NOW.plusSeconds(600));
        cache.put(key, principal, 3);
        assertSame(principal, cache.get(key, 3));
        assertNull(cache.get(key, 4), "verified before the withdrawal: verify again");
        assertNull(cache.get(key, 3), "evicted");
    }

    @Test
    void whenCachedTokenExpiresThenExpiredAfterTheSkewAndEvicted() {
        ManualClock clock = new ManualClock(NOW);
        VerifiedTokenCache cache = new VerifiedTokenCache(100, 3600, 30, clock);
        VerifiedTokenCache.Key key = VerifiedTokenCache.keyOf("a.b.c");
        cache.put(key, principal("j1", NOW.plusSeconds(60)), 0);
        clock.set(NOW.plusSeconds(89));
        assertEquals("alice", cache.get(key, 0).getName(), "still within exp + clock skew");
        clock.set(NOW.plusSeconds(90));
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> cache.get(key, 0));
        assertEquals(Rejection.EXPIRED, e.rejection());
        assertEquals(0, cache.size());
        assertNull(cache.get(key, 0));
    }

    @Test
    void whenCachedTokenOutlivesMaxAgeBeforeItsExpThenTooOldWhenTheVerifierWouldSaySoAndEvicted() {
        // max-age 60 s, skew 30 s: a token issued 60 s ago and expiring in 10 minutes was verified (as a token
        // with exp − iat up to max-age + skew is). jose4j refuses it once whole seconds since iat exceed 90.
        ManualClock clock = new ManualClock(NOW);
        VerifiedTokenCache cache = new VerifiedTokenCache(100, 60, 30, clock);
        VerifiedTokenCache.Key key = VerifiedTokenCache.keyOf("a.b.c");
        cache.put(key, principal("j1", NOW.plusSeconds(600)), 0); // iat = NOW − 60 s
        clock.set(NOW.plusMillis(30_999));
        assertEquals("alice", cache.get(key, 0).getName(), "90.999 s after iat: 90 whole seconds, as old as allowed");
        clock.set(NOW.plusSeconds(31));
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> cache.get(key, 0));
        assertEquals(Rejection.TOO_OLD, e.rejection());
        assertEquals(0, cache.size());
    }

    @Test
    void whenMoreTokensThanCapacityThenSizeStaysBounded() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10, 3600, 30, new ManualClock(NOW));
        for (int i = 0; i < 1000; i++) {
            cache.put(VerifiedTokenCache.keyOf("t" + i), principal("j" + i, NOW.plusSeconds(600)), 0);
            assertTrue(cache.size() <= 10, "size " + cache.size());
        }
        assertNotNull(cache.get(VerifiedTokenCache.keyOf("t999"), 0));
        assertNull(cache.get(VerifiedTokenCache.keyOf("t0"), 0));
    }

    @Test
    void whenKeysComparedThenEqualForTheSameTokenOnly() {
        assertEquals(VerifiedTokenCache.keyOf("a.b.c"), VerifiedTokenCache.keyOf("a.b.c"));
        assertEquals(VerifiedTokenCache.keyOf("a.b.c").hashCode(), VerifiedTokenCache.keyOf("a.b.c").hashCode());
        assertNotEquals(VerifiedTokenCache.keyOf("a.b.c"), VerifiedTokenCache.keyOf("a.b.C"));
        assertFalse(VerifiedTokenCache.keyOf("secret.token.value").toString().contains("secret"));
    }

    @Test
    void whenCapacityBelowOneThenRefused() {
        // 0 means no cache: the gate builds none (token.cache-size=0), so a cache of 0 is a caller's mistake.
        assertThrows(IllegalArgumentException.class, () -> new VerifiedTokenCache(0, 3600, 30, Clock.systemUTC()));
    }
}
