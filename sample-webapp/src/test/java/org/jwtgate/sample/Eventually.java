package org.jwtgate.sample;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits on what the app shows, never a fixed sleep: for the near-cache to turn fresh, a counter to move. */
final class Eventually {

    private Eventually() {
    }

    /** Calls {@code probe} until it returns non-null (returned), or fails after {@code timeout} with the last value seen. */
    static <T> T until(String what, Duration timeout, Callable<T> probe, Callable<Object> lastSeen) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            T value = probe.call();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what
                + "; last: " + lastSeen.call());
    }
}
