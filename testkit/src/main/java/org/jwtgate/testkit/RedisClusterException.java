package org.jwtgate.testkit;

/** The Redis Cluster test rig could not do what was asked (binary missing, cluster did not form, timeout...). */
public class RedisClusterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RedisClusterException(String message) {
        super(message);
    }

    public RedisClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
