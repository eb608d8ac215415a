package org.jwtgate.internal.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void theMadeThreadsAreNamedDaemonsWithJwtGatesClassLoader() {
        Thread thread = DaemonThreads.named("jwtgate-test").newThread(() -> { });
        assertEquals("jwtgate-test", thread.getName());
        assertTrue(thread.isDaemon());
        assertEquals(DaemonThreads.class.getClassLoader(), thread.getContextClassLoader());
    }

    /**
     * The outage record's writer lets its thread end after 10 s idle and makes a new one at the next outage: each ended
     * thread stayed in the list close() joins, one more per outage for as long as the filter ran (a resource probe's
     * find). Ended threads are now dropped as the next is made; those not yet started, or running, stay to be joined.
     */
    @Test
    void threadsThatEndedAreDroppedFromTheListAsTheNextIsMade() throws InterruptedException {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory factory = DaemonThreads.named("jwtgate-test", made);
        for (int burst = 0; burst < 5; burst++) {
            Thread thread = factory.newThread(() -> { });
            thread.start();
            thread.join();
        }
        Thread unstarted = factory.newThread(() -> { });
        assertEquals(List.of(unstarted), made, "only the thread not yet ended is kept");
        Thread another = factory.newThread(() -> { });
        assertEquals(List.of(unstarted, another), made, "a thread not yet started is not taken for one that ended");
    }
}
