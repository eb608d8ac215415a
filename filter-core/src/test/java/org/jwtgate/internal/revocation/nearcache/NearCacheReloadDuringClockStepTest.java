package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.NearCacheSettings;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testing.ManualClock;

/**
 * a wall clock stepped forward while a long periodic reload scans. The step's reload waits for the
 * running one; then it must follow within the 2 s spread, not a whole period later, and no revoked token is accepted.
 */
class NearCacheReloadDuringClockStepTest {

    private final FakeFeed feed = new FakeFeed();
    private NearCacheRevocationStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aForwardStepDuringALongPeriodicReloadGetsItsReloadSoonAfter() throws Exception {
        TokenRef revoked = NearCacheRevocationStoreTest.token();
        feed.storeRevocation(revoked);
        ManualClock clock = new ManualClock(Instant.now().minus(Duration.ofHours(2)));
        store = new NearCacheRevocationStore(
                new AnnouncingRevocationStore(feed.directStore(new AtomicInteger()), feed, new RevocationKeys("jwtgate:"),
                        Duration.ofMillis(300), clock),
                feed, new RevocationKeys("jwtgate:"), new NearCacheSettings(true, 300, 100, 10),
                Duration.ofSeconds(1), Duration.ofSeconds(1), clock, new GateMetrics());
        store.isRevoked(NearCacheRevocationStoreTest.token());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.stats().loads() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(store.stats().loads() >= 1, store.stats().toString());
        int scans = feed.scans.get();
        feed.scanBlocksMillis = 4_000;
        // the periodic reload (10 s ± 10 %) starts and blocks
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (feed.scans.get() == scans && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(feed.scans.get() > scans, "a periodic reload started");
        long periodicStarted = System.nanoTime();
        Thread.sleep(1_000);
        clock.advance(Duration.ofHours(2)); // NTP steps it forward while the reload scans
        feed.scanBlocksMillis = 0;
        int during = feed.scans.get();
        // the running scan ends ~4 s after it started; the step's reload follows within ~2 s + a tick
        long until = periodicStarted + TimeUnit.SECONDS.toNanos(9);
        while (feed.scans.get() == during && System.nanoTime() < until) {
            assertTrue(store.isRevoked(revoked), "a revoked, unexpired token was accepted: " + store.stats());
            Thread.sleep(20);
        }
        assertTrue(feed.scans.get() > during, "no reload within 5 s of the long reload's end after a forward step: "
                + store.stats());
        for (int i = 0; i < 50; i++) {
            assertTrue(store.isRevoked(revoked), "a revoked, unexpired token was accepted: " + store.stats());
            Thread.sleep(20);
        }
    }
}
