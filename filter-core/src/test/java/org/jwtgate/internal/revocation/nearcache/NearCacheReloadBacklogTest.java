package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.NearCacheSettings;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.RevocationKeys;

/**
 * Time scaled down (resync 1 s stands for resync-seconds=10, a 2.5 s scan for a keyspace whose scan
 * outlasts the period): periodic reloads whose scan takes longer than {@code revocation.near-cache.resync-seconds} must
 * not pile up. The heartbeat thread submitted one reload per period whether or not the previous one had ended, so the
 * loader's queue grew without bound, and once the scans were fast again the instance ran the backlog of full scans
 * back to back (a soak probe's find: 10 scans in 4 s).
 */
class NearCacheReloadBacklogTest {

    private final FakeFeed feed = new FakeFeed();
    private NearCacheRevocationStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void reloadsSlowerThanTheResyncPeriodDoNotQueueUp() throws Exception {
        store = new NearCacheRevocationStore(
                new AnnouncingRevocationStore(feed.directStore(new AtomicInteger()), feed, new RevocationKeys("jwtgate:"),
                        Duration.ofMillis(300), Clock.systemUTC()),
                feed, new RevocationKeys("jwtgate:"), new NearCacheSettings(true, 300, 1000, 1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Clock.systemUTC(), new GateMetrics());
        store.isRevoked(NearCacheRevocationStoreTest.token());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.stats().loads() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(store.stats().loads() >= 1, store.stats().toString());

        feed.scanBlocksMillis = 2_500; // each scan now outlasts the 1 s period
        Thread.sleep(12_000);
        int slowScans = feed.scans.get();
        feed.scanBlocksMillis = 0;
        // The scan under way still blocks up to 2.5 s; then one reload per 1 s period: at most ~4 in the next 4 s.
        for (int i = 1; i <= 8; i++) {
            Thread.sleep(500);
            System.out.printf("%.1f s after scans became fast: %d scans since%n", i / 2.0, feed.scans.get() - slowScans);
        }
        int backlog = feed.scans.get() - slowScans;
        System.out.printf("scans started while slow (12 s): %d; scans started in the 4 s after they became fast: %d;"
                + " loads %d%n", slowScans, backlog, store.stats().loads());
        assertTrue(backlog <= 5, "after 12 s of 2.5 s scans with a 1 s period, " + backlog
                + " full scans ran in the next 4 s (one per period, at most 5, expected): reloads queued up");
    }
}
