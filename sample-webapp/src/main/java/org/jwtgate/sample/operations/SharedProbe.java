package org.jwtgate.sample.operations;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A probe behind a public endpoint: run by one caller at a time, its answer reused for a second. A caller
 * that finds a probe under way takes the previous answer, or waits for that probe when there is none yet.
 * Without this, each {@code GET /health} opened a connection to every Redis node, so a flood of calls
 * could exhaust Redis's clients and hold a thread per call while a node timed out.
 * (JwtGate's own {@code health()} does the same for its store.)
 *
 * @param <T> the probe's answer
 */
final class SharedProbe<T> {

    static final long REUSE_NANOS = 1_000_000_000L;

    private final Supplier<T> probe;
    private final LongSupplier nanoClock;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private T last;
    /** Guarded by lock. */
    private long lastAtNanos;
    /** Guarded by lock; null when no probe is under way. */
    private CompletableFuture<T> underWay;

    SharedProbe(Supplier<T> probe, LongSupplier nanoClock) {
        this.probe = probe;
        this.nanoClock = nanoClock;
    }

    T get() {
        CompletableFuture<T> running;
        synchronized (lock) {
            if (last != null && (underWay != null || nanoClock.getAsLong() - lastAtNanos < REUSE_NANOS)) {
                return last;
            }
            if (underWay != null) {
                running = underWay;
            } else {
                underWay = new CompletableFuture<>();
                running = null;
            }
        }
        return running != null ? running.join() : probeNow();
    }

    private T probeNow() {
        T answer;
        try {
            answer = probe.get();
        } catch (RuntimeException | Error e) {
            CompletableFuture<T> failed;
            synchronized (lock) {
                failed = underWay;
                underWay = null;
            }
            failed.completeExceptionally(e); // the waiters see the failure; the next call probes again
            throw e;
        }
        CompletableFuture<T> done;
        synchronized (lock) {
            last = answer;
            lastAtNanos = nanoClock.getAsLong();
            done = underWay;
            underWay = null;
        }
        done.complete(answer);
        return answer;
    }
}
