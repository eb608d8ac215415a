package org.jwtgate.internal.revocation;

/**
 * One time budget for every store call made while a scope is open on this thread. A DPoP request records
 * its proof and then checks revocation, two Redis calls on the same master (both keys carry the user's
 * hash tag); each alone may wait its whole retry budget, so a hung master would hold the request for two
 * budgets. Within a scope the first call's deadline is every later call's until a call is answered: the
 * request waits one budget for a store that does not answer, and a call that starts once it is spent fails at
 * once (an unavailable store, as the failure mode says). A store that answered, however late, is not hung: the
 * next call starts its own budget ({@link #answered()}), so a slow proof record never leaves the revocation
 * check unasked (a 503 under {@code closed}, an unchecked pass under {@code open}, with a store that answers).
 *
 * <pre>{@code
 * RequestDeadline.Scope scope = RequestDeadline.open();
 * try {
 *     ... the request's store calls ...
 * } finally {
 *     scope.close();
 * }
 * }</pre>
 *
 * A store keeps its own budget outside a scope; a scope opened inside another joins it.
 */
public final class RequestDeadline {

    /** Closes a scope. */
    @FunctionalInterface
    public interface Scope {
        void close();
    }

    private static final ThreadLocal<RequestDeadline> CURRENT = new ThreadLocal<>();
    private static final Scope JOINED = () -> { };

    private boolean set;
    private long deadlineNanos;

    private RequestDeadline() {
    }

    /** Opens a scope on this thread, or joins the one already open. */
    public static Scope open() {
        if (CURRENT.get() != null) {
            return JOINED;
        }
        CURRENT.set(new RequestDeadline());
        return CURRENT::remove;
    }

    /**
     * The deadline ({@link System#nanoTime()} based) of a call that alone would end at {@code ownDeadlineNanos}:
     * that one outside a scope and for a scope's first call, else the earlier of it and the scope's.
     */
    public static long of(long ownDeadlineNanos) {
        RequestDeadline shared = CURRENT.get();
        if (shared == null) {
            return ownDeadlineNanos;
        }
        if (!shared.set) {
            shared.set = true;
            shared.deadlineNanos = ownDeadlineNanos;
            return ownDeadlineNanos;
        }
        return shared.deadlineNanos - ownDeadlineNanos < 0 ? shared.deadlineNanos : ownDeadlineNanos;
    }

    /** A call of this thread's scope was answered: the scope's next call starts its own deadline. */
    public static void answered() {
        RequestDeadline shared = CURRENT.get();
        if (shared != null) {
            shared.set = false;
        }
    }
}
