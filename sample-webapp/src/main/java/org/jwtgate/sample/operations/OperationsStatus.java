package org.jwtgate.sample.operations;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jwtgate.filter.FilterMetrics;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.revocation.NearCacheStats;
import org.jwtgate.sample.redis.ClusterNode;
import org.jwtgate.sample.redis.RedisTopology;

/**
 * The operations view for {@code GET /admin/status}: the health verdict, every Redis node with its
 * address, role and whether it answers, the near-cache's freshness, and the filter's counters. Only
 * figures and node addresses: no token, subject or secret, so it may be polled every second.
 */
@Singleton
public class OperationsStatus {

    private final JwtAuthFilter filter;
    private final RedisTopology topology;
    private final SampleHealth health;

    @Inject
    public OperationsStatus(JwtAuthFilter filter, RedisTopology topology, SampleHealth health) {
        this.filter = filter;
        this.topology = topology;
        this.health = health;
    }

    public Map<String, Object> read() {
        RedisTopology.Snapshot redis = topology.look();
        SampleHealth.Report verdict = health.check(redis);
        FilterMetrics metrics = filter.metrics();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", verdict.status().name());
        body.put("jwtgate", SampleHealth.gateJson(verdict.gate()));
        body.put("redis", redisJson(redis));
        body.put("near_cache", nearCacheJson(filter.revocationService().nearCacheStats(),
                metrics.nearCacheHeartbeatAgeMillis()));
        body.put("requests", metrics.requestsByOutcome());
        body.put("refused", metrics.refusalsByReason());
        body.put("revocation_checks", metrics.revocationChecksByPath());
        Map<String, Object> tokenCache = new LinkedHashMap<>();
        tokenCache.put("hits", metrics.tokenCacheHits());
        tokenCache.put("misses", metrics.tokenCacheMisses());
        body.put("token_cache", tokenCache);
        return body;
    }

    /**
     * {@code {mode, cluster_state, nodes: [{address, role, up, failing, replica_of}]}}, shard by shard: each
     * master (by address) followed by its replicas, then any node the cluster lists without a master.
     */
    static Map<String, Object> redisJson(RedisTopology.Snapshot redis) {
        Map<String, String> addressById = new HashMap<>();
        redis.nodes().forEach(state -> addressById.put(state.node().id(), state.node().address()));
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (RedisTopology.NodeState state : byShard(redis.nodes())) {
            ClusterNode node = state.node();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("address", node.address());
            json.put("role", node.role().toString());
            json.put("up", state.up());
            json.put("failing", node.failing());
            if (node.masterId() != null) {
                json.put("replica_of", addressById.getOrDefault(node.masterId(), "?"));
            }
            nodes.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", redis.cluster() ? "cluster" : "single");
        if (redis.cluster()) {
            json.put("cluster_state", redis.clusterState());
        }
        json.put("nodes", nodes);
        return json;
    }

    private static List<RedisTopology.NodeState> byShard(List<RedisTopology.NodeState> nodes) {
        Comparator<RedisTopology.NodeState> byAddress = Comparator.comparing(state -> state.node().address());
        List<RedisTopology.NodeState> ordered = new ArrayList<>();
        nodes.stream().filter(state -> state.node().role() == ClusterNode.Role.MASTER).sorted(byAddress)
                .forEach(master -> {
                    ordered.add(master);
                    nodes.stream().filter(state -> master.node().id().equals(state.node().masterId()))
                            .sorted(byAddress).forEach(ordered::add);
                });
        nodes.stream().filter(state -> !ordered.contains(state)).forEach(ordered::add);
        return ordered;
    }

    /** {@code {enabled: false}} without a near-cache; else its freshness, heartbeat age and what it did. */
    static Map<String, Object> nearCacheJson(Optional<NearCacheStats> stats, long heartbeatAgeMillis) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("enabled", stats.isPresent());
        stats.ifPresent(s -> {
            json.put("fresh", s.fresh());
            json.put("heartbeat_age_ms", heartbeatAgeMillis);
            json.put("pubsub_mode", s.pubSubMode());
            json.put("revocations_held", s.exactEntries() + s.overflowEntries());
            json.put("announcements_applied", s.announcementsApplied());
            json.put("loads", s.loads());
            json.put("failed_loads", s.failedLoads());
            json.put("subscriptions", s.subscriptions());
            json.put("local_checks", s.localChecks());
            json.put("redis_checks", s.roundTripChecks());
        });
        return json;
    }
}
