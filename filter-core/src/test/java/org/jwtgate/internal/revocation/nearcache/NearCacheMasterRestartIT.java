package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.CHANNEL;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.KEYS;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.awaitFresh;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.nearCache;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.principal;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.service;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.userAwayFrom;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.revocation.NearCacheStats;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ClientKillParams;

/**
 * A master restarts quickly (no failover) and a near-cache reloads while that master is in its first two
 * seconds, when it answers {@code SCAN} but every key read with {@code CLUSTERDOWN}. That load must not
 * drop the revocations stored on it: the instance keeps refusing a revoked token on every request, and
 * answers locally again once a load has succeeded. The reload is forced by killing the subscriptions on
 * the channel's master (another node), as an output-buffer limit or a network blip would. Own cluster,
 * with a node timeout long enough that the restart causes no failover.
 */
class NearCacheMasterRestartIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(
            RedisCluster.builder().nodeTimeout(Duration.ofSeconds(5)));

    @Test
    void whenANearCacheReloadsWhileAMasterRestartsThenItsRevocationsStayRefused() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node channelMaster = cluster.masterForKey(CHANNEL);
        String sub = userAwayFrom(cluster, channelMaster, "restart");
        RedisCluster.Node restarted = cluster.masterForKey(KEYS.userKey(sub));
        String revoked = TestTokens.hs256(sub);
        String live = TestTokens.hs256("live-" + UUID.randomUUID());
        try (JettyApp app = NearCacheApps.start(cluster)) {
            awaitFresh(app, live);
            assertTrue(service(app).revoke(principal(app, revoked)).durable());
            assertEquals(401, NearCacheApps.statusAnsweredLocally(app, revoked));

            // The window is about two seconds from the restart; a stalled test machine may miss it: try again.
            for (int attempt = 1; ; attempt++) {
                NearCacheStats before = nearCache(app).stats();
                restarted.restart();
                try (Jedis jedis = channelMaster.connect()) {
                    jedis.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
                }
                NearCacheApps.await("the near-cache to resubscribe", Duration.ofSeconds(10),
                        () -> nearCache(app).stats().subscriptions() > before.subscriptions());
                boolean reloadedInWindow = refusesKeyReads(restarted, KEYS.userKey(sub));
                // Until a load succeeds every check reads Redis (503 while that master refuses key reads).
                long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                int checks = 0;
                while (System.nanoTime() < until) {
                    int status = app.getWithToken("/api", revoked).statusCode();
                    if (status != 401 && status != 503) {
                        fail("revoked token answered " + status + " after " + checks + " checks; " + nearCache(app).stats());
                    }
                    checks++;
                    Thread.sleep(20);
                }
                if (reloadedInWindow) {
                    assertEquals(401, NearCacheApps.statusAnsweredLocally(app, revoked), "held by the retried load");
                    assertEquals(200, NearCacheApps.statusAnsweredLocally(app, live));
                    System.out.printf("[near-cache] reload during a master's restart window: %d checks, none"
                            + " accepted the revoked token; %s%n", checks, nearCache(app).stats());
                    return;
                }
                if (attempt == 3) {
                    fail("3 restarts of " + restarted + ": the near-cache never resubscribed inside its window");
                }
                cluster.awaitClusterOk(Duration.ofSeconds(30));
            }
        }
    }

    private static boolean refusesKeyReads(RedisCluster.Node node, String key) {
        try (Jedis jedis = node.connect()) {
            jedis.get(key);
            return false;
        } catch (JedisDataException e) {
            return e.getMessage().startsWith("CLUSTERDOWN");
        }
    }
}
