package org.jwtgate.sample.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;

/**
 * The sample's cluster client across a master's death, on a real cluster. Each client still holds
 * the slot map from before the failover, as a running sample does: its first command for the dead
 * master's slots must find the new master within one call, not answer 503, and with most of its
 * retry budget to spare: a client that sleeps through the budget before trying the new master is
 * the 503 (see {@link SampleRedis#ATTEMPTS}).
 */
class SampleRedisIT {

    private static final int CLIENTS = 40;
    private static final int TIMEOUT_MS = 500;

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void whenAMasterIsKilledThenEveryClientWithTheOldSlotMapAnswersItsFirstCommandAfterTheFailover() {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node master = cluster.masters().get(0);
        String key = keyServedBy(cluster, master);
        List<RedisNode> seeds = RedisNode.parseList(cluster.nodesSpec());
        // JwtGate's defaults: redis.timeout-ms=500, redis.max-attempts=3, redis.pool-size=16.
        RedisSettings settings = new RedisSettings(seeds, "jwtgate:", TIMEOUT_MS, 3, 16, null, null, false);

        List<SampleRedis> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                SampleRedis client = SampleRedis.connect(seeds, settings, true);
                clients.add(client);
                client.call("writing", r -> r.set(key, "before"));
            }
            master.kill();
            cluster.awaitFailover(master, Duration.ofSeconds(30));

            Map<String, Integer> failures = new TreeMap<>();
            long[] millis = new long[CLIENTS];
            for (int i = 0; i < CLIENTS; i++) {
                long started = System.nanoTime();
                try {
                    // Its value may not have reached the replica before the kill: only the answer counts.
                    clients.get(i).call("reading", r -> r.get(key));
                } catch (SampleUnavailableException e) {
                    failures.merge(e.getMessage() + " / " + e.getCause().getMessage(), 1, Integer::sum);
                }
                millis[i] = (System.nanoTime() - started) / 1_000_000;
            }
            assertEquals(Map.of(), failures, "clients that answered 503 after the failover, by cause");
            Arrays.sort(millis);
            // The budget is 3 × redis.timeout-ms. With 3 attempts the median was half of it (a random sleep of
            // up to all of it); with 5 it is under a tenth: bound at a third, room for a loaded machine.
            long budget = 3L * TIMEOUT_MS;
            assertTrue(millis[CLIENTS / 2] < budget / 3,
                    "median first command after the failover " + millis[CLIENTS / 2] + " ms, budget " + budget + " ms: "
                            + Arrays.toString(millis));
        } finally {
            clients.forEach(SampleRedis::close);
        }
    }

    private static String keyServedBy(RedisCluster cluster, RedisCluster.Node master) {
        for (int i = 0; ; i++) {
            String key = "sample:failover-probe:" + i;
            if (cluster.masterForKey(key).equals(master)) {
                return key;
            }
        }
    }
}
