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
        return previous == null ? Binding.TO_NOTHING : new Binding(previous);
    }

    /**
     * Unbinds the principal for the rest of the request (request.logout()): the current binding's close() then restores
     * no outer binding's principal either.
     */
    static void forget() {
        CURRENT.set(null);
    }

    /** Ends a {@link #bind} (use it in try-with-resources). */
    static final class Binding implements AutoCloseable {

        /** The usual case, a request not nested in another one: nothing to restore, nothing to allocate. */
        private static final Binding TO_NOTHING = new Binding(null);

        private final JwtPrincipal previous;

        private Binding(JwtPrincipal previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            // Never leave a principal on a pooled thread. Setting null (rather than remove()) keeps the thread's
            // entry: get() on a missing entry inserts one, so remove() would make every request insert and
            // delete an entry of the container thread's ThreadLocalMap (whose other lookups then probe
            // further). The value held is null either way, so nothing of the application is retained.
            if (previous != null && CURRENT.get() == null) {
                return; // forget() (request.logout()) ran inside this binding: the outer one must not bring it back
            }
            CURRENT.set(previous);
        }
    }
}
