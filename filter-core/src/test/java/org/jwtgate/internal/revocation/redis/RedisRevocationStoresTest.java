package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testkit.process.ServerProcesses;
import org.jwtgate.internal.revocation.nearcache.AnnouncingRevocationStore;
import org.jwtgate.internal.revocation.nearcache.NearCacheRevocationStore;

/** Building the stores, and how they behave with nothing listening (connection refused: no server needed). */
class RedisRevocationStoresTest {

    private static final TokenRef TOKEN = new TokenRef("iss", "alice", "jti", Instant.now(), Instant.now().plusSeconds(60));

    @Test
    void whenStoreIsRedisClusterThenClusterStoreStartsEvenWithTheClusterDown() {
        try (RevocationStore store = RedisRevocationStores.create(config("redis-cluster", ServerProcesses.freeLoopbackPort()))) {
            assertInstanceOf(NearCacheRevocationStore.class, store, "near-cache on by default");
            assertTrue(store.describe().contains("redis-cluster(1 seed nodes"), store.describe());
            assertTrue(store.describe().contains("min-replicas=1"), store.describe());
            assertFalse(store.isHealthy());
            long start = System.nanoTime();
            RevocationUnavailableException e = assertThrows(RevocationUnavailableException.class,
                    () -> store.isRevoked(TOKEN));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 3_000, "bounded: " + millis + " ms");
            assertTrue(e.getMessage().startsWith("Redis revocation check failed after"), e.getMessage());
            assertThrows(RevocationUnavailableException.class, () -> store.revokeUser("alice", Instant.now(),
                    java.time.Duration.ofSeconds(1)));
        }
    }

    @Test
    void whenStoreIsRedisThenSingleNodeStoreWithoutConnectingAtStart() {
        int port = ServerProcesses.freeLoopbackPort();
        try (RevocationStore store = RedisRevocationStores.create(config("redis", port))) {
            assertInstanceOf(NearCacheRevocationStore.class, store, "near-cache on by default");
            assertTrue(store.describe().startsWith("redis(127.0.0.1:" + port), store.describe());
            assertTrue(store.describe().contains("min-replicas=0"), "0 is the default outside redis-cluster");
            assertFalse(store.isHealthy());
            assertThrows(RevocationUnavailableException.class, () -> store.isRevoked(TOKEN));
        }
    }

    @Test
    void whenNearCacheOffThenRevocationsAreStillAnnouncedAndAllowlistModeUsesThePlainStore() {
        int port = ServerProcesses.freeLoopbackPort();
        try (RevocationStore store = RedisRevocationStores.create(config("redis-cluster", port,
                "revocation.near-cache", "false"))) {
            assertInstanceOf(AnnouncingRevocationStore.class, store, "other instances may read through a near-cache");
        }
        try (RevocationStore store = RedisRevocationStores.create(config("redis-cluster", port,
                "revocation.mode", "allowlist"))) {
            assertInstanceOf(RedisClusterRevocationStore.class, store, "no near-cache in allowlist mode");
        }
    }

    private static JwtGateConfig config(String store, int port, String... extra) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("jwt.secret", "test-secret-0123456789abcdefghij");
        params.put("jwt.issuer", "iss");
        params.put("revocation.store", store);
        params.put("redis.nodes", "127.0.0.1:" + port);
        params.put("redis.timeout-ms", "200");
        for (int i = 0; i < extra.length; i += 2) {
            params.put(extra[i], extra[i + 1]);
        }
        return JwtGateConfig.load(params, ConfigSources.none());
    }
}
