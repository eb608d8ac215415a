package org.jwtgate.filter;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.util.UUID;
import org.jwtgate.internal.metrics.GateMetrics;

/**
 * Counts each client request once, with the decision it ended with (docs/monitoring.md: {@code jwtgate.requests}
 * counts requests "by how they ended"). A forward or async dispatch may decide a request again — a public page
 * forwarding into a protected one, a forward into a path whose role the caller lacks, one after {@code logout()}
 * — and the client gets that answer, not the first one. So a decision that lets a request through is held while
 * its chain runs, a later pass's decision replaces it, and it is counted when the request ends: when the pass that
 * opened it returns, or, after {@code startAsync()}, when the request completes. An answer of the filter's own (a refusal, a
 * 503) that no open pass holds ends the request and counts at once.
 *
 * <p>A decision is a {@link GateMetrics.Outcome} other than {@code REFUSED}, or the {@link GateMetrics.Reason} of a
 * refusal. The plain request allocates nothing here: the held decision lives in a per-thread slot (a forward or
 * include runs on the thread of the pass it is nested in), emptied when the pass ends; only a request that went
 * async gets a request attribute and this listener.
 */
final class RequestOutcomes implements AsyncListener {

    private final GateMetrics counters;
    /**
     * The decision of the pass open on this thread; null when none is. Per filter instance: two JwtGate filters in
     * one chain each count the request in their own counters. Set back to null, never left holding a value, so a
     * pooled thread keeps nothing of the application after it is undeployed (as {@link CurrentPrincipal}).
     */
    private final ThreadLocal<Enum<?>> open = new ThreadLocal<>();
    /** The held decision of a request that went async; named for the filter instance, as its caller record is. */
    private final String pendingAttribute;

    RequestOutcomes(Object frontEnd, GateMetrics counters) {
        this.counters = counters;
        this.pendingAttribute = frontEnd.getClass().getName() + ".outcome@" + UUID.randomUUID();
    }

    /**
     * {@code request} is let through with {@code decision}.
     *
     * @return whether this pass opened the request's count (its first pass through the filter): then call
     *         {@link #ended} once its chain returns; false when an earlier pass holds it, and now this decision
     */
    boolean letThrough(ServletRequest request, Enum<?> decision) {
        if (replaced(request, decision)) {
            return false;
        }
        open.set(decision);
        return true;
    }

    /** The filter answers {@code request} itself (a refusal, a 503) with {@code decision}: it ends so. */
    void answered(ServletRequest request, Enum<?> decision) {
        if (!replaced(request, decision)) {
            count(decision);
        }
    }

    /**
     * The chain of the pass that opened the count returned: counts the request with its last decision, or, when the
     * application went async, holds that decision until the request completes.
     */
    void ended(ServletRequest request, ServletResponse response) {
        Enum<?> decision = open.get();
        open.set(null);
        if (request.isAsyncStarted()) {
            try {
                request.setAttribute(pendingAttribute, decision);
                request.getAsyncContext().addListener(this, request, response);
                return;
            } catch (IllegalStateException alreadyOver) {
                request.removeAttribute(pendingAttribute); // completed meanwhile: nothing will come to replace it
            }
        }
        count(decision);
    }

    /** Whether a pass that opened the count holds it (a nested forward, or a request gone async): it now holds this. */
    private boolean replaced(ServletRequest request, Enum<?> decision) {
        if (open.get() != null) {
            open.set(decision);
            return true;
        }
        DispatcherType dispatch = request.getDispatcherType();
        if (dispatch == DispatcherType.REQUEST || dispatch == null) {
            return false; // a request's first pass: no attribute to look for
        }
        if (request.getAttribute(pendingAttribute) != null) {
            request.setAttribute(pendingAttribute, decision);
            return true;
        }
        return false; // the filter's first look at the request (not mapped for REQUEST, or not on its path)
    }

    private void count(Enum<?> decision) {
        if (decision instanceof GateMetrics.Reason reason) {
            counters.refused(reason);
        } else {
            counters.outcome((GateMetrics.Outcome) decision);
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        ServletRequest request = event.getSuppliedRequest();
        if (request.getAttribute(pendingAttribute) instanceof Enum<?> decision) {
            request.removeAttribute(pendingAttribute);
            count(decision);
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // startAsync() again (in an async dispatch) drops the listeners: stay for the request's end.
        event.getAsyncContext().addListener(this, event.getSuppliedRequest(), event.getSuppliedResponse());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // onComplete follows.
    }

    @Override
    public void onError(AsyncEvent event) {
        // onComplete follows.
    }
}
