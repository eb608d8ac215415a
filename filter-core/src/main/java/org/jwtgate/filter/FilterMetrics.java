package org.jwtgate.filter;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters an operator may want to scrape; cheap enough for every request.
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

    private final LongAdder authenticated = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder unavailable = new LongAdder();
    private final LongAdder failOpenPasses = new LongAdder();

    void authenticated() {
        authenticated.increment();
    }

    void rejected() {
        rejected.increment();
    }

    void unavailable() {
        unavailable.increment();
    }

    void failOpenPass() {
        failOpenPasses.increment();
    }

    public long authenticatedCount() {
        return authenticated.sum();
    }

    public long rejectedCount() {
        return rejected.sum();
    }

    /** Requests answered 503 because the revocation store or key server could not answer. */
    public long unavailableCount() {
        return unavailable.sum();
    }

    /** Requests let through unchecked under {@code revocation.failure-mode=open}. */
    public long failOpenPassCount() {
        return failOpenPasses.sum();
    }
}
