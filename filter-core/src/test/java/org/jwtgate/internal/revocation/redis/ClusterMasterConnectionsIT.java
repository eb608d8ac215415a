package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.process.ServerProcesses;

/** What the start-up check learns from a cluster it cannot connect to, on a real node. */
class ClusterMasterConnectionsIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(1).replicasPerMaster(0));

    /**
     * Four seeds down, one that refuses the user. Jedis asks the seeds in random order and keeps the first one's
     * failure. Before, each discovery put that failure in place of the refusal the start had found: "connection
     * refused" four times in five. The start's check sets a discovery off and reads the failure right after it, so
     * when the discovery won that race the check saw "not reachable" and a wrong password started the filter, to
     * answer 503 for good (StartupRefusalIT failed so in CI, at the third of ten starts).
     */
    @Test
    void whenASeedRefusesTheUserThenEveryLaterDiscoveryStillSaysSoWhicheverSeedJedisAsksFirst() throws Exception {
        List<RedisNode> seeds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seeds.add(new RedisNode(RedisCluster.HOST, ServerProcesses.freeLoopbackPort()));
        }
        seeds.add(new RedisNode(RedisCluster.HOST, REDIS.cluster().masters().get(0).port()));
        JedisClientSettings settings = new JedisClientSettings(new RedisSettings(seeds, "jwtgate:", 500, 3, 4,
                "jwtgate-nobody", "not-its-password", false));
        try (ClusterMasterConnections connections = new ClusterMasterConnections(settings)) {
            for (int discovery = 1; discovery <= 10; discovery++) {
                connections.slotsMoved().get(10, TimeUnit.SECONDS); // a discovery, failed as every one here
                RuntimeException failure = connections.probeEveryMaster(slot -> {
                    throw new AssertionError("no client, so no master to ask");
                });
                assertNotNull(AccessRefusal.of(failure), "after discovery " + discovery + ": " + failure);
            }
        }
    }
}
