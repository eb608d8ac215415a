package org.jwtgate.filter;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The first {@link JwtAuthFilter} started in this class loader (one web application), as the
 * ServletContext attribute names the first filter's revocation API. Lets the optional CDI
 * integration find the running filter without the filter knowing about CDI.
 */
final class StartedFilters {

    private static final AtomicReference<JwtAuthFilter> FIRST = new AtomicReference<>();

    private StartedFilters() {
    }

    /** The first filter to start wins, until it is destroyed. */
    static void started(JwtAuthFilter filter) {
        FIRST.compareAndSet(null, filter);
    }

    static void stopped(JwtAuthFilter filter) {
        FIRST.compareAndSet(filter, null);
    }

    static Optional<JwtAuthFilter> first() {
        return Optional.ofNullable(FIRST.get());
    }
}
