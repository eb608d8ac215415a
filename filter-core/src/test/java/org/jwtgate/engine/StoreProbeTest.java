package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store probe of {@link JwtGate#health()}: reused for a second, one probe at a time, never an old answer. */
class StoreProbeTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicBoolean storeUp = new AtomicBoolean(true);
    private final ExecutorService callers = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    private StoreProbe countingProbe() {
        return new StoreProbe(() -> {
            probes.incrementAndGet();
            return storeUp.get();
        }, now::get);
    }

    @Test
    void whenAskedAgainWithinASecondThenTheAnswerIsReused() {
        StoreProbe probe = countingProbe();
        assertTrue(probe.isUp());
        storeUp.set(false);
        now.addAndGet(StoreProbe.REUSE_NANOS - 1);
        assertTrue(probe.isUp(), "reused");
        assertEquals(1, probes.get());

        now.addAndGet(1);
        assertFalse(probe.isUp(), "a second later the store is asked again");
        assertEquals(2, probes.get());
    }

    @Test
    void whenManyAskWhileTheFirstProbeRunsThenOneProbeAnswersThemAll() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StoreProbe probe = new StoreProbe(() -> {
            probes.incrementAndGet();
            probing.countDown();
            await(release);
            return false;
        }, now::get);
        Future<Boolean> first = callers.submit(probe::isUp);
        assertTrue(probing.await(10, TimeUnit.SECONDS));
        List<Future<Boolean>> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            others.add(callers.submit(probe::isUp));
        }
        Thread.sleep(50); // the others are waiting on the first probe, not probing themselves
        assertEquals(1, probes.get());
        release.countDown();
        assertFalse(first.get(10, TimeUnit.SECONDS));
        for (Future<Boolean> other : others) {
            assertFalse(other.get(10, TimeUnit.SECONDS), "the probe's answer");
        }
        assertEquals(1, probes.get());
    }

    @Test
    void whenAProbeRunsThenOthersTakeTheLastAnswerWithoutWaiting() throws Exception {
        StoreProbe slow = upThenHangingUntil(new CountDownLatch(1)); // never released: stopped with the callers
        assertTrue(slow.isUp());
        now.addAndGet(StoreProbe.REUSE_NANOS);
        callers.submit(slow::isUp);
        awaitSecondProbe();
        for (int i = 0; i < 20; i++) {
            assertTrue(callers.submit(slow::isUp).get(10, TimeUnit.SECONDS), "the last answer, at once");
        }
        assertEquals(2, probes.get());
    }

    @Test
    void whenTheLastAnswerIsOlderThanFiveSecondsThenCallersWaitForTheProbeInsteadOfHearingIt() throws Exception {
        // After a quiet spell, an UP from long ago must not answer for a store that is now hanging.
        CountDownLatch release = new CountDownLatch(1);
        StoreProbe probe = upThenHangingUntil(release);
        assertTrue(probe.isUp());
        now.addAndGet(StoreProbe.MAX_AGE_NANOS);
        Future<Boolean> probing = callers.submit(probe::isUp);
        awaitSecondProbe();
        List<Future<Boolean>> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(callers.submit(probe::isUp));
        }
        release.countDown();
        assertFalse(probing.get(10, TimeUnit.SECONDS));
        for (Future<Boolean> other : others) {
            assertFalse(other.get(10, TimeUnit.SECONDS), "the probe's answer, not the old UP");
        }
        assertEquals(2, probes.get());
    }

    @Test
    void whenTheProbeThrowsThenItsCallerSeesItAndTheStoreCountsAsDown() {
        StoreProbe probe = new StoreProbe(() -> {
            probes.incrementAndGet();
            throw new IllegalStateException("a custom store's bug");
        }, now::get);
        assertThrows(IllegalStateException.class, probe::isUp);
        assertFalse(probe.isUp(), "reused as down, not thrown again within the second");
        assertEquals(1, probes.get());
    }

    @Test
    void whenTheProbesThreadIsInterruptedThenItsAnswerIsNotReused() {
        // A Redis store's probe gives up waiting when its thread is interrupted and answers down.
        StoreProbe probe = new StoreProbe(() -> {
            probes.incrementAndGet();
            if (probes.get() == 1) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true;
        }, now::get);
        try {
            assertFalse(probe.isUp(), "the interrupted caller hears what the probe said");
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is left for the caller");
        }
        assertTrue(probe.isUp(), "the next caller probes again instead of hearing down for a second");
        assertEquals(2, probes.get());
    }

    @Test
    void whenAProbeIsInterruptedThenTheCallersWaitingForItProbeAgainInsteadOfHearingIt() throws Exception {
        // The interrupted probe's "down" says nothing about the store: not kept, and not handed to its waiters either.
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StoreProbe probe = new StoreProbe(() -> {
            if (probes.incrementAndGet() == 1) {
                probing.countDown();
                await(release);
                Thread.currentThread().interrupt(); // its caller was told to stop: a Redis probe then answers down
                return false;
            }
            return true;
        }, now::get);
        Future<Boolean> interrupted = callers.submit(probe::isUp);
        assertTrue(probing.await(10, TimeUnit.SECONDS));
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<Boolean> waiting = callers.submit(() -> {
            waiter.set(Thread.currentThread());
            return probe.isUp();
        });
        awaitParked(waiter); // no answer to take yet: it waits for the first probe (a fixed sleep may end before it does)
        release.countDown();
        assertFalse(interrupted.get(10, TimeUnit.SECONDS), "the interrupted caller hears what its probe said");
        assertTrue(waiting.get(10, TimeUnit.SECONDS), "the waiter asks the store instead of hearing the interrupted probe");
        assertEquals(2, probes.get());
    }

    /** A store that answers up, then hangs until {@code release} (as PINGs to a dead node wait for their timeout) and answers down. */
    private StoreProbe upThenHangingUntil(CountDownLatch release) {
        return new StoreProbe(() -> {
            if (probes.incrementAndGet() == 1) {
                return true;
            }
            await(release);
            return false;
        }, now::get);
    }

    private void awaitSecondProbe() throws InterruptedException {
        while (probes.get() < 2) {
            Thread.sleep(5);
        }
    }

    /** Waits until the caller in {@code thread} is parked, as one waiting for the probe under way is; at most 10 s. */
    private static void awaitParked(AtomicReference<Thread> thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.get() == null || thread.get().getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() - deadline < 0, "the caller never waited for the probe under way");
            Thread.sleep(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
