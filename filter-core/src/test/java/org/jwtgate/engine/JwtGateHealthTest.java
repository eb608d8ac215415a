package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.testkit.tokens.TestTokens;

/** The verdict of {@link JwtGate#health()} for each state the docs name, with a stub store. */
class JwtGateHealthTest {

    private final RevocationStore store = mock(RevocationStore.class);

    private JwtGate gate(String... extra) {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        for (int i = 0; i < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        return JwtGate.start(JwtGateConfig.of(settings), store, Clock.systemUTC());
    }

    @Test
    void whenTheStoreAnswersThenUpWithDetails() {
        when(store.isHealthy()).thenReturn(true);
        try (JwtGate gate = gate()) {
            Health health = gate.health();
            assertEquals(Health.Status.UP, health.status());
            assertEquals("secret", health.details().get("keys"));
            assertEquals("memory up", health.details().get("revocation-store"));
            assertEquals("closed", health.details().get("failure-mode"));
            assertEquals("off", health.details().get("near-cache"));
        }
    }

    /** Closed, its store and keys answer nothing: every check fails, and health said UP from the store's last word. */
    @Test
    void whenTheGateIsClosedThenDown() {
        when(store.isHealthy()).thenReturn(true);
        JwtGate gate = gate();
        gate.close();
        Health health = gate.health();
        assertEquals(Health.Status.DOWN, health.status());
        assertEquals(Map.of("gate", "closed"), health.details());
        assertThrows(NullPointerException.class, () -> JwtGate.start(JwtGateConfig.of(TestTokens.settings()), store, null));
    }

    @Test
    void whenTheStoreIsDownWhileFailingClosedThenDown() {
        when(store.isHealthy()).thenReturn(false);
        try (JwtGate gate = gate()) {
            assertEquals(Health.Status.DOWN, gate.health().status());
            assertEquals("memory down", gate.health().details().get("revocation-store"));
        }
    }

    @Test
    void whenTheStoreIsDownWhileFailingOpenThenDegraded() {
        when(store.isHealthy()).thenReturn(false);
        try (JwtGate gate = gate("revocation.failure-mode", "open")) {
            assertEquals(Health.Status.DEGRADED, gate.health().status());
        }
    }

    @Test
    void whenNoRevocationStoreThenUpAndSaysSo() {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put("revocation.store", "none");
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings))) {
            assertEquals(Health.Status.UP, gate.health().status());
            assertEquals("none", gate.health().details().get("revocation-store"));
        }
    }

    @Test
    void whenARevocationMissedItsReplicasRecentlyThenDegraded() {
        when(store.isHealthy()).thenReturn(true);
        // The stub takes the place of the Redis store the settings name: nothing connects to 127.0.0.1:1.
        try (JwtGate gate = gate("revocation.store", "redis-cluster", "redis.nodes", "127.0.0.1:1",
                "revocation.min-replicas", "1")) {
            assertEquals("ok", gate.health().details().get("durability"));
            GateMetrics.of(gate).notDurable();
            assertEquals(Health.Status.DEGRADED, gate.health().status());
            assertEquals("short: a revocation in the last 5 min was not confirmed by 1 replica(s)",
                    gate.health().details().get("durability"));
        }
    }

    /**
     * A proof met a full record (Redis out of memory, the in-memory cap): every new DPoP request gets 503 while the
     * probes pass. Before, health said UP (the operations review).
     */
    @Test
    void whenADpopProofMetAFullRecordRecentlyThenDegradedAndTheStoreDetailSaysSo() {
        when(store.isHealthy()).thenReturn(true);
        try (JwtGate gate = gate("revocation.store", "memory", "dpop.mode", "allowed")) {
            assertEquals(Health.Status.UP, gate.health().status());
            GateMetrics.of(gate).proofRecordFull();
            Health health = gate.health();
            assertEquals(Health.Status.DEGRADED, health.status(), health.toString());
            assertEquals("memory up (DPoP proof records refused: full (the in-memory record holds as many proofs as it"
                    + " can), 0 s ago)", health.details().get("revocation-store"));
        }
    }

    /**
     * Redis answers reads (the probes pass) but refused a proof record or a revocation (NOREPLICAS, MISCONF, READONLY,
     * OOM): every such write fails until Redis changes. Before, health said UP; now DEGRADED for the next minute,
     * naming Redis's refusal, the store still up.
     */
    @Test
    void whenRedisRefusedWritesRecentlyThenDegradedNamingTheRefusal() {
        when(store.isHealthy()).thenReturn(true);
        try (JwtGate gate = gate("revocation.store", "memory", "dpop.mode", "allowed")) {
            GateMetrics.of(gate).writesRefused(GateMetrics.RedisWrite.PROOF_RECORD,
                    "NOREPLICAS Not enough good replicas to write");
            Health health = gate.health();
            assertEquals(Health.Status.DEGRADED, health.status(), health.toString());
            assertEquals("memory up (DPoP proof records refused: writes refused by Redis (NOREPLICAS Not enough good"
                    + " replicas to write), 0 s ago)", health.details().get("revocation-store"));
        }
        try (JwtGate gate = gate("revocation.store", "redis-cluster", "redis.nodes", "127.0.0.1:1",
                "revocation.failure-mode", "open")) {
            GateMetrics.of(gate).writesRefused(GateMetrics.RedisWrite.REVOCATION, "READONLY You can't write against a"
                    + " read only replica");
            Health health = gate.health();
            assertEquals(Health.Status.DEGRADED, health.status(), health.toString());
            assertEquals("redis-cluster up (revocations refused: writes refused by Redis (READONLY You can't write"
                    + " against a read only replica), 0 s ago)", health.details().get("revocation-store"));
        }
    }

    /**
     * Allowlist mode registers tokens through the revocations' commands, on the same masters: Redis refusing them
     * refuses logins too. Before, health said "revocations refused" alone.
     */
    @Test
    void whenRedisRefusesTheWritesInAllowlistModeThenHealthNamesRegistrationsAndRevocations() {
        when(store.isHealthy()).thenReturn(true);
        try (JwtGate gate = gate("revocation.store", "redis-cluster", "redis.nodes", "127.0.0.1:1",
                "revocation.mode", "allowlist")) {
            GateMetrics.of(gate).writesRefused(GateMetrics.RedisWrite.REVOCATION, "NOREPLICAS Not enough good replicas"
                    + " to write");
            assertEquals("redis-cluster up (registrations and revocations refused: writes refused by Redis (NOREPLICAS"
                    + " Not enough good replicas to write), 0 s ago)", gate.health().details().get("revocation-store"));
        }
        try (JwtGate gate = gate("revocation.store", "redis-cluster", "redis.nodes", "127.0.0.1:1",
                "revocation.mode", "allowlist")) {
            GateMetrics.of(gate).writeRefusal("NOPERM this user has no permissions to run the 'set' command");
            Health health = gate.health();
            assertEquals(Health.Status.DEGRADED, health.status(), health.toString());
            assertEquals("redis-cluster up (registrations and revocations refused: NOPERM this user has no permissions"
                    + " to run the 'set' command)", health.details().get("revocation-store"));
        }
    }

    /**
     * The checks answer but Redis refuses the revocations (an ACL without +eval, or a script's command): every revoke
     * fails for good. Before, health said UP (a probe's find); now DEGRADED, naming the refusal, the store still up.
     */
    @Test
    void whenRedisRefusesTheRevocationsWhileTheChecksAnswerThenDegradedNamingTheRefusal() {
        when(store.isHealthy()).thenReturn(true);
        try (JwtGate gate = gate("revocation.store", "redis-cluster", "redis.nodes", "127.0.0.1:1")) {
            GateMetrics.of(gate).writeRefusal("NOPERM this user has no permissions to run the 'eval' command");
            Health health = gate.health();
            assertEquals(Health.Status.DEGRADED, health.status(), health.toString());
            assertEquals("redis-cluster up (revocations refused: NOPERM this user has no permissions to run the 'eval'"
                    + " command)", health.details().get("revocation-store"));
        }
        when(store.isHealthy()).thenReturn(false);
        try (JwtGate gate = gate("revocation.store", "redis-cluster", "redis.nodes", "127.0.0.1:1")) {
            GateMetrics.of(gate).writeRefusal("NOPERM this user has no permissions to run the 'eval' command");
            // The checks refused too: the store is down, and that is what health says (no stale revocation refusal).
            assertEquals("redis-cluster down", gate.health().details().get("revocation-store"));
        }
    }

    @Test
    void whenTheNearCacheIsNotFreshWhileRedisAnswersThenDegraded() {
        when(store.isHealthy()).thenReturn(true);
        try (JwtGate gate = gate()) {
            GateMetrics.of(gate).attachNearCache(startedNearCache(false, 1_500));
            assertEquals(Health.Status.DEGRADED, gate.health().status());
            assertEquals("not fresh (heartbeat 1500 ms ago): checks read Redis", gate.health().details().get("near-cache"));
        }
    }

    @Test
    void whenTheStoreIsDownWhileTheNearCacheIsFreshThenDegradedNotDown() {
        // A master down while the channel's master lives: checks are still answered locally, only revocations fail.
        when(store.isHealthy()).thenReturn(false);
        try (JwtGate gate = gate()) {
            GateMetrics.of(gate).attachNearCache(startedNearCache(true, 20));
            assertEquals(Health.Status.DEGRADED, gate.health().status());
            assertEquals("memory down", gate.health().details().get("revocation-store"));
        }
    }

    /**
     * Freshness ends while health is asked. It was read twice, once for the status and once for the detail: DEGRADED
     * (checks answered locally) said "not fresh: checks read Redis" beside a store that was down, checks failing closed.
     */
    @Test
    void whenTheNearCacheStopsBeingFreshWhileHealthIsAskedThenStatusAndDetailTellOneStory() {
        when(store.isHealthy()).thenReturn(false);
        try (JwtGate gate = gate()) {
            AtomicInteger reads = new AtomicInteger();
            GateMetrics.of(gate).attachNearCache(new GateMetrics.NearCacheGauges() {
                public boolean started() { return true; }
                public boolean fresh() { return reads.getAndIncrement() == 0; } // fresh at the first read only
                public long heartbeatAgeMillis() { return 20; }
                public long exactEntries() { return 0; }
                public long bloomEntries() { return 0; }
            });
            Health health = gate.health();
            assertEquals(Health.Status.DEGRADED, health.status());
            assertEquals("fresh (heartbeat 20 ms ago)", health.details().get("near-cache"));
            assertEquals(1, reads.get(), "freshness read once");
        }
    }

    /** A near-cache that has started, fresh or not, with its newest heartbeat answered that long ago. */
    private static GateMetrics.NearCacheGauges startedNearCache(boolean fresh, long heartbeatAgeMillis) {
        return new GateMetrics.NearCacheGauges() {
            public boolean started() { return true; }
            public boolean fresh() { return fresh; }
            public long heartbeatAgeMillis() { return heartbeatAgeMillis; }
            public long exactEntries() { return 0; }
            public long bloomEntries() { return 0; }
        };
    }
}
