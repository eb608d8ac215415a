package org.jwtgate.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Forms a cluster from fresh, running nodes the way redis-cli {@code --cluster create} does, but with plain
 * commands (the embedded 6.2 binary comes without redis-cli): ADDSLOTS, SET-CONFIG-EPOCH, MEET, REPLICATE.
 */
final class ClusterFormation {

    private static final int ADDSLOTS_BATCH = 1000;

    private ClusterFormation() {
    }

    /**
     * Splits the slots evenly over {@code masters}, joins every node, and makes replica {@code i} replicate
     * master {@code i % masters.size()}. Returns once the REPLICATE commands are accepted; the caller then
     * waits for the cluster to be ready.
     */
    static void form(List<RedisCluster.Node> masters, List<RedisCluster.Node> replicas, Duration timeout,
            Supplier<String> diagnostics) {
        List<RedisCluster.Node> all = new ArrayList<>(masters);
        all.addAll(replicas);
        int m = masters.size();
        for (int i = 0; i < m; i++) {
            addSlots(masters.get(i), i * RedisCluster.SLOTS / m, (i + 1) * RedisCluster.SLOTS / m - 1);
        }
        // Distinct config epochs up front, as redis-cli does, so no epoch-collision round is needed.
        for (int i = 0; i < all.size(); i++) {
            try (Jedis jedis = all.get(i).connect()) {
                jedis.sendCommand(Protocol.Command.CLUSTER, "SET-CONFIG-EPOCH", Integer.toString(i + 1));
            }
        }
        try (Jedis first = all.get(0).connect()) {
            all.subList(1, all.size()).forEach(n -> first.clusterMeet(RedisCluster.HOST, n.port()));
        }
        // REPLICATE needs the replica to know its master: wait for the gossip to spread every node to every node.
        Poll.untilTrue("every node to know every other node", timeout,
                () -> all.stream().allMatch(n -> knowsAll(n, all.size())), diagnostics);
        for (int i = 0; i < replicas.size(); i++) {
            try (Jedis jedis = replicas.get(i).connect()) {
                jedis.clusterReplicate(masters.get(i % m).id());
            }
        }
    }

    /** CLUSTER ADDSLOTS in batches: ADDSLOTSRANGE exists only from Redis 7.0. */
    private static void addSlots(RedisCluster.Node master, int from, int to) {
        try (Jedis jedis = master.connect()) {
            for (int start = from; start <= to; start += ADDSLOTS_BATCH) {
                int end = Math.min(to, start + ADDSLOTS_BATCH - 1);
                jedis.clusterAddSlots(IntStream.rangeClosed(start, end).toArray());
            }
        }
    }

    private static boolean knowsAll(RedisCluster.Node node, int clusterSize) {
        try (Jedis jedis = node.connect()) {
            ClusterTopology view = ClusterTopology.parse(jedis.clusterNodes());
            return view.entries().size() == clusterSize
                    && view.entries().stream().noneMatch(ClusterTopology.Entry::isHandshaking);
        }
    }
}
