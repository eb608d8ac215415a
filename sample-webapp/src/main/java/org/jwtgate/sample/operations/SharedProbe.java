package org.jwtgate.sample.operations;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A probe behind a public endpoint: run by one caller at a time, its answer reused for a second. A caller
 * that finds a probe under way takes the previous answer if it is younger than 5 s, else waits for that probe.
 * Without this, each {@code GET /health} opened a connection to every Redis node, so a flood of calls
 * could exhaust Redis's clients and hold a thread per call while a node timed out.
 * (JwtGate's own {@code health()} does the same for its store.)
 *
 * @param <T> the probe's answer
 */
final class SharedProbe<T> {

    static final long REUSE_NANOS = 1_000_000_000L;
    /** The oldest answer handed out while a probe is under way. */
    static final long MAX_AGE_NANOS = 5_000_000_000L;

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
            long age = last == null ? Long.MAX_VALUE : nanoClock.getAsLong() - lastAtNanos;
            if (age < REUSE_NANOS || (underWay != null && age < MAX_AGE_NANOS)) {
                return last;
            }
            if (underWay != null) {
                running = underWay;
            } else {
                underWay = new CompletableFuture<>();
                running = null;
            }
        }
        return running != null ? await(running) : probeNow();
    }

    /** The probe's answer, or what it threw, as its own caller sees it (not wrapped). */
    private static <T> T await(CompletableFuture<T> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
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
