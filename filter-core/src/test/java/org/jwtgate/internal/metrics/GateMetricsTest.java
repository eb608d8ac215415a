package org.jwtgate.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.jwtgate.internal.metrics.GateMetrics.CheckPath;
import org.jwtgate.internal.metrics.GateMetrics.Outcome;
import org.jwtgate.internal.metrics.GateMetrics.Reason;
import org.jwtgate.internal.metrics.GateMetrics.RedisEvent;

class GateMetricsTest {

    /** What one recording call moved, read through {@link GateMetrics#snapshot()}. */
    private static Map<String, Long> moved(Consumer<GateMetrics> record) {
        GateMetrics metrics = new GateMetrics();
        Map<String, Long> before = metrics.snapshot();
        record.accept(metrics);
        Map<String, Long> changes = new TreeMap<>();
        metrics.snapshot().forEach((name, value) -> {
            if (value - before.get(name) != 0) {
                changes.put(name, value - before.get(name));
            }
        });
        return changes;
    }

    @Test
    void whenAnOutcomeIsRecordedThenOnlyItsCounterMoves() {
        for (Outcome outcome : Outcome.values()) {
            assertEquals(Map.of("requests." + GateMetrics.name(outcome), 1L), moved(m -> m.outcome(outcome)));
        }
    }

    @Test
    void whenARefusalIsRecordedThenItsReasonAndTheRefusedTotalMove() {
        for (Reason reason : Reason.values()) {
            assertEquals(Map.of("requests.refused", 1L, "requests.refused." + GateMetrics.name(reason), 1L),
                    moved(m -> m.refused(reason)));
        }
    }

    @Test
    void whenEachOtherFigureIsRecordedThenOnlyItMoves() {
        for (CheckPath path : CheckPath.values()) {
            assertEquals(Map.of("revocation.checks." + GateMetrics.name(path), 1L), moved(m -> m.check(path)));
        }
        for (RedisEvent event : RedisEvent.values()) {
            assertEquals(Map.of("redis." + GateMetrics.name(event), 1L), moved(m -> m.redisEvent(event)));
        }
        assertEquals(Map.of("verification.count", 1L), moved(m -> m.verification().record(1_000)));
        assertEquals(Map.of("token-cache.hits", 1L), moved(GateMetrics::cacheHit));
        assertEquals(Map.of("token-cache.misses", 1L), moved(GateMetrics::cacheMiss));
        assertEquals(Map.of("redis.calls", 1L), moved(m -> m.redisCalls().record(1_000)));
        assertEquals(Map.of("revocation.not-durable", 1L), moved(GateMetrics::notDurable));
        assertEquals(Map.of("near-cache.loads", 1L), moved(m -> m.loads().record(1_000)));
        assertEquals(Map.of("near-cache.announcements.sent", 1L), moved(GateMetrics::announcementSent));
        assertEquals(Map.of("near-cache.announcements.received", 1L), moved(GateMetrics::announcementReceived));
        assertEquals(Map.of("jwks.fetches.success", 1L), moved(m -> m.jwksFetch(true)));
        assertEquals(Map.of("jwks.fetches.failure", 1L), moved(m -> m.jwksFetch(false)));
    }

    @Test
    void whenTimedThenCountAndTotalAddUp() {
        GateMetrics metrics = new GateMetrics();
        metrics.verification().record(1_500);
        metrics.verification().record(500);
        assertEquals(2, metrics.verification().count());
        assertEquals(2_000, metrics.verification().totalNanos());
    }

    @Test
    void whenNotDurableOrProofRecordFullThenTheTimeSinceIsTakenOnTheMonotonicClock() {
        // Health's windows ("in the last 5 minutes") once compared wall-clock stamps: a clock set back by NTP or a
        // resumed VM kept health DEGRADED for as long as the step, with a negative age in its detail.
        AtomicLong nanos = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
        GateMetrics metrics = new GateMetrics(nanos::get);
        assertEquals(-1, metrics.millisSinceNotDurable());
        assertEquals(-1, metrics.millisSinceProofRecordFull());
        metrics.notDurable();
        nanos.addAndGet(1_500_000_000L);
        metrics.proofRecordFull();
        nanos.addAndGet(3_000_000_000L);
        assertEquals(4_500, metrics.millisSinceNotDurable());
        assertEquals(3_000, metrics.millisSinceProofRecordFull());
    }

    @Test
    void whenRedisRefusedAWriteThenItsWordsAndAgeAreKeptPerKindOnTheMonotonicClock() {
        AtomicLong nanos = new AtomicLong(-5_000_000_000L);
        GateMetrics metrics = new GateMetrics(nanos::get);
        assertNull(metrics.lastWritesRefused(GateMetrics.RedisWrite.REVOCATION));
        assertNull(metrics.lastWritesRefused(GateMetrics.RedisWrite.PROOF_RECORD));
        metrics.writesRefused(GateMetrics.RedisWrite.PROOF_RECORD, "NOREPLICAS Not enough good replicas to write");
        nanos.addAndGet(2_500_000_000L);
        assertEquals(new GateMetrics.WritesRefused("NOREPLICAS Not enough good replicas to write", 2_500),
                metrics.lastWritesRefused(GateMetrics.RedisWrite.PROOF_RECORD));
        assertNull(metrics.lastWritesRefused(GateMetrics.RedisWrite.REVOCATION), "kept per kind of write");
        metrics.writesRefused(GateMetrics.RedisWrite.PROOF_RECORD, "READONLY You can't write against a read only replica");
        nanos.addAndGet(1_000_000_000L);
        assertEquals(new GateMetrics.WritesRefused("READONLY You can't write against a read only replica", 1_000),
                metrics.lastWritesRefused(GateMetrics.RedisWrite.PROOF_RECORD), "the last refusal, with its own time");
        assertEquals(Map.of(), moved(m -> m.writesRefused(GateMetrics.RedisWrite.REVOCATION, "OOM")),
                "no counter moves: the redis.other event counts the failure");
    }

    @Test
    void whenGaugesAttachedThenTheyAreRead() {
        GateMetrics metrics = new GateMetrics();
        assertEquals(0, metrics.cacheSize());
        assertNull(metrics.nearCache());
        assertNull(metrics.jwks());
        metrics.attachCacheSize(() -> 42);
        assertEquals(42, metrics.cacheSize());
        GateMetrics.JwksGauges jwks = new GateMetrics.JwksGauges() {
            public int keys() { return 2; }
            public long millisSinceLastSuccess() { return 10; }
        };
        metrics.attachJwks(jwks);
        assertSame(jwks, metrics.jwks());
    }

    @Test
    void whenAnOwnerRegisteredThenItsMetricsAreFoundElseAFreshSet() {
        Object owner = new Object();
        GateMetrics metrics = new GateMetrics();
        GateMetrics.register(owner, metrics);
        assertSame(metrics, GateMetrics.of(owner));
        assertTrue(GateMetrics.of(new Object()) != metrics);
    }

    @Test
    void whenNamedThenLowerCaseWithDashes() {
        assertEquals("not-yet-valid", GateMetrics.name(Reason.NOT_YET_VALID));
        assertEquals("fail-open", GateMetrics.name(Outcome.FAIL_OPEN));
    }
}
