package org.jwtgate.testkit;

/** The Redis Cluster test rig could not do what was asked (binary missing, cluster did not form, timeout...). */
public class RedisClusterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * A failure without an underlying exception (a refused binary, a process that died).
     *
     * @param message what failed and, where the rig knows it, what to do about it (e.g. how to name another binary)
     */
    public RedisClusterException(String message) {
        super(message);
    }

    /**
     * A failure caused by another exception (an I/O error, a timeout's last probe error).
     *
     * @param message what failed and, where the rig knows it, what to do about it
     * @param cause   the underlying exception; may be null (a timeout whose probes never threw)
     */
    public RedisClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
