package org.jwtgate.filter;

import jakarta.servlet.ServletContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The filters started in this class loader, in the order they started, with the web application (ServletContext)
 * each started in, and the application whose request the current thread is serving. Lets the optional CDI
 * integration find the running filter of the request's application without the filter knowing about CDI: an
 * embedded server may run several applications in one class loader, wired by one CDI container.
 */
final class StartedFilters {

    private record Started(JwtAuthFilter filter, ServletContext context) {
    }

    private static final List<Started> STARTED = new CopyOnWriteArrayList<>();
    /** The application whose request this thread serves, while a filter runs its chain; null when none. */
    private static final ThreadLocal<ServletContext> SERVING = new ThreadLocal<>();

    private StartedFilters() {
    }

    static void started(JwtAuthFilter filter, ServletContext context) {
        STARTED.add(new Started(filter, context));
    }

    static void stopped(JwtAuthFilter filter) {
        STARTED.removeIf(started -> started.filter() == filter);
    }

    /**
     * The first filter started, and not yet destroyed, in the application whose request this thread serves (none
     * once that application's are destroyed: never another application's); outside such a request, the first of
     * this class loader.
     */
    static Optional<JwtAuthFilter> first() {
        ServletContext serving = SERVING.get();
        JwtAuthFilter first = null;
        for (Started started : STARTED) {
            if (serving != null && started.context() == serving) {
                return Optional.of(started.filter());
            }
            if (first == null) {
                first = started.filter();
            }
        }
        // A request of an application being undeployed: another's service would take its revocations.
        return serving != null ? Optional.empty() : Optional.ofNullable(first);
    }

    /** The first filter started, and not yet destroyed, in {@code context}: the one its default attributes name. */
    static Optional<JwtAuthFilter> firstIn(ServletContext context) {
        for (Started started : STARTED) {
            if (started.context() == context) {
                return Optional.of(started.filter());
            }
        }
        return Optional.empty();
    }

    /**
     * Marks this thread as serving a request of {@code context} (null: nothing to mark) until the returned value is
     * handed to {@link #served}.
     */
    static ServletContext serve(ServletContext context) {
        ServletContext previous = SERVING.get();
        if (context != null && context != previous) {
            SERVING.set(context);
        }
        return previous;
    }

    /** Ends a {@link #serve}: restores what was marked before (nothing, at a request's top: no application kept). */
    static void served(ServletContext previous) {
        if (SERVING.get() != previous) {
            SERVING.set(previous);
        }
    }
}
