package org.jwtgate.filter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.jwtgate.internal.metrics.GateMetrics;

/**
 * What this filter did so far: how requests ended, why they were refused, how revocation checks
 * were answered, the token cache, the near-cache's heartbeat — read-only figures for a status page.
 * The full set — verification timing, Redis, the JWKS — is exported as the JMX MBeans
 * {@code org.jwtgate:type=…,filter="<name>",context="<context path>"} and, with Micrometer on the class
 * path, as the {@code jwtgate.*} meters (docs/monitoring.md).
 *
 * <pre>{@code
 * FilterMetrics metrics = filter.metrics();
 * long refused = metrics.rejectedCount();
 * long unavailable = metrics.unavailableCount();   // 503s: Redis or the JWKS could not answer
 * long revoked = metrics.refusalsByReason().get("revoked");
 * }</pre>
 *
 * @since 1.0.0
 */
public final class FilterMetrics {

    private volatile GateMetrics metrics = new GateMetrics();

    FilterMetrics() {
    }

    void use(GateMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Requests let through with a verified token (fail-open passes included).
     *
     * @return the count since the filter started
     */
    public long authenticatedCount() {
        return metrics.outcomes(GateMetrics.Outcome.AUTHENTICATED) + metrics.outcomes(GateMetrics.Outcome.FAIL_OPEN);
    }

    /**
     * Requests refused with 400, 401 or 403 for their token (a missing token on a protected path included).
     *
     * @return the count since the filter started
     */
    public long rejectedCount() {
        return metrics.outcomes(GateMetrics.Outcome.REFUSED);
    }

    /**
     * Requests answered 503 because the revocation store or key server could not answer.
     *
     * @return the count since the filter started
     */
    public long unavailableCount() {
        return metrics.outcomes(GateMetrics.Outcome.UNAVAILABLE);
    }

    /**
     * Requests let through unchecked under {@code revocation.failure-mode=open}.
     *
     * @return the count since the filter started
     */
    public long failOpenPassCount() {
        return metrics.outcomes(GateMetrics.Outcome.FAIL_OPEN);
    }

    /**
     * Requests by how they ended, in a fixed order: {@code authenticated}, {@code public} (an excluded
     * path), {@code anonymous} (an optional path without a token), {@code refused}, {@code unavailable}
     * (503), {@code fail-open} (let through unchecked). Unlike {@link #authenticatedCount()},
     * {@code authenticated} here leaves out the fail-open passes. The names are lower case with hyphens, as
     * in every map here; the same counters are Micrometer tag values with underscores ({@code fail_open},
     * {@code not_yet_valid}) and JMX attributes in CamelCase ({@code FailOpen}, {@code RefusedNotYetValid}).
     *
     * @return a new map of counts by outcome name, every outcome present
     * @since 1.0.0
     */
    public Map<String, Long> requestsByOutcome() {
        GateMetrics current = metrics;
        return byName(GateMetrics.Outcome.values(), current::outcomes);
    }

    /**
     * Refused requests by reason, in a fixed order: {@code missing}, {@code malformed}, {@code invalid},
     * {@code expired}, {@code not-yet-valid}, {@code revoked}, {@code insufficient-scope}, {@code csrf},
     * {@code dpop}; they add up to {@link #rejectedCount()}.
     *
     * @return a new map of counts by reason name, every reason present
     * @since 1.0.0
     */
    public Map<String, Long> refusalsByReason() {
        GateMetrics current = metrics;
        return byName(GateMetrics.Reason.values(), current::refusals);
    }

    /**
     * Revocation checks by how they were answered: {@code near-cache} (local state, no round trip),
     * {@code fallback} (the near-cache could not answer: Redis), {@code store} (no near-cache runs).
     *
     * @return a new map of counts by path name, every path present
     * @since 1.0.0
     */
    public Map<String, Long> revocationChecksByPath() {
        GateMetrics current = metrics;
        return byName(GateMetrics.CheckPath.values(), current::checks);
    }

    /**
     * Tokens found in the verified-token cache ({@code token.cache-size}): no signature check needed.
     *
     * @return the count since the filter started
     * @since 1.0.0
     */
    public long tokenCacheHits() {
        return metrics.cacheHits();
    }

    /**
     * Tokens verified in full because the verified-token cache did not hold them (0 when it is off).
     *
     * @return the count since the filter started
     * @since 1.0.0
     */
    public long tokenCacheMisses() {
        return metrics.cacheMisses();
    }

    /**
     * Milliseconds since the newest heartbeat the near-cache received back was sent: how far behind
     * Redis its local state may be. -1 when no near-cache runs or none came back yet.
     *
     * @return the age in milliseconds, or -1
     * @since 1.0.0
     */
    public long nearCacheHeartbeatAgeMillis() {
        GateMetrics.NearCacheGauges nearCache = metrics.nearCache();
        return nearCache == null ? -1 : nearCache.heartbeatAgeMillis();
    }

    private static <E extends Enum<E>> Map<String, Long> byName(E[] values, ToLongFunction<E> count) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (E value : values) {
            counts.put(GateMetrics.name(value), count.applyAsLong(value));
        }
        return Collections.unmodifiableMap(counts);
    }
}
