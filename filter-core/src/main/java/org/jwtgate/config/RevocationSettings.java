package org.jwtgate.config;

/**
 * How revocation is stored, checked and made durable.
 *
 * <pre>{@code
 * RevocationSettings revocation = config.revocation();
 * revocation.store().isRedis();                                 // redis-cluster or redis
 * revocation.failureMode() == RevocationSettings.FailureMode.OPEN;
 * }</pre>
 *
 * @param store             {@code revocation.store}: where revocations live
 * @param mode              {@code revocation.mode}: denylist or allowlist
 * @param failureMode       {@code revocation.failure-mode}: what a request gets when the store cannot answer
 * @param minReplicas       {@code revocation.min-replicas} in effect: replicas {@code WAIT} must confirm before a
 *                          revocation is durable ({@code 1} for {@code redis-cluster} and {@code 0} otherwise, unless
 *                          set)
 * @param replicaTimeoutMs  {@code revocation.replica-timeout-ms}: how long {@code WAIT} may take, in milliseconds
 * @param retryAfterSeconds {@code revocation.retry-after-seconds}: the {@code Retry-After} of a 503, in seconds
 * @param nearCache         {@code revocation.near-cache}: whether checks may be answered from local state
 * @param maxStalenessMs    {@code revocation.max-staleness-ms}: the oldest local state a check may be answered
 *                          from, in milliseconds
 * @since 1.0.0
 */
public record RevocationSettings(StoreType store, Mode mode, FailureMode failureMode, int minReplicas,
                                 int replicaTimeoutMs, int retryAfterSeconds, boolean nearCache,
                                 int maxStalenessMs) {

    /** {@code revocation.store}. */
    public enum StoreType {
        /** {@code redis-cluster}: a Redis Cluster, shared by every instance; durable once replicas confirm. */
        REDIS_CLUSTER("redis-cluster"),
        /** {@code redis}: one Redis node, shared by every instance. */
        REDIS("redis"),
        /** {@code memory}: this instance's memory, neither shared with other instances nor kept across a restart. */
        MEMORY("memory"),
        /** {@code none}: no revocation; nothing can be revoked, and a WARN says so at start-up. */
        NONE("none");

        private final String configName;

        StoreType(String configName) {
            this.configName = configName;
        }

        /**
         * The store's name as {@code revocation.store} takes it.
         *
         * @return {@code redis-cluster}, {@code redis}, {@code memory} or {@code none}
         */
        public String configName() {
            return configName;
        }

        /**
         * Whether this store keeps revocations in Redis, where the {@code redis.*} settings apply.
         *
         * @return {@code true} for {@code redis-cluster} and {@code redis}
         */
        public boolean isRedis() {
            return this == REDIS_CLUSTER || this == REDIS;
        }

        static StoreType byConfigName(String name) {
            for (StoreType type : values()) {
                if (type.configName.equals(name)) {
                    return type;
                }
            }
            throw new IllegalArgumentException(name);
        }
    }

    /** {@code revocation.mode}: refuse what is listed, or accept only what is listed. */
    public enum Mode {
        /** {@code denylist}: a token is accepted unless it, or its user since it was issued, was revoked. */
        DENYLIST,
        /** {@code allowlist}: a token is accepted only while its registration exists; a revocation deletes it. */
        ALLOWLIST
    }

    /** {@code revocation.failure-mode}: what to do when the store cannot answer. */
    public enum FailureMode {
        /** {@code closed}: the request gets 503 with {@code Retry-After}. */
        CLOSED,
        /** {@code open}: the request goes through, with a WARN audit line. */
        OPEN
    }
}
