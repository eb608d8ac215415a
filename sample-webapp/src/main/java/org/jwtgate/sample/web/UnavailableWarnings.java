package org.jwtgate.sample.web;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The WARN for a request answered 503, at most one line per interval, saying how many more 503s it stands for:
 * while Redis is down, or while clients keep every password-hashing slot busy (which any client can do with
 * enough logins at once), a line per request would flood the log. The same rule as the filter's own 503 WARN.
 */
final class UnavailableWarnings {

    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final LongSupplier nanoTime;
    private long nextNanos;
    private long held;

    UnavailableWarnings(Logger log, LongSupplier nanoTime) {
        this.log = log;
        this.nanoTime = nanoTime;
        this.nextNanos = nanoTime.getAsLong();
    }

    void warn(String method, String path, String reason) {
        long heldBefore;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (now - nextNanos < 0) {
                held++;
                return;
            }
            nextNanos = now + INTERVAL.toNanos();
            heldBefore = held;
            held = 0;
        }
        log.warn("Answering 503 to {} {}: {}{}", method, path, reason,
                heldBefore == 0 ? "" : " (and to " + heldBefore + " more requests since the last such line)");
    }
}
