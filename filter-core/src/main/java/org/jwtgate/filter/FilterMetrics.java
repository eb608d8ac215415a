package org.jwtgate.filter;

import org.jwtgate.internal.metrics.GateMetrics;

/**
 * What this filter did so far, in four numbers. The full set — refusals by reason, verification,
 * revocation checks by path, the near-cache, Redis, the JWKS — is exported as the JMX MBeans
 * {@code org.jwtgate:type=…,filter=<name>} and, with Micrometer on the class path, as the
 * {@code jwtgate.*} meters (docs/operations.md, "What to watch").
 *
 * <pre>{@code
 * FilterMetrics metrics = filter.metrics();
 * long refused = metrics.rejectedCount();
 * long unavailable = metrics.unavailableCount();   // 503s: Redis or the JWKS could not answer
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

    /** Requests let through with a verified token (fail-open passes included). */
    public long authenticatedCount() {
        return metrics.outcomes(GateMetrics.Outcome.AUTHENTICATED) + metrics.outcomes(GateMetrics.Outcome.FAIL_OPEN);
    }

    /** Requests refused with 400, 401 or 403 for their token (a missing token on a protected path included). */
    public long rejectedCount() {
        return metrics.outcomes(GateMetrics.Outcome.REFUSED);
    }

    /** Requests answered 503 because the revocation store or key server could not answer. */
    public long unavailableCount() {
        return metrics.outcomes(GateMetrics.Outcome.UNAVAILABLE);
    }

    /** Requests let through unchecked under {@code revocation.failure-mode=open}. */
    public long failOpenPassCount() {
        return metrics.outcomes(GateMetrics.Outcome.FAIL_OPEN);
    }
}
