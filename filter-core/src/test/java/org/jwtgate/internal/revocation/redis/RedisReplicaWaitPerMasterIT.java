package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;

/**
 * Revocations waiting in {@code WAIT} hold a bounded share of their master's pool ({@link RedisReplicaWaitPoolIT});
 * the bound is their master's: a replica paused on one master must not refuse revocations on the others.
 */
class RedisReplicaWaitPerMasterIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(2));

    /**
     * A paused replica slows its own master's revocations, not the other masters': there the replicas answer, and
     * a revocation must not be refused for want of a place that the first master's waiting writes took.
     */
    @Test
    void whenOneMastersReplicaIsPausedThenRevocationsOnAnotherMasterStillGoThrough() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node slow = cluster.masters().get(0);
        RedisCluster.Node healthy = cluster.masters().get(1);
        RevocationKeys keys = new RevocationKeys("jwtgate:");
        String onSlow = null;
        String onHealthy = null;
        for (int i = 0; onSlow == null || onHealthy == null; i++) {
            String user = "user-" + i;
            String master = cluster.masterForKey(keys.userKey(user)).id();
            if (master.equals(slow.id()) && onSlow == null) {
                onSlow = user;
            } else if (master.equals(healthy.id()) && onHealthy == null) {
                onHealthy = user;
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("jwt.secret", "test-secret-0123456789abcdefghij");
        params.put("jwt.issuer", "iss");
        params.put("revocation.store", "redis-cluster");
        params.put("redis.nodes", cluster.nodesSpec());
        params.put("redis.pool-size", "2");
        params.put("redis.timeout-ms", "300");
        params.put("revocation.near-cache", "false");
        params.put("revocation.min-replicas", "1");
        params.put("revocation.replica-timeout-ms", "3000");
        ExecutorService writers = Executors.newSingleThreadExecutor();
        try (RevocationStore store = RedisRevocationStores.create(JwtGateConfig.load(params, ConfigSources.none()))) {
            assertEquals(1, store.revokeUser(onHealthy, Instant.now(), Duration.ofMinutes(1)).replicasConfirmed(), "connected");
            cluster.replicaOf(slow).pause();
            Future<?> waiting = null;
            try {
                String user = onSlow;
                waiting = writers.submit(() -> store.revokeUser(user, Instant.now(), Duration.ofMinutes(1)));
                Thread.sleep(500); // that revocation is in its WAIT now

                RevocationResult result = store.revokeUser(onHealthy, Instant.now(), Duration.ofMinutes(1));
                assertTrue(result.durable(), "the healthy master's replica confirmed: " + result.replicasConfirmed());
            } finally {
                cluster.replicaOf(slow).resume();
                if (waiting != null) {
                    try {
                        waiting.get(10, TimeUnit.SECONDS);
                    } catch (ExecutionException ignored) {
                        // only the other master's revocation matters here
                    }
                }
            }
        } finally {
            writers.shutdownNow();
        }
    }
}
