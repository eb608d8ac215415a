package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.NearCacheSettings;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testing.ManualClock;

/**
 * {@code reloadUnderWay} is set by the heartbeat thread before {@code submitReload}, and reset only
 * by the submitted task's finally, by the closed check, or on a RejectedExecutionException. An Error thrown by the
 * submission itself (an OutOfMemoryError allocating the task or the queue's node: the tick catches Errors precisely
 * for that case) leaves it set for good: no periodic reload ever again, nor the reload a clock step asks for, so after
 * a forward step every check reads Redis until a resubscription.
 */
class NearCacheReloadGateErrorTest {

    private final FakeFeed feed = new FakeFeed();
    private final AtomicInteger redisReads = new AtomicInteger();
    private NearCacheRevocationStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void anErrorSubmittingAPeriodicReloadDoesNotStopReloadsForGood() throws Exception {
        TokenRef revoked = NearCacheRevocationStoreTest.token();
        feed.storeRevocation(revoked);
        ManualClock clock = new ManualClock(Instant.now().minus(Duration.ofHours(2)));
        store = new NearCacheRevocationStore(
                new AnnouncingRevocationStore(feed.directStore(redisReads), feed, new RevocationKeys("jwtgate:"),
                        Duration.ofMillis(300), clock),
                feed, new RevocationKeys("jwtgate:"), new NearCacheSettings(true, 300, 100, 1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), clock, new GateMetrics());
        store.isRevoked(NearCacheRevocationStoreTest.token());
        await(() -> store.stats().loads() >= 1);
        assertTrue(store.stats().loads() >= 1, "loaded: " + store.stats());

        AtomicBoolean failNext = new AtomicBoolean(true);
        Field synchronizerField = NearCacheRevocationStore.class.getDeclaredField("synchronizer");
        synchronizerField.setAccessible(true);
        Object synchronizer = synchronizerField.get(store);
        Field loaderField = NearCacheSynchronizer.class.getDeclaredField("loader");
        loaderField.setAccessible(true);
        ExecutorService real = (ExecutorService) loaderField.get(synchronizer);
        loaderField.set(synchronizer, new AbstractExecutorService() {
            @Override
            public void execute(Runnable command) {
                if (failNext.compareAndSet(true, false)) {
                    throw new OutOfMemoryError("Java heap space"); // once, as a transient OOM would
                }
                real.execute(command);
            }

            @Override
            public void shutdown() {
                real.shutdown();
            }

            @Override
            public List<Runnable> shutdownNow() {
                return real.shutdownNow();
            }

            @Override
            public boolean isShutdown() {
                return real.isShutdown();
            }

            @Override
            public boolean isTerminated() {
                return real.isTerminated();
            }

            @Override
            public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
                return real.awaitTermination(timeout, unit);
            }
        });
        await(() -> !failNext.get()); // the next periodic reload's submission threw
        int scans = feed.scans.get();
        long loads = store.stats().loads();

        clock.advance(Duration.ofHours(2)); // NTP steps it forward: a reload within 2 s is asked for
        Thread.sleep(6_000); // six periods of 1 s, and the 2 s spread

        int reads = redisReads.get();
        for (int i = 0; i < 20; i++) {
            assertTrue(store.isRevoked(revoked), "a revoked, unexpired token was accepted: " + store.stats());
        }
        assertTrue(feed.scans.get() > scans && store.stats().loads() > loads,
                "no reload in 6 s after one Error submitting a periodic reload (period 1 s), nor after a forward"
                        + " clock step: scans " + scans + " -> " + feed.scans.get() + ", every check reads Redis ("
                        + (redisReads.get() - reads) + " Redis reads for 20 checks); " + store.stats());
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
    }
}
