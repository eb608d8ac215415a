package org.jwtgate.testkit;

import java.time.Duration;

/** A start-to-finish time budget shared by several successive waits. */
final class Deadline {

    private final long endNanos;

    Deadline(Duration budget) {
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }
}
