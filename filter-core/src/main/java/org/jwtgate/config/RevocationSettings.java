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
 * @since 1.0.0
 */
public record RevocationSettings(StoreType store, Mode mode, FailureMode failureMode, int minReplicas,
                                 int replicaTimeoutMs, int retryAfterSeconds, boolean nearCache,
                                 int maxStalenessMs) {

    /** {@code revocation.store}. */
    public enum StoreType {
        REDIS_CLUSTER("redis-cluster"), REDIS("redis"), MEMORY("memory"), NONE("none");

        private final String configName;

        StoreType(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

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
    public enum Mode { DENYLIST, ALLOWLIST }

    /** {@code revocation.failure-mode}: what to do when the store cannot answer. */
    public enum FailureMode { CLOSED, OPEN }
}
