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
    void whenTheLastAnswerIsOlderThanFiveSecondsThenCallersWaitForTheProbe() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SharedProbe<String> probe = new SharedProbe<>(() -> {
            if (probes.incrementAndGet() == 2) {
                await(release);
            }
            return "look " + probes.get();
        }, now::get);
        assertEquals("look 1", probe.get());
        now.addAndGet(SharedProbe.MAX_AGE_NANOS);
        Future<String> probing = callers.submit(probe::get);
        while (probes.get() < 2) {
            Thread.sleep(5);
        }
        List<Future<String>> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(callers.submit(probe::get));
        }
        release.countDown();
        assertEquals("look 2", probing.get(10, TimeUnit.SECONDS));
        for (Future<String> other : others) {
            assertEquals("look 2", other.get(10, TimeUnit.SECONDS), "the probe's answer, not the old one");
        }
    }

    @Test
    void whenTheProbeFailsThenItsCallerAndItsWaitersSeeItsOwnExceptionAndTheNextCallProbesAgain() throws Exception {
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
        Thread.sleep(100); // lets the waiter reach the probe under way
        release.countDown();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
        assertEquals(IllegalStateException.class, failed.getCause().getClass());
        String answer = null;
        Throwable thrown = null;
        try {
            answer = waiter.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            thrown = e.getCause();
        }
        if (probes.get() == 1) {
            // It waited on the failed probe: it gets that probe's exception itself, not a CompletionException.
            assertEquals(IllegalStateException.class, thrown == null ? null : thrown.getClass(), String.valueOf(thrown));
        } else {
            assertEquals("look", answer, "it came after the failure and probed again: " + thrown);
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
