package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jwtgate.config.NearCacheSettings;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.revocation.NearCacheStats;
import org.jwtgate.testing.ManualClock;

/** The near-cache's synchronisation against an in-memory feed: no Redis, real threads. */
class NearCacheRevocationStoreTest {

    /** Generous, so that a stall of a busy test machine does not make the state lapse mid-test. */
    private static final int STALENESS_MS = 300;

    private final FakeFeed feed = new FakeFeed();
    private final AtomicInteger redisReads = new AtomicInteger();
    private NearCacheRevocationStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private final GateMetrics metrics = new GateMetrics();

    private NearCacheRevocationStore start(int capacity) {
        return start(capacity, 300);
    }

    private NearCacheRevocationStore start(int capacity, int resyncSeconds) {
        return start(capacity, resyncSeconds, Clock.systemUTC());
    }

    private NearCacheRevocationStore start(int capacity, int resyncSeconds, Clock clock) {
        store = new NearCacheRevocationStore(
                new AnnouncingRevocationStore(feed.directStore(redisReads), feed, new RevocationKeys("jwtgate:"),
                        Duration.ofMillis(STALENESS_MS), clock),
                feed, new RevocationKeys("jwtgate:"), new NearCacheSettings(true, STALENESS_MS, capacity, resyncSeconds),
                Duration.ofSeconds(1), Duration.ofSeconds(1), clock, metrics);
        return store;
    }

    @Test
    void whenLoadedAndHeartbeatsFlowThenChecksAreLocalAndStoredRevocationsCount() {
        TokenRef revoked = token();
        feed.storeRevocation(revoked);
        NearCacheRevocationStore store = start(100);

        assertTrue(store.isRevoked(revoked), "first check: not fresh yet, so Redis answers");
        assertEquals(1, redisReads.get());
        AtomicInteger checks = new AtomicInteger(1);
        assertTrue(whileFresh(() -> {
            checks.addAndGet(2);
            assertTrue(store.isRevoked(revoked));
            assertFalse(store.isRevoked(token()));
        }), "no Redis read once fresh: " + store.stats());
        NearCacheStats stats = store.stats();
        assertTrue(stats.localChecks() >= 2, stats.toString());
        assertEquals(checks.get(), stats.localChecks() + stats.roundTripChecks(), "each check counted once: " + stats);
        assertEquals(1, stats.exactEntries());
        assertEquals(1, stats.loads());
    }

    @Test
    void whenTheFirstCheckRunsOnAnApplicationsThreadThenTheNearCacheThreadsDoNotKeepItsClassLoader() throws Exception {
        // A module registered for the container serves every application, and its first check starts these threads on
        // a request thread, whose context class loader is the application's: inherited, it stayed reachable for as
        // long as the container ran, after that application's redeploys and undeploy (seen in Jetty 12).
        NearCacheRevocationStore store = start(100);
        ClassLoader application = new URLClassLoader(new URL[0], null);
        Thread current = Thread.currentThread();
        ClassLoader own = current.getContextClassLoader();
        current.setContextClassLoader(application);
        try {
            store.isRevoked(token());
        } finally {
            current.setContextClassLoader(own);
        }
        Map<String, ClassLoader> loaders = new TreeMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (loaders.size() < 3 && System.nanoTime() < deadline) {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("jwtgate-near-cache-")
                        && (thread.getContextClassLoader() == application || !loaders.containsKey(thread.getName()))) {
                    loaders.put(thread.getName(), thread.getContextClassLoader());
                }
            }
            Thread.sleep(20);
        }
        assertEquals(Set.of("jwtgate-near-cache-heartbeat", "jwtgate-near-cache-loader", "jwtgate-near-cache-subscriber"),
                loaders.keySet());
        loaders.forEach((name, loader) -> assertNotSame(application, loader, name + " keeps the application's class loader"));
    }

    @Test
    void whenRevokedThroughTheStoreThenRefusedLocallyOnceAcknowledged() {
        NearCacheRevocationStore store = start(100);
        store.isRevoked(token());
        await("fresh", store::isFresh);
        TokenRef token = token();
        assertFalse(store.isRevoked(token));
        assertEquals(null, store.stats().lastAnnouncementApplied(), "none yet");

        Instant before = Instant.now();
        long start = System.nanoTime();
        store.revokeToken(token, Duration.ofMinutes(5));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(millis >= STALENESS_MS, "acknowledged after max-staleness: " + millis + " ms");
        assertTrue(store.isRevoked(token), "refused on the very next check");
        assertTrue(whileFresh(() -> assertTrue(store.isRevoked(token))), "from the local state: " + store.stats());
        assertEquals(1, store.stats().announcementsApplied());
        Instant applied = store.stats().lastAnnouncementApplied();
        assertTrue(!applied.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                && !applied.isAfter(Instant.now()), applied + " within the call from " + before);
    }

    /**
     * The load after a subscription waits for its first heartbeat answer, for the watchdog's time at most. When the
     * answers come just later (held back here, as by a pause), the watchdog is satisfied again before it looks, so
     * giving up the load would leave the subscription never loaded, and the near-cache not fresh for good: the load
     * drops the subscription instead, and the next one loads.
     */
    @Test
    void whenTheFirstHeartbeatAnswerComesAfterTheLoadGaveUpThenTheNearCacheStillBecomesFresh() {
        // Ticks every 1 s from the start, watchdog 2 s. Subscribed at 0.2 s, so the load waits for an answer until
        // about 2.2 s; the tick at 2 s sees 1.8 s of silence and sends a heartbeat; the answers, held until 2.6 s, are
        // in before the tick at 3 s could find 2 s of silence. 400 ms of margin on each side.
        // A stall of the loader thread's start by more than the margin moves its deadline past the held answers,
        // and the scenario does not happen: run it again (at most 3 times), as the restart ITs do.
        NearCacheStats stats = null;
        for (int attempt = 0; attempt < 3 && (stats == null || stats.subscriptions() < 2); attempt++) {
            if (store != null) {
                store.close();
            }
            FakeFeed delayed = new FakeFeed();
            store = new NearCacheRevocationStore(
                    new AnnouncingRevocationStore(delayed.directStore(redisReads), delayed, new RevocationKeys("jwtgate:"),
                            Duration.ofMillis(4_000), Clock.systemUTC()),
                    delayed, new RevocationKeys("jwtgate:"), new NearCacheSettings(true, 4_000, 100, 300),
                    Duration.ofSeconds(1), Duration.ofSeconds(2), Clock.systemUTC(), metrics);
            delayed.delayFirstSubscribeMillis = 200;
            delayed.holdFirstAnswersMillis = 2_400;
            store.isRevoked(token());
            await("fresh", store::isFresh);
            stats = store.stats();
            assertEquals(1, stats.loads(), stats.toString());
        }
        assertTrue(stats.subscriptions() >= 2, "the first subscription was dropped: " + stats);
    }

    /**
     * An Error (out of memory, say) in a background thread's work must not end that thread's job for good: before,
     * one thrown by a heartbeat cancelled every later heartbeat, one in a load left it never retried, and one in
     * the subscription ended the subscriber thread, each without a word and the near-cache never fresh again.
     * And when the Error cannot even be described (its message throws again, the heap still full), logging it must
     * not end the subscriber thread or the heartbeat schedule either.
     */
    @ParameterizedTest(name = "{0}, undescribable: {1}")
    @CsvSource({"listen, false", "heartbeat, false", "scan, false", "listen, true", "heartbeat, true", "scan, true"})
    void whenABackgroundCallThrowsAnErrorThenTheNearCacheRecovers(String where, boolean undescribable) {
        feed.undescribableErrors = undescribable;
        NearCacheRevocationStore store = start(100);
        if (!where.equals("heartbeat")) {
            feed.errorOnce.add(where); // the first subscription or load
        }
        store.isRevoked(token());
        if (where.equals("heartbeat")) {
            await("fresh", store::isFresh);
            long subscriptions = store.stats().subscriptions();
            feed.errorOnce.add(where);
            await("a new subscription after the Error", () -> store.stats().subscriptions() > subscriptions);
        }
        await("fresh", store::isFresh);
        TokenRef revoked = token();
        store.revokeToken(revoked, Duration.ofMinutes(5));
        assertTrue(whileFresh(() -> assertTrue(store.isRevoked(revoked))), "answered locally: " + store.stats());
    }

    /**
     * The reload after a lost subscription builds a new state from a scan while the new subscription already delivers
     * announcements. A revocation stored after the scan went past it is known only from its announcement: the
     * announcement must reach the state being built too, or the swap would drop it and the fresh near-cache would
     * accept the revoked token until the next periodic reload.
     */
    @Test
    void whenARevocationIsAnnouncedWhileTheReloadAfterResubscribingScansThenTheReloadedStateRefusesIt() {
        NearCacheRevocationStore store = start(100);
        store.isRevoked(token());
        await("fresh", store::isFresh);
        TokenRef revoked = token();
        AtomicInteger announcedDuringScan = new AtomicInteger();
        feed.afterNextScan.set(() -> {
            long applied = store.stats().announcementsApplied();
            store.revokeToken(revoked, Duration.ofMinutes(5)); // stored (after the scan read every key), then announced
            await("the announcement applied while the reload still runs",
                    () -> store.stats().announcementsApplied() > applied);
            announcedDuringScan.incrementAndGet();
        });

        feed.interrupt(); // the subscription is lost: the next one reloads
        await("the reload after resubscribing", () -> store.stats().loads() >= 2);

        assertEquals(1, announcedDuringScan.get(), "the revocation was announced during the reload's scan");
        assertTrue(whileFresh(() -> assertTrue(store.isRevoked(revoked), "accepted from the reloaded state")),
                "answered locally: " + store.stats());
    }

    @Test
    void whenHeartbeatsFailThenChecksReadRedisAndMissedRevocationsCountAfterResubscribing() {
        NearCacheRevocationStore store = start(100);
        store.isRevoked(token());
        await("fresh", store::isFresh);

        feed.heartbeatsFail = true;
        await("stale", () -> !store.isFresh());
        TokenRef missed = token();
        feed.storeRevocation(missed); // revoked while the subscription was down: its announcement is lost
        assertTrue(store.isRevoked(missed), "read from Redis while not fresh");
        assertTrue(store.stats().directChecks() >= 2);

        feed.heartbeatsFail = false;
        assertTrue(whileFresh(() -> assertTrue(store.isRevoked(missed), "found by the reload after resubscribing")),
                "answered locally: " + store.stats());
        assertTrue(store.stats().subscriptions() >= 2 && store.stats().loads() >= 2, store.stats().toString());
    }

    @Test
    void whenAPeriodicReloadFailsThenTheNearCacheStaysFreshAndItIsCountedAsAFailedReload() {
        NearCacheRevocationStore store = start(100, 1); // a reload every second (± 10 %)
        store.isRevoked(token());
        await("fresh", store::isFresh);
        int scans = feed.scans.get();
        feed.scansFail = true;
        // Two: the loader handles the first failure before it runs the second reload.
        await("two periodic reloads that failed", () -> feed.scans.get() >= scans + 2);
        await("fresh", store::isFresh); // the subscription keeps the state current (a late heartbeat aside)
        assertEquals(0, store.stats().failedLoads(), store.stats().toString());
        assertEquals(0, metrics.loadFailures());
        assertTrue(metrics.reloadFailures() >= 1, "counted apart, for JMX and Micrometer: " + metrics.reloadFailures());
        // Read between two readings of the counter: a reload a second may fail in between.
        long before = metrics.reloadFailures();
        long snapshot = ((Number) metrics.snapshot().get("near-cache.reloads.failed")).longValue();
        long after = metrics.reloadFailures();
        assertTrue(before <= snapshot && snapshot <= after, before + " <= " + snapshot + " <= " + after);
    }

    @Test
    void whenLoadsFailThenChecksReadRedisUntilARetriedLoadSucceeds() {
        TokenRef revoked = token();
        feed.storeRevocation(revoked);
        feed.scansFail = true;
        NearCacheRevocationStore store = start(100);

        assertTrue(store.isRevoked(revoked));
        await("two failed loads", () -> feed.scans.get() >= 2);
        assertFalse(store.isFresh(), "a failed load never makes the near-cache fresh, even with heartbeats answered");
        assertTrue(store.isRevoked(revoked), "read from Redis meanwhile");
        assertEquals(0, store.stats().loads());
        assertTrue(store.stats().failedLoads() >= 1, store.stats().toString());

        feed.scansFail = false;
        await("fresh after a retried load", store::isFresh); // retried after 0.5 s, 1 s, 2 s...
        assertTrue(whileFresh(() -> assertTrue(store.isRevoked(revoked))),
                "the stored revocation is held once a load succeeded: " + store.stats());
        assertTrue(feed.scans.get() >= 3, "scans: " + feed.scans.get());
        assertEquals(1, store.stats().loads());
        assertEquals(feed.scans.get() - 1, store.stats().failedLoads(), "every scan but the last failed");
        assertEquals(store.stats().failedLoads(), metrics.loadFailures(), "and each is counted for JMX and Micrometer");
    }

    /**
     * A wall clock that ran ahead (an RTC kept in local time, a bad NTP source) drops a revocation announced by a
     * server whose clock is right, as expired. Before, the fresh near-cache answered "not revoked" once the clock was
     * stepped back, until the next periodic reload (5 minutes by default); now such checks read Redis, and a reload is
     * made at once. (The purge's drops count the same: LocalRevocationsTest.)
     */
    @Test
    void whenTheWallClockRanAheadAndIsSteppedBackThenARevocationDroppedMeanwhileIsStillRefused() {
        ManualClock clock = new ManualClock(Instant.now().plus(Duration.ofHours(2)));
        NearCacheRevocationStore store = start(100, 300, clock);
        store.isRevoked(token());
        await("fresh", store::isFresh);
        TokenRef revoked = token(); // exp in 10 minutes
        feed.storeRevocation(revoked);
        feed.announce(new RevocationEvent(new RevocationKeys("jwtgate:").tokenKey(revoked), 1,
                System.currentTimeMillis() + 600_000).encode());
        await("the announcement", () -> store.stats().announcementsApplied() == 1);
        assertEquals(0, store.stats().exactEntries(), "dropped as expired by the clock 2 h ahead");
        long loads = store.stats().loads();

        clock.advance(Duration.ofHours(-2)); // NTP steps it back

        assertTrue(store.isRevoked(revoked), "a revoked, unexpired token was accepted: " + store.stats());
        await("a reload", () -> store.stats().loads() > loads);
        assertTrue(whileFresh(() -> assertTrue(store.isRevoked(revoked))), "answered locally again: " + store.stats());
        assertEquals(1, store.stats().exactEntries(), "reloaded from Redis: " + store.stats());
    }

    /**
     * A wall clock that lagged when the revocations were loaded (a VM resumed or booted before NTP stepped its clock)
     * dated each scanned entry's expiry that much too early: its remaining lifetime in Redis from a time in the past.
     * Stepped forward by more than twice the skew, the fresh near-cache answered "not revoked" for a token Redis still
     * refuses, until the next periodic reload; now such checks read Redis, and a reload is made at once.
     */
    @Test
    void whenTheWallClockLaggedAtTheLoadAndIsSteppedForwardThenAScannedRevocationIsStillRefused() {
        TokenRef revoked = token(); // exp in 10 minutes
        feed.storeRevocation(revoked); // in Redis for 10 minutes
        ManualClock clock = new ManualClock(Instant.now().minus(Duration.ofHours(2)));
        NearCacheRevocationStore store = start(100, 300, clock);
        store.isRevoked(token());
        await("fresh", store::isFresh);
        assertTrue(whileFresh(() -> assertTrue(store.isRevoked(revoked))), "loaded: " + store.stats());
        long loads = store.stats().loads();

        clock.advance(Duration.ofHours(2)); // NTP steps it forward

        assertTrue(store.isRevoked(revoked), "a revoked, unexpired token was accepted: " + store.stats());
        await("a reload", () -> store.stats().loads() > loads);
        assertTrue(whileFresh(() -> assertTrue(store.isRevoked(revoked))), "answered locally again: " + store.stats());
        assertEquals(1, store.stats().exactEntries(), "reloaded from Redis: " + store.stats());
    }

    /**
     * A clock stepped back while the load scanned dated the entries read after the step too early; stepped forward
     * again, its lead over the monotonic clock was the state's first again, so no step was seen: the purge dropped
     * those entries and the fresh near-cache answered "not revoked" while Redis still held the revocation (the
     * reviewer's run). The state keeps the least lead its entries were dated with.
     */
    @Test
    void whenTheClockStepsBackDuringTheLoadsScanAndForwardAgainThenARevocationItReadIsStillRefused() throws Exception {
        TokenRef revoked = token(); // exp in 10 minutes
        feed.storeRevocation(revoked); // in Redis for 10 minutes
        feed.scanBlocksMillis = 500;
        ManualClock clock = new ManualClock(Instant.now());
        NearCacheRevocationStore store = start(100, 300, clock);
        store.isRevoked(token());
        assertTrue(feed.scanStarted.await(10, TimeUnit.SECONDS), "a load started");
        clock.advance(Duration.ofHours(-2)); // stepped back while the load scans
        feed.scanBlocksMillis = 0;
        await("fresh", store::isFresh);
        assertTrue(whileFresh(() -> assertTrue(store.isRevoked(revoked))), "loaded: " + store.stats());
        long loads = store.stats().loads();

        clock.advance(Duration.ofHours(2)); // and forward again, to the right time

        // Past a purge (every 5 s), unless the step is seen and the state reloaded first.
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (store.stats().loads() == loads && System.nanoTime() - deadline < 0) {
            assertTrue(store.isRevoked(revoked), "a revoked, unexpired token was accepted: " + store.stats());
            Thread.sleep(20);
        }
        assertTrue(store.stats().loads() > loads, "no reload after the step: " + store.stats());
        assertTrue(whileFresh(() -> assertTrue(store.isRevoked(revoked))), "answered locally again: " + store.stats());
    }

    /**
     * The reload a clock step asks for failed (a slot migrating, CLUSTERDOWN): it was a periodic reload, tried again
     * only a whole period later (5 minutes by default, up to a day), and every check read Redis meanwhile (the
     * reviewer's run: no scan and 300 Redis reads in 6 s). Now it is retried as a first load is, from 0.5 s.
     */
    @Test
    void whenTheReloadAClockStepAskedForFailsThenItIsRetriedSoonNotAPeriodLater() {
        ManualClock clock = new ManualClock(Instant.now().plus(Duration.ofHours(2)));
        NearCacheRevocationStore store = start(100, 300, clock);
        TokenRef other = token();
        store.isRevoked(other);
        await("fresh", store::isFresh);
        TokenRef revoked = token();
        feed.storeRevocation(revoked);
        feed.announce(new RevocationEvent(new RevocationKeys("jwtgate:").tokenKey(revoked), 1,
                System.currentTimeMillis() + 600_000).encode());
        await("the announcement", () -> store.stats().announcementsApplied() == 1); // dropped: the clock is 2 h ahead
        feed.scansFail = true;
        int scans = feed.scans.get();

        clock.advance(Duration.ofHours(-2)); // NTP steps it back: a reload is asked for, and fails

        await("the reload the step asked for", () -> feed.scans.get() > scans);
        assertTrue(store.isRevoked(revoked), "a revoked, unexpired token was accepted: " + store.stats());
        int failed = feed.scans.get();
        feed.scansFail = false;
        await("a retry", () -> feed.scans.get() > failed);
        assertTrue(whileFresh(() -> assertTrue(store.isRevoked(revoked))), "answered locally again: " + store.stats());
    }

    /**
     * Closed (undeploy, reload) while a load's read waits on a hung node, which no interrupt ends before its timeout:
     * close() waited 2 s for the loader, then returned with it still running; Tomcat warns that the application
     * failed to stop jwtgate-near-cache-loader, and its class loader stays pinned meanwhile.
     */
    @Test
    void whenClosedWhileALoadIsBlockedOnAHungNodeThenItsThreadEndsBeforeCloseReturns() throws Exception {
        Set<Thread> before = nearCacheThreads();
        feed.scanBlocksMillis = 5_000; // beyond the 2 s + 2 s close() waited for the loader
        NearCacheRevocationStore store = start(100);
        store.isRevoked(token());
        assertTrue(feed.scanStarted.await(10, TimeUnit.SECONDS), "a load started");

        store.close();

        Set<Thread> left = nearCacheThreads();
        left.removeAll(before);
        assertTrue(left.isEmpty(), "alive after close(): " + left.stream().map(Thread::getName).toList());
    }

    private static Set<Thread> nearCacheThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("jwtgate-near-cache") && thread.isAlive())
                .collect(Collectors.toSet());
    }

    /**
     * In a cluster, a heartbeat answered after a silence longer than max-staleness waits for an ownership check. It ran
     * on the loader thread, behind a periodic reload (a reload allocates, and a GC pause is the usual silence): the
     * near-cache stayed not fresh, every check reading Redis, until the reload ended, although the check itself answers
     * at once (review of the ownership check). It has its own thread now.
     */
    @Test
    void whenASilenceAsksForAnOwnershipCheckDuringALongPeriodicReloadThenTheCheckRunsAtOnce() throws Exception {
        feed.cluster = true;
        NearCacheRevocationStore store = start(100, 1); // a periodic reload every second (watchdog 1 s)
        store.isRevoked(token());
        await("fresh after the first load", store::isFresh);
        int scans = feed.scans.get();
        feed.scanBlocksMillis = 4_000; // the next (periodic) reload takes 4 s
        try {
            await("a periodic reload to start", () -> feed.scans.get() > scans);
            Thread.sleep(100);
            assertTrue(store.isFresh(), "fresh during a periodic reload");

            feed.heartbeatsLost = true; // 2 × max-staleness without answers: over max-staleness, within the watchdog
            Thread.sleep(2 * STALENESS_MS);
            feed.heartbeatsLost = false;
            long resumed = System.nanoTime();
            while (!store.isFresh() && System.nanoTime() - resumed < Duration.ofSeconds(1).toNanos()) {
                Thread.sleep(5);
            }
            assertTrue(store.isFresh(), "fresh again within 1 s of the silence; ownership checks run so far: "
                    + feed.ownershipChecks.get() + ", scans started: " + feed.scans.get() + " (the periodic reload has"
                    + " ~3 s to go)");
            assertTrue(feed.ownershipChecks.get() >= 1, "checked: " + feed.ownershipChecks.get());
            assertEquals(1, store.stats().subscriptions(), "the same subscription: " + store.stats());
        } finally {
            feed.scanBlocksMillis = 0;
        }
    }

    @Test
    void whenMoreRevocationsThanCapacityThenOverflowHitsAreConfirmedInRedis() {
        TokenRef[] revoked = new TokenRef[6];
        for (int i = 0; i < revoked.length; i++) {
            revoked[i] = token();
            feed.storeRevocation(revoked[i]);
        }
        NearCacheRevocationStore store = start(2);
        store.isRevoked(token());
        // The overflow hits read Redis while fresh (confirmed); a lapse meanwhile makes them direct: run again.
        long confirmed = 0;
        for (int attempt = 0; attempt < 5 && confirmed < 4; attempt++) {
            await("fresh", store::isFresh);
            long before = store.stats().confirmedChecks();
            for (TokenRef t : revoked) {
                assertTrue(store.isRevoked(t));
            }
            confirmed = store.stats().confirmedChecks() - before;
        }
        NearCacheStats stats = store.stats();
        assertEquals(4, confirmed, stats.toString());
        assertEquals(2, stats.exactEntries());
        assertEquals(4, stats.overflowEntries());
    }

    /**
     * Runs the checks once the near-cache is fresh, and again (up to 5 times) if a late heartbeat on a loaded machine
     * let it lapse meanwhile; true once a run read nothing from Redis.
     */
    private boolean whileFresh(Runnable checks) {
        for (int attempt = 0; attempt < 5; attempt++) {
            await("fresh", store::isFresh);
            int reads = redisReads.get();
            checks.run();
            if (redisReads.get() == reads) {
                return true;
            }
        }
        return false;
    }

    /** A token of a user of its own, issued now, for 10 minutes. */
    static TokenRef token() {
        String id = UUID.randomUUID().toString();
        return new TokenRef("https://issuer", "user-" + id, id, Instant.now(), Instant.now().plusSeconds(600));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not " + what + " within 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
