package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.CHANNEL;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.KEYS;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.awaitFresh;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.nearCache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.revocation.NearCacheStats;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClusterFailoverOption;

/**
 * A Redis Cluster of ONE master and its replica (a single-shard managed cluster; docs/revocation.md supports one
 * master). A heartbeat answered after a silence longer than max-staleness waits for an ownership check, which asks the
 * other masters; with none, it asks the other nodes the subscription's node lists (its replica), each from its own
 * view. Before, with no other master to ask, every such silence dropped the subscription and reloaded (review of the
 * ownership check: "the same subscription ... expected: <1> but was: <2>"). The settings are NearCacheForcedFailoverIT's.
 */
class NearCacheSingleMasterIT {

    /** revocation.max-staleness-ms: the watchdog and the silence limit are max(2 × 500, 10 × 150) = 1500 ms. */
    private static final int MAX_STALENESS_MS = 150;

    /** cluster-node-timeout 2 s: above the watchdog (1.5 s), as docs/revocation.md asks. */
    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(
            RedisCluster.builder().masters(1).replicasPerMaster(1).nodeTimeoutMs(2000));

    /** Paused over max-staleness, within the watchdog, no failover: the replica confirms; nothing is remade. */
    @Test
    void whenTheOnlyMasterIsPausedBrieflyWithoutFailoverThenItsReplicaConfirmsItAndTheSubscriptionStays()
            throws Exception {
        RedisCluster cluster = REDIS.cluster();
        try (JettyApp b = NearCacheApps.start(cluster, "revocation.max-staleness-ms", String.valueOf(MAX_STALENESS_MS))) {
            RedisCluster.Node channelMaster = cluster.masterForKey(CHANNEL);
            String token = TestTokens.hs256("single-master-pause");
            awaitFresh(b, token);
            NearCacheStats before = nearCache(b).stats();

            channelMaster.pause();
            try {
                NearCacheApps.await("B to stop answering locally", Duration.ofSeconds(2), () -> !nearCache(b).isFresh());
                Thread.sleep(3 * MAX_STALENESS_MS); // over max-staleness, within the watchdog (1.5 s)
            } finally {
                channelMaster.resume();
            }
            NearCacheApps.await("B to answer locally again", Duration.ofSeconds(5), () -> nearCache(b).isFresh());
            NearCacheStats after = nearCache(b).stats();
            assertEquals(before.subscriptions(), after.subscriptions(), "the same subscription: " + after);
            assertEquals(before.loads(), after.loads(), "not reloaded: " + after);
        }
    }

    /**
     * The check's other side with one master: paused, replaced by its replica's {@code CLUSTER FAILOVER TAKEOVER}, a
     * revocation acknowledged through the promoted master, resumed within the watchdog. The client knows no other
     * master; the replica it is asked about names itself: no local check accepts the token, the subscription is remade.
     */
    @Test
    void whenTheOnlyMasterIsPausedAndReplacedByTakeoverThenNoLocalCheckAcceptsARevocationAcknowledgedMeanwhile()
            throws Exception {
        RedisCluster cluster = REDIS.cluster();
        List<String> rounds = new ArrayList<>();
        int acceptedTotal = 0;
        int conclusive = 0;
        try (JettyApp b = NearCacheApps.start(cluster, "revocation.max-staleness-ms", String.valueOf(MAX_STALENESS_MS))) {
            long[] takeoverAfterMs = {1100, 1150, 1050};
            for (int round = 0; round < takeoverAfterMs.length && acceptedTotal == 0; round++) {
                RedisCluster.Node channelMaster = cluster.masterForKey(CHANNEL);
                RedisCluster.Node replica = cluster.replicaOf(channelMaster);
                String token = TestTokens.hs256("single-master-takeover-" + round);
                awaitFresh(b, token);
                TokenRef ref = ClusterApps.ref(b, token);
                assertFalse(nearCache(b).isRevoked(ref));
                long subscriptionsBefore = nearCache(b).stats().subscriptions();

                channelMaster.pause();
                long pausedAt = System.nanoTime();
                Thread.sleep(takeoverAfterMs[round]); // over cluster-node-timeout / 2: the bus links to it are dropped
                try (Jedis jedis = replica.connect()) {
                    jedis.clusterFailover(ClusterFailoverOption.TAKEOVER);
                }
                RedisCluster.Node promoted = cluster.awaitFailover(channelMaster, Duration.ofSeconds(10));
                assertNotEquals(channelMaster, promoted);

                String key = KEYS.tokenKey(ref);
                try (Jedis jedis = promoted.connect()) {
                    jedis.psetex(key, 600_000, "1");
                    String event = new RevocationEvent(key, 1, System.currentTimeMillis() + 600_000).encode();
                    jedis.sendCommand(redis.clients.jedis.Protocol.Command.SPUBLISH, CHANNEL, event);
                    jedis.exists(CHANNEL);
                }
                Thread.sleep(MAX_STALENESS_MS); // revocation.max-staleness-ms: acknowledged now
                long acknowledgedAt = System.nanoTime();
                if (acknowledgedAt - pausedAt > Duration.ofMillis(1420).toNanos()) {
                    channelMaster.resume();
                    rounds.add("round " + round + ": inconclusive, paused " + (acknowledgedAt - pausedAt) / 1_000_000
                            + " ms (longer than the watchdog allows)");
                    cluster.awaitClusterOk(Duration.ofSeconds(30));
                    continue;
                }

                channelMaster.resume();
                long resumedAt = System.nanoTime();
                int accepted = 0;
                int local = 0;
                while (System.nanoTime() - resumedAt < Duration.ofMillis(1000).toNanos()) {
                    NearCacheStats s0 = nearCache(b).stats();
                    boolean revoked = nearCache(b).isRevoked(ref);
                    NearCacheStats s1 = nearCache(b).stats();
                    if (s1.localChecks() > s0.localChecks()) {
                        local++;
                        accepted += revoked ? 0 : 1;
                    }
                    if (System.nanoTime() - resumedAt > Duration.ofMillis(400).toNanos()) {
                        Thread.sleep(1);
                    }
                }
                conclusive++;
                acceptedTotal += accepted;
                NearCacheApps.await("B to answer locally again", Duration.ofSeconds(10), () -> nearCache(b).isFresh());
                NearCacheStats after = nearCache(b).stats();
                rounds.add("round " + round + ": paused " + (resumedAt - pausedAt) / 1_000_000 + " ms; " + local
                        + " local checks after the resume, " + accepted + " accepted the revoked token; " + after);
                assertTrue(after.subscriptions() > subscriptionsBefore, "resubscribed to the promoted master: "
                        + String.join("\n", rounds));
                assertTrue(nearCache(b).isRevoked(ref), "refused once fresh again: " + String.join("\n", rounds));
                cluster.awaitClusterOk(Duration.ofSeconds(30));
            }
        }
        String seen = String.join("\n", rounds);
        assertEquals(0, acceptedTotal, seen);
        assertTrue(conclusive > 0, "no conclusive round: " + seen);
    }
}
