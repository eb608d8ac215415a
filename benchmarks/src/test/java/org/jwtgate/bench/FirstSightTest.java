package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.internal.verify.VerifiedTokenCache;

/** The first-sight benchmarks are only honest if cycling their pool misses the verified-token cache every time. */
class FirstSightTest {

    private static final JwtPrincipal PRINCIPAL = new JwtPrincipal("alice", "alice", "https://issuer.example", "jti",
            Instant.now(), Instant.now().plusSeconds(3600), Set.of(), Map.of());

    @Test
    void whenPoolOfBenchmarkSizeIsCycledThenEveryLookupMisses() {
        assertEquals(0, hitsOverThreeCycles(FirstSight.POOL_SIZE, FirstSight.CACHE_SIZE));
    }

    @Test
    void whenPoolFitsInTheCacheThenLookupsHit() {
        // The counter-check: the method above can see hits when there are any.
        assertTrue(hitsOverThreeCycles(FirstSight.CACHE_SIZE / 2, FirstSight.CACHE_SIZE) > 0);
    }

    private static int hitsOverThreeCycles(int poolSize, int cacheSize) {
        VerifiedTokenCache cache = new VerifiedTokenCache(cacheSize, 86_400, 0, Clock.systemUTC());
        int hits = 0;
        for (int cycle = 0; cycle < 3; cycle++) {
            for (int i = 0; i < poolSize; i++) {
                VerifiedTokenCache.Key key = VerifiedTokenCache.keyOf("token-" + i);
                if (cache.get(key, 0) != null) {
                    hits++;
                } else {
                    cache.put(key, PRINCIPAL, 0);
                }
            }
        }
        return hits;
    }
}
