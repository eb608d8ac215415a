package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import redis.clients.jedis.Jedis;

/**
 * The counter on a real cluster counts what clients sent between two snapshots and nothing of its own: the
 * harnesses divide its difference by the requests served and print it as the run's Redis commands.
 */
class RedisCommandCounterIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void whenNothingRunsBetweenTwoSnapshotsThenTheDifferenceIsEmpty() {
        RedisCommandCounter counter = new RedisCommandCounter(REDIS.cluster());
        assertEquals(Map.of(), RedisCommandCounter.difference(counter.snapshot(), counter.snapshot()),
                "every node, nothing sent by a client");
        assertEquals(Map.of(), RedisCommandCounter.difference(counter.snapshotMasters(), counter.snapshotMasters()),
                "the masters, nothing sent by a client");
    }

    @Test
    void whenAClientSendsCommandsBetweenTwoSnapshotsThenExactlyTheyAreCounted() {
        RedisCluster cluster = REDIS.cluster();
        RedisCommandCounter counter = new RedisCommandCounter(cluster);
        try (Jedis client = cluster.masterForKey("counted").connect()) { // connected before: its set-up is not counted
            Map<String, Long> before = counter.snapshot();
            Map<String, Long> beforeMasters = counter.snapshotMasters();
            for (int i = 0; i < 5; i++) {
                client.get("counted");
            }
            assertEquals(Map.of("get", 5L), RedisCommandCounter.difference(before, counter.snapshot()));
            assertEquals(Map.of("get", 5L), RedisCommandCounter.difference(beforeMasters, counter.snapshotMasters()));
        }
    }
}
