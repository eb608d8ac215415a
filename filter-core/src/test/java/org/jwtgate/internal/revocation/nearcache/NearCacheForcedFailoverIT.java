package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.CHANNEL;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.KEYS;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.awaitFresh;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.nearCache;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.userAwayFrom;

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
 * The events channel's master is paused (SIGSTOP) and an operator replaces it at once with {@code CLUSTER FAILOVER
 * TAKEOVER} or {@code FORCE} on its replica, neither of which waits for cluster-node-timeout. The settings are as
 * docs/revocation.md asks (cluster-node-timeout 2 s, above the watchdog: 1.5 s for max-staleness 150 ms). A revocation
 * is announced on the promoted master and acknowledged (max-staleness later); the old master resumes within the
 * watchdog and answers the heartbeats queued on B's subscription with its old view of the slot, for a few milliseconds
 * before it learns of the failover. No check answered locally may accept the acknowledged revocation: an answer after
 * a silence longer than max-staleness makes the near-cache fresh only once the other masters confirmed that the
 * subscription's node still serves the channel's slot (they name the promoted one: the subscription is remade there).
 * Each test stops at its first round that accepts the token (before the fix, usually the first).
 */
class NearCacheForcedFailoverIT {

    /** revocation.max-staleness-ms: the watchdog and the silence limit are max(2 × 500, 10 × 150) = 1500 ms. */
    private static final int MAX_STALENESS_MS = 150;

    /** cluster-node-timeout 2 s: above the watchdog (1.5 s), as docs/revocation.md asks. */
    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().nodeTimeoutMs(2000));

    @Test
    void whenThePausedChannelMasterIsReplacedByTakeoverThenNoLocalCheckAcceptsARevocationAcknowledgedMeanwhile()
            throws Exception {
        pausedMasterReplaced(ClusterFailoverOption.TAKEOVER);
    }

    /** The same with {@code CLUSTER FAILOVER FORCE}: the other masters vote, the old master is not asked. */
    @Test
    void whenThePausedChannelMasterIsReplacedByForcedFailoverThenNoLocalCheckAcceptsARevocationAcknowledgedMeanwhile()
            throws Exception {
        pausedMasterReplaced(ClusterFailoverOption.FORCE);
    }

    /**
     * The check's other side: the channel's master paused for longer than max-staleness but not failed over. The other
     * masters still see it serving the slot, so the near-cache is fresh again on the same subscription, without
     * resubscribing or reloading.
     */
    @Test
    void whenTheChannelMasterIsPausedBrieflyWithoutFailoverThenTheOtherMastersConfirmItAndTheSubscriptionStays()
            throws Exception {
        RedisCluster cluster = REDIS.cluster();
        try (JettyApp b = NearCacheApps.start(cluster, "revocation.max-staleness-ms", String.valueOf(MAX_STALENESS_MS))) {
            RedisCluster.Node channelMaster = cluster.masterForKey(CHANNEL);
            String token = TestTokens.hs256(userAwayFrom(cluster, channelMaster, "brief-pause"));
            awaitFresh(b, token);
            NearCacheStats before = nearCache(b).stats();

            channelMaster.pause();
            try {
                NearCacheApps.await("B to stop answering locally", Duration.ofSeconds(2), () -> !nearCache(b).isFresh());
                Thread.sleep(3 * MAX_STALENESS_MS); // paused 450 ms at least: over max-staleness, within the watchdog
            } finally {
                channelMaster.resume();
            }
            NearCacheApps.await("B to answer locally again", Duration.ofSeconds(2), () -> nearCache(b).isFresh());
            NearCacheStats after = nearCache(b).stats();
            assertEquals(before.subscriptions(), after.subscriptions(), "the same subscription: " + after);
            assertEquals(before.loads(), after.loads(), "not reloaded: " + after);
        }
    }

    private static void pausedMasterReplaced(ClusterFailoverOption option) throws Exception {
        RedisCluster cluster = REDIS.cluster();
        List<String> rounds = new ArrayList<>();
        int acceptedTotal = 0;
        try (JettyApp b = NearCacheApps.start(cluster, "revocation.max-staleness-ms", String.valueOf(MAX_STALENESS_MS))) {
            long[] takeoverAfterMs = {1100, 1150, 1100, 1200, 1050, 1150};
            for (int round = 0; round < takeoverAfterMs.length && acceptedTotal == 0; round++) {
                RedisCluster.Node channelMaster = cluster.masterForKey(CHANNEL);
                RedisCluster.Node replica = cluster.replicaOf(channelMaster);
                String user = userAwayFrom(cluster, channelMaster, "takeover");
                String token = TestTokens.hs256(user);
                awaitFresh(b, token);
                TokenRef ref = ClusterApps.ref(b, token);
                assertFalse(nearCache(b).isRevoked(ref));

                channelMaster.pause();
                long pausedAt = System.nanoTime();
                // Longer than cluster-node-timeout / 2 (1 s here): the other nodes have dropped their
                // cluster-bus links to the frozen node, so the promoted replica's broadcast does not reach it.
                Thread.sleep(takeoverAfterMs[round]);
                try (Jedis jedis = replica.connect()) {
                    jedis.clusterFailover(option);
                }
                RedisCluster.Node promoted = cluster.awaitFailover(channelMaster, Duration.ofSeconds(10));
                assertNotEquals(channelMaster, promoted);
                long failoverMs = (System.nanoTime() - pausedAt) / 1_000_000;

                // Acknowledged as AnnouncingRevocationStore acknowledges: stored (and confirmed), announced on the
                // channel's master, which answers the heartbeat's read (EXISTS) without MOVED, then max-staleness later.
                String key = KEYS.tokenKey(ref);
                try (Jedis jedis = cluster.masterForKey(key).connect()) {
                    jedis.psetex(key, 600_000, "1");
                    jedis.waitReplicas(1, 2000);
                }
                String event = new RevocationEvent(key, 1, System.currentTimeMillis() + 600_000).encode();
                try (Jedis jedis = promoted.connect()) {
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
                long pauseMs = (resumedAt - pausedAt) / 1_000_000;
                int accepted = 0;
                int local = 0;
                int http200 = 0;
                long firstAcceptedMs = -1;
                long lastAcceptedMs = -1;
                while (System.nanoTime() - resumedAt < Duration.ofMillis(1000).toNanos()) {
                    NearCacheStats s0 = nearCache(b).stats();
                    boolean revoked = nearCache(b).isRevoked(ref);
                    NearCacheStats s1 = nearCache(b).stats();
                    if (s1.localChecks() > s0.localChecks()) {
                        local++;
                        if (!revoked) {
                            accepted++;
                            long at = (System.nanoTime() - resumedAt) / 1_000_000;
                            firstAcceptedMs = firstAcceptedMs < 0 ? at : firstAcceptedMs;
                            lastAcceptedMs = at;
                        }
                    }
                    // The same check as a request sees it: 200 for a token whose revocation was acknowledged.
                    NearCacheStats h0 = nearCache(b).stats();
                    int status = b.getWithToken("/api", token).statusCode();
                    NearCacheStats h1 = nearCache(b).stats();
                    if (status == 200 && h1.localChecks() > h0.localChecks()) {
                        http200++;
                    }
                    if (System.nanoTime() - resumedAt > Duration.ofMillis(400).toNanos()) {
                        Thread.sleep(1);
                    }
                }
                acceptedTotal += accepted + http200;
                rounds.add(option + " round " + round + ": failover seen " + failoverMs + " ms after the pause, paused " + pauseMs
                        + " ms, acknowledged " + (resumedAt - acknowledgedAt) / 1_000_000 + " ms before the resume; "
                        + local + " local checks after the resume, " + accepted + " accepted the revoked token, " + http200
                        + " requests with it answered 200 (from "
                        + firstAcceptedMs + " to " + lastAcceptedMs + " ms after the resume); " + nearCache(b).stats());
                cluster.awaitClusterOk(Duration.ofSeconds(30));
            }
        }
        String seen = String.join("\n", rounds);
        assertEquals(0, acceptedTotal, seen);
    }
}
