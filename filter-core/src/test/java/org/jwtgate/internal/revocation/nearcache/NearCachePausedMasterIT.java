package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.CHANNEL;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.KEYS;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.awaitFresh;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.nearCache;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.userAwayFrom;

import java.time.Duration;
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

/**
 * The channel's master paused (SIGSTOP: a VM frozen, a container stopped) for longer than a failover; its replica takes
 * over and executes an announcement that is then acknowledged; the old master resumes and would answer the heartbeats
 * queued on the subscription with its old view of the slot. With the settings as documented (cluster-node-timeout
 * above the watchdog), the subscription was dropped before: no check answered locally accepts the revoked token.
 * (The near-cache review showed the acceptance with a watchdog longer than the failover.)
 */
class NearCachePausedMasterIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void whenTheChannelsMasterIsPausedThroughItsFailoverThenNoLocalCheckAcceptsARevocationAcknowledgedMeanwhile() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node channelMaster = cluster.masterForKey(CHANNEL);
        String user = userAwayFrom(cluster, channelMaster, "paused");
        String token = TestTokens.hs256(user);
        try (JettyApp b = NearCacheApps.start(cluster)) {
            awaitFresh(b, token);
            TokenRef ref = ClusterApps.ref(b, token);
            assertFalse(nearCache(b).isRevoked(ref));
            long subscriptionsBefore = nearCache(b).stats().subscriptions();

            channelMaster.pause();
            long pausedAt = System.nanoTime();
            RedisCluster.Node promoted = cluster.awaitFailover(channelMaster, Duration.ofSeconds(30));
            assertNotEquals(channelMaster, promoted);
            long failoverMs = (System.nanoTime() - pausedAt) / 1_000_000;

            // An acknowledged revocation, as AnnouncingRevocationStore makes it: stored (and confirmed), then announced
            // on the channel's master, which must answer the heartbeat's read (EXISTS), then max-staleness later.
            String key = KEYS.tokenKey(ref);
            try (Jedis jedis = cluster.masterForKey(key).connect()) {
                jedis.psetex(key, 600_000, "1");
                jedis.waitReplicas(1, 2000);
            }
            String event = new RevocationEvent(key, 1, System.currentTimeMillis() + 600_000).encode();
            try (Jedis jedis = promoted.connect()) {
                jedis.sendCommand(redis.clients.jedis.Protocol.Command.SPUBLISH, CHANNEL, event);
                jedis.exists(CHANNEL); // the channel's master now: no MOVED
            }
            Thread.sleep(100); // revocation.max-staleness-ms, the default: the revocation is acknowledged now

            channelMaster.resume();
            long resumedAt = System.nanoTime();
            int accepted = 0;
            int local = 0;
            long firstAcceptedMs = -1;
            while (System.nanoTime() - resumedAt < Duration.ofMillis(3000).toNanos()) {
                NearCacheStats s0 = nearCache(b).stats();
                boolean revoked = nearCache(b).isRevoked(ref);
                NearCacheStats s1 = nearCache(b).stats();
                if (s1.localChecks() > s0.localChecks()) {
                    local++;
                    if (!revoked) {
                        accepted++;
                        if (firstAcceptedMs < 0) {
                            firstAcceptedMs = (System.nanoTime() - resumedAt) / 1_000_000;
                        }
                    }
                }
                Thread.sleep(1);
            }
            String seen = "failover after " + failoverMs + " ms; " + local + " checks answered locally after the resume, "
                    + accepted + " accepted the revoked token (the first " + firstAcceptedMs + " ms after it); "
                    + nearCache(b).stats();
            assertEquals(0, accepted, seen);
            assertTrue(local > 0, "the near-cache answered again: " + seen);
            assertTrue(nearCache(b).stats().subscriptions() > subscriptionsBefore, "resubscribed: " + seen);
        }
    }
}
