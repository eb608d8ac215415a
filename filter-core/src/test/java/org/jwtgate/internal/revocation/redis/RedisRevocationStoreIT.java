package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * {@code revocation.store=redis}: one node (here the single master of a 1+1 cluster, which owns every
 * slot and so answers like a plain server) with {@code revocation.min-replicas=1}: WAIT on the
 * write's connection counts its replica.
 */
class RedisRevocationStoreIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(1));

    @Test
    void whenSingleNodeStoreThenRevocationsAreEnforcedAndConfirmedByTheReplica() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node master = cluster.masters().get(0);
        Map<String, String> settings = new java.util.LinkedHashMap<>(TestTokens.settings());
        settings.put("revocation.store", "redis");
        settings.put("redis.nodes", RedisCluster.HOST + ":" + master.port());
        settings.put("revocation.min-replicas", "1");
        settings.put("revocation.replica-timeout-ms", "2000"); // "durable" must not fail on a slow CI disk
        try (JettyApp app = JettyApp.start(settings)) {
            RevocationService service = app.filter().revocationService();
            assertTrue(service.store().describe().startsWith("redis(" + RedisCluster.HOST + ":" + master.port()),
                    service.store().describe());
            assertTrue(service.store().isHealthy());
            String token = TestTokens.hs256("single-" + UUID.randomUUID());
            assertEquals(200, app.getWithToken("/api", token).statusCode());

            RevocationResult result = service.revoke(ClusterApps.principal(app, token));

            assertEquals(new RevocationResult(true, 1, 1), result);
            assertEquals(401, app.getWithToken("/api", token).statusCode());
            String sub = "single-user-" + UUID.randomUUID();
            String older = TestTokens.hs256(sub);
            assertEquals(200, app.getWithToken("/api", older).statusCode());
            assertTrue(service.revokeUser(sub).durable());
            assertEquals(401, app.getWithToken("/api", older).statusCode());

            cluster.replicaOf(master).pause();
            try {
                assertFalse(service.revoke(ClusterApps.principal(app, TestTokens.hs256("x"))).durable());
            } finally {
                cluster.nodes().forEach(n -> {
                    if (n.isPaused()) {
                        n.resume();
                    }
                });
            }

            String live = TestTokens.hs256("single-live-" + UUID.randomUUID());
            master.kill();
            assertFalse(service.store().isHealthy(), "a dead node is reported unhealthy");
            // The near-cache answers (200 for a token it holds no revocation of) until its last heartbeat is
            // revocation.max-staleness-ms old; then only Redis could vouch for that token: 503.
            long deadline = System.nanoTime() + 5_000_000_000L;
            int status;
            while ((status = app.getWithToken("/api", live).statusCode()) == 200 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(503, status, "a dead node: 503 once the near-cache has lapsed");
            // A revocation the near-cache holds stays in force with Redis gone: 401, never the revoked token's 200.
            assertEquals(401, app.getWithToken("/api", token).statusCode());
        }
    }
}
