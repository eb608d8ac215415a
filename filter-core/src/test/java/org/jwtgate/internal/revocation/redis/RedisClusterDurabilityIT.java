package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;

/**
 * Durability ({@code revocation.min-replicas=1}, the redis-cluster default): an acknowledged
 * revocation survives the loss of its master, and one that no replica confirmed is reported as
 * not durable — which an implementation that sent WAIT over another pooled connection would get
 * wrong (that WAIT counts the replica as caught up at once). Own cluster: nodes get killed here.
 */
// The failover test leaves a freshly re-synced replica behind: the pause test runs first.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterDurabilityIT {

    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static JettyApp app;

    @BeforeAll
    static void startInstance() throws Exception {
        app = ClusterApps.start(REDIS.cluster(), "revocation.replica-timeout-ms", "200"); // test 1 measures it
    }

    @AfterAll
    static void stopInstance() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void whenReplicaPausedThenRevocationReportedNotDurableAndDurableOnceItIsBack() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RevocationService service = app.filter().revocationService();
        JwtPrincipal healthy = ClusterApps.principal(app, TestTokens.hs256(user("healthy")));
        // A replica that has just (re)joined may still be syncing: allow it a moment to catch up.
        RevocationResult confirmed = revokeDurably(service, healthy);
        assertEquals(new RevocationResult(true, 1, 1), confirmed, "WAIT on the write's own connection: one replica");

        String token = TestTokens.hs256(user("paused-replica"));
        JwtPrincipal principal = ClusterApps.principal(app, token);
        String key = ClusterApps.KEYS.tokenKey(ClusterApps.ref(app, token));
        RedisCluster.Node master = cluster.masterForKey(key);
        RedisCluster.Node replica = cluster.replicaOf(master);

        RevocationResult result;
        long waited;
        replica.pause();
        try {
            long start = System.nanoTime();
            result = service.revoke(principal);
            waited = (System.nanoTime() - start) / 1_000_000;
        } finally {
            replica.resume();
        }

        assertFalse(result.durable(), "no replica could confirm: " + result);
        assertEquals(0, result.replicasConfirmed());
        assertEquals(1, result.replicasRequired());
        assertTrue(waited >= 150, "WAIT waited for revocation.replica-timeout-ms (200): " + waited + " ms");
        assertEquals(401, app.getWithToken("/api", token).statusCode(), "in force on the master all the same");
        System.out.printf("[durability] revocation with paused replica: not durable after %d ms%n", waited);

        // The write is idempotent: retrying once the replica is back makes it durable.
        RevocationResult retried = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            retried = service.revoke(principal);
            if (retried.durable()) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(new RevocationResult(true, 1, 1), retried);
        cluster.awaitClusterOk(Duration.ofSeconds(20));
    }

    @Test
    @Order(2)
    void whenDurableRevocationAndItsMasterKilledThenTokenStillRefusedAfterFailover() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        String token = TestTokens.hs256(user("failover"));
        String other = TestTokens.hs256(user("failover-other"));
        String key = ClusterApps.KEYS.tokenKey(ClusterApps.ref(app, token));
        assertEquals(200, app.getWithToken("/api", token).statusCode());

        // This app's 200 ms replica timeout is for test 1: on a slow disk the acknowledgement may miss it once.
        RevocationResult result = revokeDurably(app.filter().revocationService(), ClusterApps.principal(app, token));
        assertEquals(new RevocationResult(true, 1, 1), result);

        RedisCluster.Node master = cluster.masterForKey(key);
        long killedAt = System.nanoTime();
        master.kill();
        RedisCluster.Node promoted = cluster.awaitFailover(master, FAILOVER_TIMEOUT);
        long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertNotEquals(master, promoted);
        try (Jedis jedis = promoted.connect()) {
            assertEquals("1", jedis.get(key), "the promoted replica holds the acknowledged revocation");
        }

        // The application was not restarted: its client finds the new master by itself.
        long firstAnswerAt = 0;
        int unavailable = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            int status = app.getWithToken("/api", token).statusCode();
            if (status == 401) {
                firstAnswerAt = System.nanoTime();
                break;
            }
            if (status != 503) {
                fail("revoked token answered " + status + " after the failover");
            }
            unavailable++;
            Thread.sleep(50);
        }
        assertTrue(firstAnswerAt != 0, "no answer but 503 within 15 s after the failover");
        assertEquals(401, app.getWithToken("/api", token).statusCode());
        assertEquals(200, app.getWithToken("/api", other).statusCode());
        System.out.printf("[durability] failover: kill -> new master agreed in %d ms; first 401 %d ms after that (%d 503s)%n",
                failoverMs, (firstAnswerAt - killedAt) / 1_000_000 - failoverMs, unavailable);

        master.restart(); // rejoins as a replica of its successor
        cluster.awaitClusterOk(Duration.ofSeconds(30));
    }

    private static String user(String name) {
        return name + "-" + UUID.randomUUID();
    }

    /** Revokes until a replica confirms it, for up to 10 s (revocations are idempotent). */
    private static RevocationResult revokeDurably(RevocationService service, JwtPrincipal principal)
            throws InterruptedException {
        RevocationResult result = service.revoke(principal);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!result.durable() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            result = service.revoke(principal);
        }
        return result;
    }
}
