package org.jwtgate.sample.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jwtgate.engine.Health;

/**
 * Whether the sample's own Redis work — accounts, logins, refresh families — can be done, judged
 * from a {@link RedisTopology.Snapshot}:
 * <ul>
 *   <li>{@code DOWN}: no node answers, the cluster is not {@code ok}, or a master serving slots is
 *       unreachable (its slots cannot be written until a failover);</li>
 *   <li>{@code DEGRADED}: every slot is served, but some node is unreachable or failing (e.g. a
 *       replica, or an old master after a failover): working, with less redundancy;</li>
 *   <li>{@code UP}: everything answers.</li>
 * </ul>
 */
public final class RedisHealth {

    private RedisHealth() {
    }

    /** The status and the facts behind it (counts only: no addresses, for a public endpoint). */
    public record Report(Health.Status status, Map<String, Object> details) {
    }

    /** The verdict on what a probe saw. */
    public static Report assess(RedisTopology.Snapshot snapshot) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (!snapshot.cluster()) {
            boolean up = snapshot.nodes().stream().allMatch(RedisTopology.NodeState::up);
            details.put("mode", "single");
            details.put("reachable", up);
            return new Report(up ? Health.Status.UP : Health.Status.DOWN, details);
        }
        details.put("mode", "cluster");
        details.put("cluster_state", snapshot.clusterState());
        if (snapshot.nodes().isEmpty()) {
            details.put("reachable", 0);
            return new Report(Health.Status.DOWN, details);
        }
        int reachable = 0;
        int failing = 0;
        int servingMasters = 0;
        int replicas = 0;
        boolean servingMasterDown = false;
        for (RedisTopology.NodeState state : snapshot.nodes()) {
            ClusterNode node = state.node();
            reachable += state.up() ? 1 : 0;
            failing += node.failing() ? 1 : 0;
            replicas += node.role() == ClusterNode.Role.REPLICA ? 1 : 0;
            if (node.servesSlots()) {
                servingMasters++;
                servingMasterDown |= !state.up();
            }
        }
        details.put("nodes", snapshot.nodes().size());
        details.put("reachable", reachable);
        details.put("failing", failing);
        details.put("masters", servingMasters);
        details.put("replicas", replicas);
        Health.Status status;
        if (!"ok".equals(snapshot.clusterState()) || servingMasterDown) {
            status = Health.Status.DOWN;
        } else if (reachable < snapshot.nodes().size() || failing > 0) {
            status = Health.Status.DEGRADED;
        } else {
            status = Health.Status.UP;
        }
        return new Report(status, details);
    }
}
