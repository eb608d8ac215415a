package org.jwtgate.sample.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedProbeTest {

    private final AtomicLong now = new AtomicLong(7_000_000_000L);
    private final AtomicInteger probes = new AtomicInteger();
    private final ExecutorService callers = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    @Test
    void whenAskedWithinASecondThenTheAnswerIsReusedAndAfterItTheProbeRunsAgain() {
        SharedProbe<String> probe = new SharedProbe<>(() -> "look " + probes.incrementAndGet(), now::get);
        assertEquals("look 1", probe.get());
        now.addAndGet(SharedProbe.REUSE_NANOS - 1);
        assertEquals("look 1", probe.get());
        now.addAndGet(1);
        assertEquals("look 2", probe.get());
    }

    @Test
    void whenManyAskDuringTheFirstProbeThenTheyAllGetItsAnswer() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SharedProbe<String> probe = new SharedProbe<>(() -> {
            probes.incrementAndGet();
            probing.countDown();
            await(release);
            return "first";
        }, now::get);
        Future<String> first = callers.submit(probe::get);
        assertTrue(probing.await(10, TimeUnit.SECONDS));
        List<Future<String>> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            others.add(callers.submit(probe::get));
        }
        release.countDown();
        assertEquals("first", first.get(10, TimeUnit.SECONDS));
        for (Future<String> other : others) {
            assertEquals("first", other.get(10, TimeUnit.SECONDS));
        }
        assertEquals(1, probes.get());
    }

    @Test
    void whenAProbeHangsThenOthersTakeThePreviousAnswerAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SharedProbe<String> probe = new SharedProbe<>(() -> {
            if (probes.incrementAndGet() == 2) {
                await(release); // a Redis node that does not answer: the probe waits for its timeout
            }
            return "look " + probes.get();
        }, now::get);
        assertEquals("look 1", probe.get());
        now.addAndGet(SharedProbe.REUSE_NANOS);
        Future<String> hanging = callers.submit(probe::get);
        while (probes.get() < 2) {
            Thread.sleep(5);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("look 1", callers.submit(probe::get).get(10, TimeUnit.SECONDS));
        }
        release.countDown();
        assertEquals("look 2", hanging.get(10, TimeUnit.SECONDS));
        assertEquals("look 2", probe.get());
    }

    @Test
    void whenTheProbeFailsThenItsCallerAndItsWaitersSeeItAndTheNextCallProbesAgain() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SharedProbe<String> probe = new SharedProbe<>(() -> {
            if (probes.incrementAndGet() == 1) {
                probing.countDown();
                await(release);
                throw new IllegalStateException("probe failed");
            }
            return "look";
        }, now::get);
        Future<String> first = callers.submit(probe::get);
        assertTrue(probing.await(10, TimeUnit.SECONDS));
        Future<String> waiter = callers.submit(probe::get);
        release.countDown();
        assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
        // The waiter either waited on the failed probe (and saw its failure) or came after it and probed again.
        try {
            assertEquals("look", waiter.get(10, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            assertTrue(String.valueOf(e.getCause().getMessage()).contains("probe failed"), e.toString());
        }
        assertEquals("look", probe.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
