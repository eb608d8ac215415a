package org.jwtgate.internal.revocation.redis;

import org.jwtgate.config.RevocationSettings;

/**
 * Revocations in a Redis Cluster ({@code revocation.store=redis-cluster}), through Jedis 8's
 * cluster API: {@code redis.clients.jedis.RedisClusterClient} built by
 * {@code RedisClusterClient.builder()} on a {@code ClusterConnectionProvider}. A check is one
 * {@code MGET} on the master of the user's slot; a revocation is a write plus {@code WAIT} on the
 * same connection to that master, following MOVED/ASK. Failovers, resharding, CLUSTERDOWN and a
 * restart of the whole cluster are ridden out without restarting the application: the slot map is
 * rediscovered in the background, and meanwhile calls fail within their retry budget with
 * {@link org.jwtgate.revocation.RevocationUnavailableException}.
 */
final class RedisClusterRevocationStore extends AbstractRedisRevocationStore {

    RedisClusterRevocationStore(MasterConnections connections, JedisClientSettings settings, RevocationSettings revocation) {
        super(connections, settings, revocation);
    }
}
