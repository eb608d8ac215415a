package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;

/**
 * A close() landing while a refresh runs on the discovery thread (it connects, asks CLUSTER SLOTS, then hands the
 * connection to provider.renewSlotCache) closes the client first: the renewal then makes new pools in a closed cache,
 * and commons-pool's evictor thread would outlive close() unless close() closes the client again once the discovery
 * thread ended. Rounds of start-then-close, at varying moments.
 */
class CloseDuringRefreshIT {

    private static final int ROUNDS = 150;

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void closeDuringTheStartsRefreshLeavesNoPoolBehind() throws Exception {
        List<RedisNode> seeds = new ArrayList<>();
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            seeds.add(new RedisNode(RedisCluster.HOST, node.port()));
        }
        JedisClientSettings settings = new JedisClientSettings(new RedisSettings(seeds, "jwtgate:", 500, 3, 4, null,
                null, false));
        assertTrue(evictors().isEmpty(), "no evictor before the first round");
        int leakedRound = -1;
        for (int round = 1; round <= ROUNDS && leakedRound < 0; round++) {
            ClusterMasterConnections connections = new ClusterMasterConnections(settings);
            long micros = ThreadLocalRandom.current().nextLong(0, 3_000);
            TimeUnit.MICROSECONDS.sleep(micros);
            connections.close();
            Thread.sleep(50);
            if (!evictors().isEmpty()) {
                Thread.sleep(3_000); // not merely on its way out: still serving pools 3 s later
            }
            if (!evictors().isEmpty()) {
                leakedRound = round;
                System.out.printf("round %d (close %d us after start): evictor alive 3 s after close()%n", round,
                        micros);
            }
        }
        assertTrue(leakedRound < 0, "round " + leakedRound + ": commons-pool's evictor outlived close() (pools made "
                + "by a refresh that renewed the slot cache after close())");
        System.out.printf("%d rounds, no evictor left%n", ROUNDS);
    }

    private static List<Thread> evictors() {
        List<Thread> evictors = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (PoolEvictorExit.EVICTOR.equals(thread.getName()) && thread.isAlive()
                    && thread.getContextClassLoader() == GenericObjectPool.class.getClassLoader()) {
                evictors.add(thread);
            }
        }
        return evictors;
    }
}
