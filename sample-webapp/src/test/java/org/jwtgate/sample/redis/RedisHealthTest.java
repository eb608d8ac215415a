package org.jwtgate.sample.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.engine.Health;

class RedisHealthTest {

    private static RedisTopology.NodeState master(int port, boolean up) {
        return new RedisTopology.NodeState(
                new ClusterNode("m" + port, "127.0.0.1", port, ClusterNode.Role.MASTER, null, false, true), up);
    }

    private static RedisTopology.NodeState replica(int port, boolean up, boolean failing) {
        return new RedisTopology.NodeState(
                new ClusterNode("r" + port, "127.0.0.1", port, ClusterNode.Role.REPLICA, "m7000", failing, false), up);
    }

    private static RedisTopology.Snapshot cluster(String state, RedisTopology.NodeState... nodes) {
        return new RedisTopology.Snapshot(true, state, List.of(nodes));
    }

    @Test
    void whenEveryNodeAnswersThenUpWithCountsByRole() {
        RedisHealth.Report report = RedisHealth.assess(cluster("ok", master(7000, true), master(7001, true),
                master(7002, true), replica(7003, true, false), replica(7004, true, false), replica(7005, true, false)));

        assertEquals(Health.Status.UP, report.status());
        assertEquals(Map.of("mode", "cluster", "cluster_state", "ok", "nodes", 6, "reachable", 6, "failing", 0,
                "masters", 3, "replicas", 3), report.details());
    }

    @Test
    void whenAReplicaIsDownOrFailingThenDegraded() {
        assertEquals(Health.Status.DEGRADED, RedisHealth.assess(cluster("ok", master(7000, true),
                replica(7003, false, false))).status());
        assertEquals(Health.Status.DEGRADED, RedisHealth.assess(cluster("ok", master(7000, true),
                replica(7003, true, true))).status());
    }

    @Test
    void whenAMasterServingSlotsIsDownOrTheClusterIsNotOkThenDown() {
        assertEquals(Health.Status.DOWN, RedisHealth.assess(cluster("ok", master(7000, false),
                replica(7003, true, false))).status());
        assertEquals(Health.Status.DOWN, RedisHealth.assess(cluster("fail", master(7000, true),
                replica(7003, true, false))).status());
    }

    @Test
    void whenNoSeedAnswersThenDownWithNothingReachable() {
        RedisHealth.Report report = RedisHealth.assess(cluster("unknown"));
        assertEquals(Health.Status.DOWN, report.status());
        assertEquals(0, report.details().get("reachable"));
    }

    @Test
    void whenOneNodeThenUpOrDownAsItAnswers() {
        RedisTopology.Snapshot up = new RedisTopology.Snapshot(false, null, List.of(master(6379, true)));
        RedisTopology.Snapshot down = new RedisTopology.Snapshot(false, null, List.of(master(6379, false)));
        assertEquals(Map.of("mode", "single", "reachable", true), RedisHealth.assess(up).details());
        assertEquals(Health.Status.DOWN, RedisHealth.assess(down).status());
    }
}
