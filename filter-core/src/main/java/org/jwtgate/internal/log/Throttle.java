package org.jwtgate.internal.log;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Lets one event through per interval and counts those it held back: a WARN for every request answered
 * 503 during an outage would flood the container's log with thousands of identical lines a second.
 */
public final class Throttle {

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextNanos;
    private final LongAdder held = new LongAdder();

    public Throttle(Duration interval) {
        this(interval, System::nanoTime);
    }

    Throttle(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.nextNanos = new AtomicLong(nanoTime.getAsLong());
    }

    /** @return -1 when this event is held back; else how many were held back since the last one let through */
    public long pass() {
        long now = nanoTime.getAsLong();
        long next = nextNanos.get();
        if (now - next >= 0 && nextNanos.compareAndSet(next, now + intervalNanos)) {
            return held.sumThenReset();
        }
        held.increment();
        return -1;
    }
}
