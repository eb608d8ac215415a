package org.jwtgate.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {

    @Test
    void whenEventsComeFasterThanTheIntervalThenOnePassesPerIntervalWithTheCountHeldBack() {
        AtomicLong now = new AtomicLong(1_000);
        Throttle throttle = new Throttle(Duration.ofSeconds(10), now::get);
        assertEquals(0, throttle.pass(), "the first passes");
        assertEquals(-1, throttle.pass());
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertEquals(-1, throttle.pass());
        assertEquals(-1, throttle.pass());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(3, throttle.pass(), "ten seconds later, one passes and says three were held back");
        assertEquals(-1, throttle.pass());
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertEquals(1, throttle.pass());
        assertEquals(-1, throttle.pass());
    }
}
