package org.jwtgate.testkit;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until a deadline: the rig waits on observable state, never on fixed sleeps. */
final class Poll {

    static final Duration INTERVAL = Duration.ofMillis(20);

    private Poll() {
    }

    /**
     * Calls {@code probe} until it returns a non-null value, which is returned. A probe that throws
     * (connection refused, LOADING...) counts as "not yet"; its last failure goes into the timeout message,
     * followed by {@code diagnostics} (e.g. node log tails).
     */
    static <T> T until(String what, Duration timeout, Supplier<T> probe, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastFailure = null;
        while (true) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (RedisClusterException e) {
                throw e; // a definite failure (e.g. a process died), not a "not yet"
            } catch (RuntimeException e) {
                lastFailure = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                String cause = lastFailure == null ? "" : " (last error: " + lastFailure + ")";
                throw new RedisClusterException(
                        "Timed out after " + timeout.toMillis() + " ms waiting for " + what + cause + "\n" + diagnostics.get(),
                        lastFailure);
            }
            Processes.sleepQuietly(INTERVAL);
        }
    }

    /** Like {@link #until} for a boolean condition. */
    static void untilTrue(String what, Duration timeout, Supplier<Boolean> condition, Supplier<String> diagnostics) {
        until(what, timeout, () -> condition.get() ? Boolean.TRUE : null, diagnostics);
    }
}
