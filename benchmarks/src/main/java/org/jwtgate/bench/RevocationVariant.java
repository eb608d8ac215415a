package org.jwtgate.bench;

import java.util.Arrays;
import java.util.Map;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testkit.RedisCluster;

/**
 * Which revocation store a benchmarked JwtGate checks, by the name used on command lines and as the
 * JMH parameter {@code revocation}.
 */
public enum RevocationVariant {

    /** revocation.store=redis-cluster with the near-cache on (the default configuration). */
    REDIS_CLUSTER("redis-cluster", true, true),
    /** revocation.store=redis-cluster with revocation.near-cache=false: one Redis read per check. */
    REDIS_CLUSTER_DIRECT("redis-cluster-direct", true, false),
    /** revocation.store=memory: the same path without any network, to separate the cost of Redis. */
    MEMORY("memory", false, false);

    private final String cliName;
    private final boolean needsCluster;
    private final boolean nearCache;

    RevocationVariant(String cliName, boolean needsCluster, boolean nearCache) {
        this.cliName = cliName;
        this.needsCluster = needsCluster;
        this.nearCache = nearCache;
    }

    public static RevocationVariant byName(String name) {
        return Arrays.stream(values())
                .filter(v -> v.cliName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown revocation variant [" + name + "]; expected one of "
                        + Arrays.stream(values()).map(RevocationVariant::cliName).toList()));
    }

    public String cliName() {
        return cliName;
    }

    public boolean needsCluster() {
        return needsCluster;
    }

    /** Adds the revocation settings of this variant; {@code cluster} may be null when not {@link #needsCluster()}. */
    public void applyTo(Map<String, String> settings, RedisCluster cluster) {
        if (!needsCluster) {
            settings.put(ConfigKeys.REVOCATION_STORE, "memory");
            return;
        }
        if (cluster == null) {
            throw new IllegalArgumentException(cliName + " needs a running Redis Cluster");
        }
        settings.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        settings.put(ConfigKeys.REDIS_NODES, cluster.nodesSpec());
        settings.put(ConfigKeys.REVOCATION_NEAR_CACHE, Boolean.toString(nearCache));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
