package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.CHANNEL;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.awaitFresh;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.nearCache;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.principal;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.service;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.userAwayFrom;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.revocation.NearCacheStats;

/**
 * The master owning the announcement channel is killed (SIGKILL): B's subscription ends, its checks read
 * Redis and stay correct while the replica takes over; then B subscribes on the new master, reloads and
 * answers locally again — without restarting anything. Own cluster: a node gets killed here.
 */
class NearCacheFailoverIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void whenChannelMasterKilledThenChecksGoDirectAndStayCorrectAndTheNearCacheResumesOnTheNewMaster() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node channelMaster = cluster.masterForKey(CHANNEL);
        String revokedBefore = TestTokens.hs256(userAwayFrom(cluster, channelMaster, "revoked-before"));
        String revokedDuring = TestTokens.hs256(userAwayFrom(cluster, channelMaster, "revoked-during"));
        String revokedAfter = TestTokens.hs256(userAwayFrom(cluster, channelMaster, "revoked-after"));
        String live = TestTokens.hs256(userAwayFrom(cluster, channelMaster, "live"));
        try (JettyApp a = NearCacheApps.start(cluster); JettyApp b = NearCacheApps.start(cluster)) {
            awaitFresh(a, live);
            awaitFresh(b, live);
            assertTrue(service(a).revoke(principal(a, revokedBefore)).durable());
            assertEquals(401, NearCacheApps.statusAnsweredLocally(b, revokedBefore));
            assertEquals(200, NearCacheApps.statusAnsweredLocally(b, live));
            NearCacheStats beforeKill = nearCache(b).stats();

            long killedAt = System.nanoTime();
            channelMaster.kill();
            NearCacheApps.await("B to stop answering locally", Duration.ofSeconds(5), () -> !nearCache(b).isFresh());

            // A revocation while the channel has no master: stored (its user's master is alive), but its
            // announcement cannot be executed until the failover is over, so it may not be acknowledged.
            boolean acknowledged;
            try {
                acknowledged = service(a).revoke(principal(a, revokedDuring)).durable();
            } catch (RevocationUnavailableException e) {
                acknowledged = false;
                assertTrue(e.getMessage().contains("announcement"), e.getMessage());
            }
            int checksDuringFailover = 0;
            while (!nearCache(b).isFresh() && System.nanoTime() - killedAt < Duration.ofSeconds(60).toNanos()) {
                long localBefore = nearCache(b).stats().localChecks();
                // Its user's master is alive: Redis answers, 401.
                assertEquals(401, b.getWithToken("/api", revokedBefore).statusCode(), "a token B holds as revoked");
                assertNotAccepted(b, revokedDuring);
                int status = b.getWithToken("/api", live).statusCode();
                if (status != 200 && status != 503) {
                    fail("live token answered " + status + " during the failover");
                }
                checksDuringFailover += 3;
                // A round that ends not fresh read Redis for each check (the loop ends after a round that ends fresh).
                if (!nearCache(b).isFresh()) {
                    assertEquals(localBefore, nearCache(b).stats().localChecks(),
                            "checks answered locally while not fresh: " + nearCache(b).stats());
                }
                Thread.sleep(50);
            }
            long freshAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
            NearCacheStats resumed = nearCache(b).stats();
            assertTrue(resumed.fresh(), "B answers locally again within 60 s of the kill: " + resumed);
            RedisCluster.Node newChannelMaster = cluster.masterForKey(CHANNEL);
            assertNotEquals(channelMaster, newChannelMaster);
            // Every check was counted once (asserted round by round above).
            assertEquals(checksDuringFailover, resumed.directChecks() - beforeKill.directChecks()
                    + resumed.localChecks() - beforeKill.localChecks()
                    + resumed.confirmedChecks() - beforeKill.confirmedChecks(), "checks counted: " + resumed);

            assertEquals(401, NearCacheApps.statusAnsweredLocally(b, revokedBefore));
            assertEquals(401, NearCacheApps.statusAnsweredLocally(b, revokedDuring), "found by the reload on the new master");
            assertEquals(200, NearCacheApps.statusAnsweredLocally(b, live));
            awaitFresh(a, live);
            assertTrue(service(a).revoke(principal(a, revokedAfter)).durable());
            assertEquals(401, NearCacheApps.statusAnsweredLocally(b, revokedAfter), "announced through the new master");
            System.out.printf("[near-cache] channel master killed: B answered locally again %d ms later, after %d"
                            + " checks; revocation during the failover acknowledged: %b; %s%n",
                    freshAfterMs, checksDuringFailover, acknowledged, nearCache(b).stats());
        } finally {
            channelMaster.restart(); // rejoins as a replica of its successor
            cluster.awaitClusterOk(Duration.ofSeconds(30));
        }
    }

    private static void assertNotAccepted(JettyApp app, String revoked) throws Exception {
        int status = app.getWithToken("/api", revoked).statusCode();
        if (status != 401 && status != 503) {
            fail("revoked token answered " + status + " during the failover");
        }
    }
}
