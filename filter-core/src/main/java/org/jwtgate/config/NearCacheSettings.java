package org.jwtgate.config;

/**
 * The revocation near-cache ({@code revocation.near-cache*}, {@code revocation.max-staleness-ms}).
 *
 * <pre>{@code
 * config.nearCache().maxStalenessMs();   // 100 unless configured
 * }</pre>
 *
 * @param enabled        {@code revocation.near-cache}: checks answered from local state while it is fresh
 * @param maxStalenessMs {@code revocation.max-staleness-ms}: the oldest state a check may be answered from;
 *                       also how long a revocation write waits before it is acknowledged
 * @param capacity       {@code revocation.near-cache.capacity}: revocations held exactly; more go to a Bloom filter
 * @param resyncSeconds  {@code revocation.near-cache.resync-seconds}: period of the full reload from Redis
 *
 * @since 1.0.0
 */
public record NearCacheSettings(boolean enabled, int maxStalenessMs, int capacity, int resyncSeconds) {
}
