package org.jwtgate.internal.revocation.redis;

import org.jwtgate.config.RevocationSettings;

/**
 * Revocations on one Redis node ({@code revocation.store=redis}, for development and small
 * set-ups), through Jedis 8's {@code redis.clients.jedis.RedisClient}. Same keys, commands and
 * guarantees as {@link RedisClusterRevocationStore}; {@code revocation.min-replicas > 0} works too
 * (WAIT counts the node's replicas).
 */
final class RedisRevocationStore extends AbstractRedisRevocationStore {

    RedisRevocationStore(MasterConnections connections, JedisClientSettings settings, RevocationSettings revocation) {
        super(connections, settings, revocation);
    }
}
