package org.jwtgate.revocation.redis;

import org.jwtgate.config.RedisSettings;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.revocation.RevocationKeys;

/**
 * Revocations on one Redis node ({@code revocation.store=redis}, for development and small
 * set-ups), through Jedis 8's {@code redis.clients.jedis.RedisClient}. Same keys, commands and
 * guarantees as {@link RedisClusterRevocationStore}; {@code revocation.min-replicas > 0} works too
 * (WAIT counts the node's replicas).
 */
public final class RedisRevocationStore extends AbstractRedisRevocationStore {

    public RedisRevocationStore(RedisSettings redis, RevocationSettings revocation) {
        this(new JedisClientSettings(redis), revocation);
    }

    private RedisRevocationStore(JedisClientSettings settings, RevocationSettings revocation) {
        this(new SingleNodeConnections(settings), settings, revocation);
    }

    RedisRevocationStore(MasterConnections connections, JedisClientSettings settings, RevocationSettings revocation) {
        super(connections,
                new RedisCommandRunner(connections, settings.maxAttempts(), settings.retryBudget(), settings.timeoutMs()),
                new RevocationCommands(new RevocationKeys(settings.keyPrefix()), revocation.mode()),
                new ReplicationWait(revocation.minReplicas(), revocation.replicaTimeoutMs()));
    }
}
