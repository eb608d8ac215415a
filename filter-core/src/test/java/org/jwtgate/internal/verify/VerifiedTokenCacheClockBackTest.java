package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testing.ManualClock;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/**
 * A hit of the verified-token cache must not accept a token the verifier would refuse by the clock
 * now: after the wall clock is stepped back (NTP correcting a clock that ran ahead), a token whose {@code iat} (or
 * {@code nbf}) now lies beyond the skew ahead is refused by jose4j (ISSUED_IN_FUTURE / NOT_YET_VALID) on a miss, and was
 * accepted on a hit (a time probe's find). At the skew's edge, in whole seconds as jose4j counts, it is still accepted.
 */
class VerifiedTokenCacheClockBackTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final int SKEW = 30;

    @Test
    void whenTheClockIsSteppedBackBeforeACachedTokensIatBeyondTheSkewThenTheHitIsRefusedAsTheVerifierWould() {
        ManualClock clock = new ManualClock(NOW);
        VerifiedTokenCache cache = new VerifiedTokenCache(100, 3600, SKEW, clock);
        VerifiedTokenCache.Key key = VerifiedTokenCache.keyOf("a.b.c");
        // Verified at NOW: iat = NOW, exp = NOW + 10 min.
        cache.put(key, new JwtPrincipal("alice", "alice", "https://issuer", "j1", NOW, NOW.plusSeconds(600),
                Set.of(), Map.of()), 0);
        clock.set(NOW.minusSeconds(3600)); // the clock ran an hour ahead; NTP steps it back
        // jose4j now: iat − now = 3600 s > skew: ISSUED_IN_FUTURE.
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> cache.get(key, 0),
                "a token issued an hour ahead of this clock is accepted from the cache, refused when verified");
        assertEquals(Rejection.ISSUED_IN_FUTURE, e.rejection());
    }

    @Test
    void whenTheClockIsSteppedBackBeforeACachedTokensNbfBeyondTheSkewThenTheHitIsRefusedAsTheVerifierWould() {
        ManualClock clock = new ManualClock(NOW);
        VerifiedTokenCache cache = new VerifiedTokenCache(100, 3600, SKEW, clock);
        VerifiedTokenCache.Key key = VerifiedTokenCache.keyOf("a.b.c");
        // Issued a minute ago, valid from NOW + skew (accepted at NOW: nbf <= now + skew).
        long nbf = NOW.plusSeconds(SKEW).getEpochSecond();
        cache.put(key, new JwtPrincipal("alice", "alice", "https://issuer", "j1", NOW.minusSeconds(60),
                NOW.plusSeconds(600), Set.of(), Map.of("nbf", nbf)), 0);
        clock.set(NOW.minusSeconds(120));
        // jose4j now: now + skew < nbf: NOT_YET_VALID.
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> cache.get(key, 0),
                "a token not valid before " + Instant.ofEpochSecond(nbf) + " is accepted from the cache at "
                        + clock.instant());
        assertEquals(Rejection.NOT_YET_VALID, e.rejection());
    }

    @Test
    void whenTheClockIsSteppedBackToTheSkewsEdgeThenTheHitIsStillAcceptedAsTheVerifierWould() {
        ManualClock clock = new ManualClock(NOW);
        VerifiedTokenCache cache = new VerifiedTokenCache(100, 3600, SKEW, clock);
        VerifiedTokenCache.Key key = VerifiedTokenCache.keyOf("a.b.c");
        long nbf = NOW.getEpochSecond();
        cache.put(key, new JwtPrincipal("alice", "alice", "https://issuer", "j1", NOW, NOW.plusSeconds(600), Set.of(),
                Map.of("nbf", nbf)), 0);
        clock.set(NOW.minusSeconds(SKEW)); // now + skew == nbf == iat: jose4j accepts
        assertEquals("alice", cache.get(key, 0).getName());
        clock.set(NOW.minusSeconds(SKEW).minusMillis(1)); // a whole second earlier for jose4j: refused
        assertEquals(Rejection.NOT_YET_VALID, assertThrows(InvalidTokenException.class, () -> cache.get(key, 0)).rejection());
    }
}
