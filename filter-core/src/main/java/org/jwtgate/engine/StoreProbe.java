package org.jwtgate.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The revocation store's answer for {@link JwtGate#health()}, probed at most once per {@link #REUSE_NANOS} and
 * by one caller at a time. A health servlet is usually public: without this, every call would send a
 * read ({@code MGET}) to each Redis master on connections the checks share, and while Redis is unreachable every
 * call would hold its thread for the store's timeout, so a flood of probes could starve the requests.
 *
 * <p>A caller that finds a probe under way takes the last answer if it is younger than {@link #MAX_AGE_NANOS},
 * else waits for that probe: after a quiet spell the first callers wait, rather than hear an old {@code UP}.
 */
final class StoreProbe {

    /** How long an answer is reused: short beside a readiness probe's period (seconds), long beside a flood. */
    static final long REUSE_NANOS = 1_000_000_000L;
    /** The oldest answer handed out while a probe is under way (a probe of a hung store takes seconds). */
    static final long MAX_AGE_NANOS = 5_000_000_000L;

    private final BooleanSupplier probe;
    private final LongSupplier nanoClock;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private Answer last;
    /** Guarded by lock; null when no probe is under way. */
    private CompletableFuture<Boolean> underWay;

    StoreProbe(BooleanSupplier probe, LongSupplier nanoClock) {
        this.probe = probe;
        this.nanoClock = nanoClock;
    }

    /** Whether the store answered, now or within the last second (5 s while a probe runs); throws only what the probe throws, to its own caller. */
    boolean isUp() {
        while (true) {
            CompletableFuture<Boolean> mine;
            synchronized (lock) {
                long age = last == null ? Long.MAX_VALUE : nanoClock.getAsLong() - last.atNanos;
                if (age < REUSE_NANOS || (underWay != null && age < MAX_AGE_NANOS)) {
                    return last.up;
                }
                if (underWay != null) {
                    mine = underWay;
                } else {
                    underWay = new CompletableFuture<>();
                    mine = null;
                }
            }
            if (mine == null) {
                return probeNow();
            }
            Boolean answer = mine.join();
            if (answer != null) {
                return answer;
            }
            // The probe waited for was interrupted: it said nothing about the store, so ask again.
        }
    }

    private boolean probeNow() {
        boolean up = false;
        boolean interrupted;
        CompletableFuture<Boolean> done;
        try {
            up = probe.getAsBoolean();
        } finally {
            synchronized (lock) {
                // An interrupted probe (the caller's thread told to stop) says nothing about the store: not kept,
                // and not handed to the callers waiting for it (null: they probe again).
                interrupted = Thread.currentThread().isInterrupted();
                if (!interrupted) {
                    // The answer dates from when it came: a probe that took the store's timeout is not stale at once.
                    last = new Answer(up, nanoClock.getAsLong());
                }
                done = underWay;
                underWay = null;
            }
            done.complete(interrupted ? null : up);
        }
        return up;
    }

    private record Answer(boolean up, long atNanos) {
    }
}
