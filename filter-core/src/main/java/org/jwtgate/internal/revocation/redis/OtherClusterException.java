package org.jwtgate.internal.revocation.redis;

import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The only nodes that answered a cluster's rediscovery belong to another Redis Cluster (a seed that left the cluster
 * and joined another, or a seed of another cluster): their slot map is not used, and the checks fail as when Redis
 * does not answer (retried, then per {@code revocation.failure-mode}). Health names {@link #reason()}.
 */
final class OtherClusterException extends JedisConnectionException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    OtherClusterException(String message, String reason) {
        super(message);
        this.reason = reason;
    }

    /** Short, for health: which nodes answer for another cluster. Names nodes only, never a secret. */
    String reason() {
        return reason;
    }
}
