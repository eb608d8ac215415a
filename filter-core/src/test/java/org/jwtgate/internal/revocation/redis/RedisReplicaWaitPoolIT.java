package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;

/**
 * A revocation holds its pooled connection while its {@code WAIT} waits for replicas (up to
 * {@code revocation.replica-timeout-ms}); checks borrow from the same pool. Revocations waiting on a replica
 * that does not answer must not take every connection, or checks fail (503) although the master answers.
 */
class RedisReplicaWaitPoolIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(1));

    @Test
    void whenRevocationsWaitForAPausedReplicaThenChecksStillGetAConnection() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node master = cluster.masters().get(0);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("jwt.secret", "test-secret-0123456789abcdefghij");
        params.put("jwt.issuer", "iss");
        params.put("revocation.store", "redis");
        params.put("redis.nodes", RedisCluster.HOST + ":" + master.port());
        params.put("redis.pool-size", "2");
        params.put("redis.timeout-ms", "300");
        params.put("revocation.near-cache", "false");
        params.put("revocation.min-replicas", "1");
        params.put("revocation.replica-timeout-ms", "3000");
        Instant now = Instant.now();
        TokenRef token = new TokenRef("iss", "bob", "jti-1", now, now.plusSeconds(60));
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try (RevocationStore store = RedisRevocationStores.create(JwtGateConfig.load(params, ConfigSources.none()))) {
            assertFalse(store.isRevoked(token), "connected");
            cluster.replicaOf(master).pause();
            List<Future<?>> revocations = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    String user = "user-" + i;
                    revocations.add(writers.submit(() -> store.revokeUser(user, Instant.now(), Duration.ofMinutes(1))));
                }
                Thread.sleep(500); // the revocations are in their WAIT now

                long start = System.nanoTime();
                assertFalse(store.isRevoked(token), "the master answers: the check must not find the pool taken");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis < 300, "a check does not wait for a connection behind WAITs: " + millis + " ms");
            } finally {
                cluster.replicaOf(master).resume();
                for (Future<?> revocation : revocations) {
                    try {
                        revocation.get(10, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException ignored) {
                        // a revocation may fail for want of a connection: only checks matter here
                    }
                }
            }
        } finally {
            writers.shutdownNow();
        }
    }
}
