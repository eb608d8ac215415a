package org.jwtgate.filter;

import java.util.Optional;
import org.jwtgate.principal.JwtPrincipal;

/**
 * The principal of the request the current thread is serving, bound by {@link JwtAuthFilter}
 * while the rest of the filter chain runs and unbound afterwards. Package-private, so only the
 * filter binds: applications read it through {@link JwtAuthFilter#currentPrincipal()} (and CDI's
 * {@code @Inject JwtPrincipal}). The binding follows the thread that runs the chain: work handed
 * to another thread (async servlets, executors) must pass the principal itself.
 */
final class CurrentPrincipal {

    private static final ThreadLocal<JwtPrincipal> CURRENT = new ThreadLocal<>();

    private CurrentPrincipal() {
    }

    /** The principal of the request being served on this thread, if it was authenticated. */
    static Optional<JwtPrincipal> get() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Binds {@code principal} to this thread until the returned binding is closed, which restores
     * whatever was bound before (a forward or include through the filter again nests correctly).
     */
    static Binding bind(JwtPrincipal principal) {
        JwtPrincipal previous = CURRENT.get();
        CURRENT.set(principal);
        return new Binding(previous);
    }

    /** Ends a {@link #bind} (use it in try-with-resources). */
    static final class Binding implements AutoCloseable {

        private final JwtPrincipal previous;

        private Binding(JwtPrincipal previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                CURRENT.remove(); // never leave a value on a pooled thread
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
