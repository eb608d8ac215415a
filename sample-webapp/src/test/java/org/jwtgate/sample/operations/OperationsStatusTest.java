package org.jwtgate.sample.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.jwtgate.revocation.NearCacheStats;
import org.jwtgate.sample.redis.ClusterNode;
import org.jwtgate.sample.redis.RedisTopology;

class OperationsStatusTest {

    @Test
    void whenClusterSeenThenEveryNodeWithAddressRoleStateAndItsMaster() {
        RedisTopology.Snapshot snapshot = new RedisTopology.Snapshot(true, "ok", List.of(
                new RedisTopology.NodeState(new ClusterNode("m", "127.0.0.1", 7000, ClusterNode.Role.MASTER,
                        null, false, true), true),
                new RedisTopology.NodeState(new ClusterNode("r", "127.0.0.1", 7003, ClusterNode.Role.REPLICA,
                        "m", true, false), false)));

        Map<String, Object> json = OperationsStatus.redisJson(snapshot);

        assertEquals("cluster", json.get("mode"));
        assertEquals("ok", json.get("cluster_state"));
        assertEquals(List.of(
                Map.of("address", "127.0.0.1:7000", "role", "master", "up", true, "failing", false),
                Map.of("address", "127.0.0.1:7003", "role", "replica", "up", false, "failing", true,
                        "replica_of", "127.0.0.1:7000")), json.get("nodes"));
    }

    @Test
    void whenNodesListedInAnyOrderThenShardByShardMastersByAddressEachFollowedByItsReplicas() {
        RedisTopology.Snapshot snapshot = new RedisTopology.Snapshot(true, "ok", List.of(
                node("r2", 7004, ClusterNode.Role.REPLICA, "m2"),
                node("m2", 7001, ClusterNode.Role.MASTER, null),
                node("x", 7009, ClusterNode.Role.UNKNOWN, null),
                node("r1", 7003, ClusterNode.Role.REPLICA, "m1"),
                node("m1", 7000, ClusterNode.Role.MASTER, null)));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) OperationsStatus.redisJson(snapshot).get("nodes");

        assertEquals(List.of("127.0.0.1:7000", "127.0.0.1:7003", "127.0.0.1:7001", "127.0.0.1:7004", "127.0.0.1:7009"),
                nodes.stream().map(n -> n.get("address")).toList());
    }

    private static RedisTopology.NodeState node(String id, int port, ClusterNode.Role role, String masterId) {
        return new RedisTopology.NodeState(new ClusterNode(id, "127.0.0.1", port, role, masterId, false,
                role == ClusterNode.Role.MASTER), true);
    }

    @Test
    void whenOneNodeThenNoClusterState() {
        RedisTopology.Snapshot snapshot = new RedisTopology.Snapshot(false, null, List.of(
                new RedisTopology.NodeState(new ClusterNode("-", "redis.example", 6379, ClusterNode.Role.MASTER,
                        null, false, true), true)));

        assertEquals(List.of("mode", "nodes"), List.copyOf(OperationsStatus.redisJson(snapshot).keySet()));
    }

    @Test
    void whenNearCacheRunsThenFreshnessHeartbeatAndWhatItDid() {
        NearCacheStats stats = new NearCacheStats(90, 7, 3, true, 4, 1, 5, 2, 1, "sharded", 6, null, null);

        Map<String, Object> json = OperationsStatus.nearCacheJson(Optional.of(stats), 120);

        assertEquals(true, json.get("enabled"));
        assertEquals(true, json.get("fresh"));
        assertEquals(120L, json.get("heartbeat_age_ms"));
        assertEquals("sharded", json.get("pubsub_mode"));
        assertEquals(5L, json.get("revocations_held"));
        assertEquals(2L, json.get("loads"));
        assertEquals(6L, json.get("failed_loads"));
        assertEquals(90L, json.get("local_checks"));
        assertEquals(10L, json.get("redis_checks"));
    }

    @Test
    void whenNoNearCacheThenOnlyThatItIsOff() {
        assertEquals(Map.of("enabled", false), OperationsStatus.nearCacheJson(Optional.empty(), -1));
    }
}
