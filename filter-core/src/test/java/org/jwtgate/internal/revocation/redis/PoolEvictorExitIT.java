package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Closing a Redis store that held the last Jedis pools ends commons-pool's evictor thread before close() returns:
 * Tomcat checks a stopped application's threads right after its filters' destroy(), and warned "appears to have
 * started a thread named [commons-pool-evictor] but has failed to stop it" on reloads and undeploys when the thread
 * was still on its way out. Several rounds, since that thread ended a moment after close() returned, or sooner.
 */
class PoolEvictorExitIT {

    private static final int ROUNDS = 15;

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(1));

    @ParameterizedTest
    @ValueSource(strings = {"redis", "redis-cluster"})
    void whenTheStoreHoldingTheLastPoolsClosesThenTheEvictorThreadHasEnded(String store) {
        RedisCluster.Node master = REDIS.cluster().masters().get(0);
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put("revocation.store", store);
        settings.put("redis.nodes", RedisCluster.HOST + ":" + master.port());
        settings.put("revocation.near-cache", "false");
        JwtGateConfig config = JwtGateConfig.of(settings);
        for (int round = 1; round <= ROUNDS; round++) {
            RevocationStore revocations = RedisRevocationStores.create(config);
            List<Thread> evictors = evictors();
            assertFalse(evictors.isEmpty(), "an evictor serves the store's pools");
            revocations.close();
            for (Thread evictor : evictors) {
                assertFalse(evictor.isAlive(), "round " + round + ": the evictor outlived close(), " + evictor.getState());
            }
        }
    }

    /** The live evictor threads of this class loader's commons-pool. */
    private static List<Thread> evictors() {
        List<Thread> evictors = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (PoolEvictorExit.EVICTOR.equals(thread.getName())
                    && thread.getContextClassLoader() == GenericObjectPool.class.getClassLoader()) {
                evictors.add(thread);
            }
        }
        return evictors;
    }
}
