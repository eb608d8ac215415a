package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwtgate.internal.revocation.nearcache.NearCacheRevocationStoreTest.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.NearCacheSettings;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testing.ManualClock;

/**
 * The near-cache when it cannot answer alone (not fresh, or the wall clock stepped): what it holds as revoked stays
 * refused, and it does not say it is fresh (found by a probe of the near-cache; both failed before).
 */
class NearCacheNotFreshTest {

    private static final RevocationKeys KEYS = new RevocationKeys("jwtgate:");
    private static final int STALENESS_MS = 300;

    private final FakeFeed feed = new FakeFeed();
    private final AtomicInteger redisReads = new AtomicInteger();
    private NearCacheRevocationStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    /**
     * After a forward step of the wall clock every check reads Redis until the reload it asks for succeeds; while that
     * reload failed (a slot migrating, a master down) the near-cache still reported itself fresh — in stats().fresh(),
     * the gauges, and so in health ("near-cache: fresh", DEGRADED instead of DOWN when the store is down) — although
     * it answers no check locally, and with the store down every check fails (503 when failing closed).
     */
    @Test
    void whenTheClockSteppedForwardAndTheReloadFailsThenTheNearCacheMustNotClaimToBeFresh() throws Exception {
        AtomicBoolean redisDown = new AtomicBoolean();
        ManualClock clock = new ManualClock(Instant.now());
        GateMetrics metrics = new GateMetrics();
        RevocationStore direct = feed.directStore(redisReads);
        RevocationStore flaky = failingWhen(redisDown, direct, "the user's master is down");
        store = new NearCacheRevocationStore(flaky, feed, KEYS, new NearCacheSettings(true, STALENESS_MS, 100, 300),
                Duration.ofSeconds(1), Duration.ofSeconds(1), clock, metrics);
        TokenRef token = token();
        store.isRevoked(token);
        await("fresh", store::isFresh);
        assertFalse(store.isRevoked(token));

        feed.scansFail = true; // the reload the step asks for fails (e.g. CLUSTERDOWN / slot migrating)
        int scans = feed.scans.get();
        clock.advance(Duration.ofSeconds(30)); // NTP steps the wall clock forward
        await("the step to be noticed (checks confirmed in Redis)", () -> {
            long confirmed = store.stats().confirmedChecks();
            store.isRevoked(token);
            return store.stats().confirmedChecks() > confirmed;
        });
        await("a failed reload", () -> feed.scans.get() > scans);
        redisDown.set(true);   // and the user's master is down

        boolean claimsFresh = store.stats().fresh();
        String outcome;
        try {
            outcome = "answered " + store.isRevoked(token);
        } catch (RevocationUnavailableException e) {
            outcome = "threw " + e.getMessage();
        }
        assertFalse(claimsFresh, "stats().fresh()=true (health: near-cache fresh, DEGRADED not DOWN) while the check "
                + outcome + "; stats " + store.stats());
        assertTrue(outcome.startsWith("threw"), outcome);
        assertFalse(store.isFresh());
    }

    /**
     * A token this instance holds as revoked (announced and applied) must not turn into "cannot tell" when the
     * near-cache stops being fresh and Redis does not answer: revocations only grow (a local REVOKED stays true), yet
     * the check went to Redis and threw, which revocation.failure-mode=open turned into an accepted request
     * (TokenAuthentication.checkRevocation; ReviewFailOpenIT showed it on a real cluster, its master killed), and
     * closed into a 503 instead of a 401.
     */
    @Test
    void whenNotFreshAndRedisDownThenATokenKnownRevokedLocallyIsStillRefused() throws Exception {
        AtomicBoolean redisDown = new AtomicBoolean();
        RevocationStore direct = feed.directStore(redisReads);
        RevocationStore flaky = failingWhen(redisDown, direct, "Redis down");
        store = new NearCacheRevocationStore(new AnnouncingRevocationStore(flaky, feed, KEYS,
                Duration.ofMillis(STALENESS_MS), Clock.systemUTC()), feed, KEYS,
                new NearCacheSettings(true, STALENESS_MS, 100, 300), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Clock.systemUTC(), new GateMetrics());
        store.isRevoked(token());
        await("fresh", store::isFresh);
        TokenRef stolen = token();
        store.revokeToken(stolen, Duration.ofMinutes(10)); // announced, applied, acknowledged
        await("fresh", store::isFresh);
        assertTrue(store.isRevoked(stolen));
        assertEquals(1, store.stats().exactEntries());

        feed.heartbeatsFail = true; // the channel's master fails: subscription dropped
        redisDown.set(true);        // and the revoked user's master is down too (or the whole cluster)
        await("not fresh", () -> !store.isFresh());

        String outcome;
        try {
            outcome = "answered " + store.isRevoked(stolen);
        } catch (RevocationUnavailableException e) {
            outcome = "threw RevocationUnavailableException (failure-mode=open: request passes): " + e.getMessage();
        }
        assertEquals("answered true", outcome, "local state still holds it: " + store.stats());
    }

    /** {@code direct}, whose checks throw while {@code down} is set (the user's master down). */
    private static RevocationStore failingWhen(AtomicBoolean down, RevocationStore direct, String failure) {
        return new RevocationStore() {
            @Override
            public boolean isRevoked(TokenRef token) {
                if (down.get()) {
                    throw new RevocationUnavailableException(failure);
                }
                return direct.isRevoked(token);
            }

            @Override
            public RevocationResult revokeToken(TokenRef token, Duration ttl) {
                return direct.revokeToken(token, ttl);
            }

            @Override
            public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
                return direct.revokeUser(subject, instant, ttl);
            }

            @Override
            public RevocationResult register(TokenRef token, Duration ttl) {
                return direct.register(token, ttl);
            }

            @Override
            public String describe() {
                return "failing when down";
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Not fresh while Redis answers: Redis decides, as the docs say (checks read Redis), so a revocation an operator
     * deleted there ends at once; the local state answers only for a check Redis cannot answer (a review's find: my
     * first fix refused from the local state first, and a suspended instance, which loads nothing, kept it for good).
     */
    @Test
    void whenNotFreshAndRedisAnswersThenRedisDecidesARevocationDeletedByHand() throws Exception {
        store = new NearCacheRevocationStore(new AnnouncingRevocationStore(feed.directStore(redisReads), feed, KEYS,
                Duration.ofMillis(STALENESS_MS), Clock.systemUTC()), feed, KEYS,
                new NearCacheSettings(true, STALENESS_MS, 100, 300), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Clock.systemUTC(), new GateMetrics());
        store.isRevoked(token());
        await("fresh", store::isFresh);
        TokenRef revoked = token();
        store.revokeToken(revoked, Duration.ofMinutes(10));
        assertTrue(store.isRevoked(revoked));

        feed.heartbeatsFail = true;
        await("not fresh", () -> !store.isFresh());
        assertTrue(feed.deleteByHand(KEYS.tokenKey(revoked)));
        int reads = redisReads.get();
        assertFalse(store.isRevoked(revoked), "Redis no longer holds it: " + store.stats());
        assertEquals(reads + 1, redisReads.get(), "read from Redis");
    }

    /**
     * After a forward step of the wall clock, Redis down: a revocation held here is still refused (an entry outlives
     * every token it covers, so no step makes it refuse a valid one). It threw, a pass with failure-mode=open.
     */
    @Test
    void whenTheClockSteppedAndRedisIsDownThenATokenHeldRevokedIsStillRefused() throws Exception {
        AtomicBoolean redisDown = new AtomicBoolean();
        ManualClock clock = new ManualClock(Instant.now());
        RevocationStore flaky = failingWhen(redisDown, feed.directStore(redisReads), "Redis down");
        store = new NearCacheRevocationStore(new AnnouncingRevocationStore(flaky, feed, KEYS,
                Duration.ofMillis(STALENESS_MS), clock), feed, KEYS, new NearCacheSettings(true, STALENESS_MS, 100, 300),
                Duration.ofSeconds(1), Duration.ofSeconds(1), clock, new GateMetrics());
        store.isRevoked(token());
        await("fresh", store::isFresh);
        TokenRef revoked = token();
        store.revokeToken(revoked, Duration.ofMinutes(10));
        assertTrue(store.isRevoked(revoked));

        feed.scansFail = true; // the reload the step asks for fails
        clock.advance(Duration.ofSeconds(30));
        await("the step noticed", () -> !store.isFresh());
        redisDown.set(true);
        assertTrue(store.isRevoked(revoked), "held as revoked: " + store.stats());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        NearCacheApps.await(what, Duration.ofSeconds(10), condition);
    }
}
