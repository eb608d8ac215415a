package org.jwtgate.internal.revocation.nearcache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.thread.DaemonThreads;

/**
 * Keeps {@link LocalRevocations} current and tells whether it may answer ({@link Freshness}). Three
 * daemon threads, started on first use (four in a cluster):
 * <ul>
 *   <li>{@code jwtgate-near-cache-subscriber}: listens to the feed and applies announcements and heartbeat
 *       answers in the order the node delivered them; resubscribes (with backoff) whenever the subscription
 *       ends — also when the server ends it (the channel's slot moved) or a heartbeat is refused (the node
 *       no longer serves the channel);</li>
 *   <li>{@code jwtgate-near-cache-heartbeat}: sends a heartbeat every {@code max-staleness / 4} on the
 *       subscription itself (one command, nothing published); drops the subscription when sending fails or
 *       no answer came back for too long; purges expired entries; starts the periodic reload;</li>
 *   <li>{@code jwtgate-near-cache-loader}: full loads, off every request path. A load starts after the
 *       subscription is in place and has carried a heartbeat, so nothing falls between the two; it builds
 *       a new state (which also empties the Bloom filter) while announcements go to both, then swaps it in;</li>
 *   <li>{@code jwtgate-near-cache-ownership}, in a cluster only, started with the subscriber and idle until a
 *       heartbeat answer after a silence asks for an ownership check ({@link Freshness}). Its own thread: behind a
 *       long load on the loader's, the near-cache would stay not fresh until the load ended.</li>
 * </ul>
 */
final class NearCacheSynchronizer implements AutoCloseable {

    private static final Log LOG = Log.of(NearCacheSynchronizer.class);

    private static final long MIN_HEARTBEAT_MS = 5;
    private static final long PURGE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** A reload after the clock went back or stepped forward starts within this. */
    private static final long CLOCK_RELOAD_SPREAD_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long MIN_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 1_000;
    private static final long MIN_LOAD_RETRY_MS = 500;
    private static final long MAX_LOAD_RETRY_MS = 30_000;
    /** A subscription that lasted this long resets the reconnection backoff. */
    private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RevocationFeed feed;
    private final String prefix;
    private final int capacity;
    private final long graceMillis;
    private final long heartbeatPeriodMs;
    private final long watchdogNanos;
    private final long resyncNanos;
    private final Clock clock;
    private final Freshness freshness;
    private final GateMetrics metrics;
    /** Whether heartbeat answers after a silence wait for an ownership check ({@link RevocationFeed#checksOwnership()}). */
    private final boolean checksOwnership;
    private volatile RevocationFeed.Mode mode;

    private volatile LocalRevocations current;
    /** The state a load is building; announcements go to it too. Guarded by {@code this}. */
    private LocalRevocations pending;

    private final AtomicBoolean started = new AtomicBoolean();
    /**
     * A periodic reload is queued or running: no other is submitted until it ends. A scan that outlasts
     * {@code resync-seconds} (millions of stored revocations) queued one more full scan per period, which then ran
     * back to back.
     */
    private final AtomicBoolean reloadUnderWay = new AtomicBoolean();
    private volatile boolean closed;
    private Thread subscriber;
    private ScheduledExecutorService ticker;
    private ExecutorService loader;
    /** Ownership checks; null outside a cluster ({@link RevocationFeed#checksOwnership()}). */
    private ExecutorService checker;
    /** Every thread the executors started: close() waits for them to end, not only for the executors to terminate. */
    private final java.util.Queue<Thread> workers = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private volatile long nextResyncNanos;
    /** {@link #nextResyncNanos}, for a compare-and-set from the loader thread, which the heartbeat thread writes too. */
    private static final VarHandle NEXT_RESYNC_NANOS;

    static {
        try {
            NEXT_RESYNC_NANOS = MethodHandles.lookup().findVarHandle(NearCacheSynchronizer.class, "nextResyncNanos",
                    long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long nextPurgeNanos;
    private volatile long loadRetryMs = MIN_LOAD_RETRY_MS;
    /** The same, for reloads a clock step asked for: apart, so their failures do not slow a new subscription's load. */
    private volatile long clockReloadRetryMs = MIN_LOAD_RETRY_MS;
    /** Whether the last state change was logged as a suspension (log transitions, not every retry). */
    private volatile boolean suspended;
    /** Redis's refusal of the configured user last logged during this suspension; null when none was. */
    private volatile String refusalLogged;
    private volatile boolean everLoaded;

    private final LongAdder announcementsApplied = new LongAdder();
    /** When the latest announcement was applied (this clock's millis), 0 before the first; written before the count. */
    private volatile long lastAnnouncementMillis;
    private final LongAdder malformedMessages = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder failedLoads = new LongAdder();
    private final LongAdder subscriptions = new LongAdder();

    NearCacheSynchronizer(RevocationFeed feed, String prefix, int capacity, long graceMillis, long maxStalenessMs,
                          long watchdogMillis, long resyncMillis, Clock clock, GateMetrics metrics) {
        this.metrics = metrics;
        this.feed = feed;
        this.prefix = prefix;
        this.capacity = capacity;
        this.graceMillis = graceMillis;
        this.heartbeatPeriodMs = Math.max(MIN_HEARTBEAT_MS, maxStalenessMs / 4);
        this.watchdogNanos = TimeUnit.MILLISECONDS.toNanos(watchdogMillis);
        this.resyncNanos = TimeUnit.MILLISECONDS.toNanos(resyncMillis);
        this.clock = clock;
        // In a cluster an answer after a silence longer than max-staleness waits for an ownership check (Freshness). Not
        // below two heartbeat periods (10 ms): with max-staleness under 10 ms nearly every answer would come after such
        // a silence; a pause, a forced failover and an acknowledged revocation within 10 ms is no operator's doing.
        this.checksOwnership = feed.checksOwnership();
        long checkAfterSilenceNanos = checksOwnership
                ? TimeUnit.MILLISECONDS.toNanos(Math.max(maxStalenessMs, 2 * heartbeatPeriodMs))
                : Long.MAX_VALUE;
        this.freshness = new Freshness(TimeUnit.MILLISECONDS.toNanos(maxStalenessMs), watchdogNanos,
                checkAfterSilenceNanos);
        this.current = new LocalRevocations(capacity, graceMillis, wallLeadMillis());
    }

    /** Starts the threads once; cheap to call on every check. */
    void ensureStarted() {
        if (!started.get() && started.compareAndSet(false, true)) {
            start();
        }
    }

    private synchronized void start() {
        if (closed) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("jwtgate-near-cache-heartbeat", workers));
        loader = Executors.newSingleThreadExecutor(DaemonThreads.named("jwtgate-near-cache-loader", workers));
        if (checksOwnership) {
            // Started now, not at the first check: a silence comes when it comes, and a thread that appears then
            // would make an instance's threads differ from one moment to the next (a leak check compares them).
            ThreadPoolExecutor ownership = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), DaemonThreads.named("jwtgate-near-cache-ownership", workers));
            ownership.prestartCoreThread();
            checker = ownership;
        }
        subscriber = DaemonThreads.named("jwtgate-near-cache-subscriber").newThread(this::subscribeForever);
        nextPurgeNanos = System.nanoTime() + PURGE_EVERY_NANOS;
        subscriber.start();
        ticker.scheduleWithFixedDelay(this::tick, heartbeatPeriodMs, heartbeatPeriodMs, TimeUnit.MILLISECONDS);
    }

    boolean isFresh() {
        return freshness.isFresh();
    }

    boolean isStarted() {
        return started.get();
    }

    /** Milliseconds since the newest answered heartbeat was sent, or -1 before the first. */
    long heartbeatAgeMillis() {
        return freshness.heartbeatAgeMillis(System.nanoTime());
    }

    LocalRevocations state() {
        return current;
    }

    // ---- subscriber thread -----------------------------------------------------------------

    /** One subscription's messages: its answers count only for its own generation. */
    private final class SubscriptionListener implements RevocationFeed.Listener {

        private long generation = -1;

        @Override
        public void subscribed(RevocationFeed.Mode subscribedMode) {
            generation = freshness.subscribed(System.nanoTime());
            mode = subscribedMode;
            subscriptions.increment();
            LOG.debug("Revocation near-cache subscribed ({}, {} pub/sub), generation {}", feed.describeSubscription(),
                    subscribedMode.label(), generation);
            submitLoad(generation);
        }

        @Override
        public void announcement(String message) {
            RevocationEvent event = RevocationEvent.decode(message, prefix);
            if (event == null) {
                malformedMessages.increment();
                LOG.debug("Revocation near-cache ignored a malformed announcement");
                return;
            }
            lastAnnouncementMillis = apply(event);
            announcementsApplied.increment();
            metrics.announcementReceived();
        }

        @Override
        public void heartbeatAnswered(long sentAtNanos) {
            if (generation >= 0) {
                long now = System.nanoTime();
                // Read before the answer moves it: the silence this answer ends.
                long silent = freshness.sinceLastHeartbeat(now);
                Freshness.Answer answer = freshness.heartbeat(generation, sentAtNanos, now);
                if (answer == Freshness.Answer.UNTRUSTED) {
                    drop(generation, () -> "a heartbeat came back after " + TimeUnit.NANOSECONDS.toMillis(silent)
                            + " ms of silence: the channel's master may have been paused and failed over meanwhile");
                } else if (answer == Freshness.Answer.CHECK) {
                    submitOwnershipCheck(generation, TimeUnit.NANOSECONDS.toMillis(silent));
                }
            }
        }
    }

    private void subscribeForever() {
        long backoffMs = MIN_BACKOFF_MS;
        while (!closed) {
            long began = System.nanoTime();
            try {
                feed.listen(new SubscriptionListener());
            } catch (RuntimeException | Error e) {
                // An Error too (out of memory while applying a message): ending this thread would end the subscription
                // for good, without a word.
                if (!closed) {
                    suspend(e, () -> "subscription failed: " + describe(e));
                }
            } finally {
                freshness.lost(-1, System.nanoTime());
            }
            if (System.nanoTime() - began > STABLE_NANOS) {
                backoffMs = MIN_BACKOFF_MS;
            }
            if (!sleep(backoffMs)) {
                return;
            }
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
    }

    /** @return when it was applied (this clock's millis) */
    private synchronized long apply(RevocationEvent event) {
        long now = clock.millis();
        long lead = wallLeadMillis(now);
        current.apply(event, now, lead);
        if (pending != null) {
            pending.apply(event, now, lead);
        }
        return now;
    }

    /** The wall clock minus the monotonic clock: it changes only when the wall clock is stepped. */
    private long wallLeadMillis() {
        return wallLeadMillis(clock.millis());
    }

    private static long wallLeadMillis(long wallMillis) {
        return wallMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    // ---- heartbeat thread ------------------------------------------------------------------

    private void tick() {
        try {
            long now = System.nanoTime();
            long generation = freshness.subscribedGeneration();
            if (generation >= 0) {
                long silent = freshness.sinceLastHeartbeat(now);
                if (silent > watchdogNanos) {
                    drop(generation, () -> "no heartbeat came back for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms");
                } else {
                    sendHeartbeat(generation);
                }
            }
            // One state and one wall-clock reading for the three: a state swapped in, or a clock step, between two
            // readings would let the purge drop entries of a state not yet checked for the step.
            LocalRevocations state = current;
            long wall = clock.millis();
            if (state.steppedForward(wallLeadMillis(wall))) {
                nextResyncNanos = now + ThreadLocalRandom.current().nextLong(CLOCK_RELOAD_SPREAD_NANOS);
                LOG.warn("Revocation near-cache: the wall clock stepped forward since the revocations were loaded,"
                        + " whose expiries it dated; checks read Redis until a reload from Redis, asked for now");
            }
            if (now - nextPurgeNanos >= 0) {
                nextPurgeNanos = now + PURGE_EVERY_NANOS;
                state.purgeExpired(wall);
            }
            if (state.reloadNeededForClock(wall)) {
                // Checks read Redis until then. Within 2 s, not at once: a step corrected across a fleet
                // would make every instance scan together.
                nextResyncNanos = now + ThreadLocalRandom.current().nextLong(CLOCK_RELOAD_SPREAD_NANOS);
                LOG.warn("Revocation near-cache: the wall clock went back past revocations it had dropped as expired;"
                        + " checks read Redis until a reload from Redis, asked for now");
            }
            if (generation >= 0 && freshness.isLoaded(generation) && now - nextResyncNanos >= 0
                    && reloadUnderWay.compareAndSet(false, true)) {
                scheduleResync(now);
                submitReload(generation, nextResyncNanos);
            }
        } catch (RuntimeException | Error e) {
            // Never thrown out: that would cancel the schedule, and with it every later heartbeat, silently.
            quietly(() -> LOG.warn("Revocation near-cache maintenance failed: {}", e.toString()));
        }
    }

    private void sendHeartbeat(long generation) {
        try {
            feed.heartbeat();
        } catch (RuntimeException | Error e) {
            drop(generation, e, () -> "heartbeat failed: " + describe(e));
        }
    }

    /** The subscription of {@code generation} can no longer prove freshness: stop trusting it, and resubscribe. */
    private void drop(long generation, Supplier<String> reason) {
        drop(generation, null, reason);
    }

    private void drop(long generation, Throwable cause, Supplier<String> reason) {
        if (freshness.lost(generation, System.nanoTime())) {
            feed.interrupt();
            suspend(cause, reason);
        }
    }

    private void scheduleResync(long nowNanos) {
        nextResyncNanos = resyncAfter(nowNanos);
    }

    private long resyncAfter(long nowNanos) {
        // ±10 % so that instances started together do not all scan at once.
        long jitter = resyncNanos / 10;
        return nowNanos + resyncNanos - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1);
    }

    // ---- loader thread ---------------------------------------------------------------------

    private void submitLoad(long generation) {
        ExecutorService executor = loader;
        if (executor == null || closed) {
            return;
        }
        try {
            executor.execute(() -> load(generation));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * A periodic reload, {@code scheduled} the next one's time as set when it was submitted: the next period counts from
     * its end, unless something asked for a reload sooner meanwhile (a clock step, a failed reload's retry).
     */
    private void submitReload(long generation, long scheduled) {
        ExecutorService executor = loader;
        if (executor == null || closed) {
            reloadUnderWay.set(false);
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    load(generation);
                } finally {
                    // Compared and set at once: a clock step's reload asked for by the heartbeat thread meanwhile stays.
                    NEXT_RESYNC_NANOS.compareAndSet(this, scheduled, resyncAfter(System.nanoTime()));
                    reloadUnderWay.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            reloadUnderWay.set(false); // closing
        } catch (RuntimeException | Error e) {
            reloadUnderWay.set(false); // else no periodic reload ever again (out of memory making the task, say)
            throw e;
        }
    }

    /**
     * A heartbeat came back after {@code silentMillis} of silence: checks that the subscription's node still serves the
     * channel in the other nodes' view, on the ownership thread (never the subscriber's, which must go on reading, nor
     * the loader's, where it would wait for a load to end); until then nothing counts. Several asked for in a row run
     * once, for the latest.
     */
    private void submitOwnershipCheck(long generation, long silentMillis) {
        ExecutorService executor = checker;
        if (executor == null || closed) {
            return;
        }
        try {
            executor.execute(() -> checkOwnership(generation, silentMillis));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void checkOwnership(long generation, long silentMillis) {
        long check = freshness.checkStarting(generation, System.nanoTime());
        if (check < 0 || closed) {
            return; // run already, or the subscription is gone
        }
        try {
            feed.confirmOwnership();
        } catch (RevocationFeed.OwnershipNotAsked e) {
            // Nothing learnt either way, but nothing confirms the node: the subscription cannot be trusted.
            drop(generation, e, () -> "a heartbeat came back after " + silentMillis + " ms of silence, and no other"
                    + " node could be asked whether " + feed.describeSubscription() + " is still served there: "
                    + describe(e));
            return;
        } catch (RuntimeException | Error e) {
            // An Error too: the check must end one way or the other, or the near-cache would wait for it for good.
            drop(generation, e, () -> "a heartbeat came back after " + silentMillis + " ms of silence, and the other"
                    + " nodes did not confirm that " + feed.describeSubscription() + " is still served there (a"
                    + " forced failover may have replaced it meanwhile): " + describe(e));
            return;
        }
        if (freshness.confirmed(generation, check) && LOG.isDebugEnabled()) {
            quietly(() -> LOG.debug("Revocation near-cache: after {} ms of silence the other nodes confirmed {}",
                    silentMillis, feed.describeSubscription()));
        }
    }

    private void load(long generation) {
        // The first heartbeat proves the node executed something of ours after the subscription: loading
        // from then on, every revocation is either already stored (the scan sees it) or announced later
        // (the subscription sees it).
        if (!awaitFirstHeartbeat(generation)) {
            return;
        }
        boolean periodic = freshness.isLoaded(generation);
        long began = System.nanoTime();
        LocalRevocations fresh;
        try {
            fresh = scanIntoPending(generation);
        } catch (RuntimeException | Error e) {
            // An Error too (out of memory while building the new state): the abandoned state must stop taking
            // announcements, and the load must be retried. Only this thread, the loader, sets pending.
            synchronized (this) {
                pending = null;
            }
            loadFailed(generation, periodic, e);
            return;
        }
        synchronized (this) {
            if (pending != fresh) {
                return;
            }
            current = fresh;
            pending = null;
        }
        if (!periodic) {
            scheduleResync(System.nanoTime()); // before loaded(): a tick in between would start another load
            if (fresh.clockUnreliable(clock.millis())) {
                // A tick found the clock stepped since this state began, and asked for a reload: keep it near.
                nextResyncNanos = System.nanoTime() + ThreadLocalRandom.current().nextLong(CLOCK_RELOAD_SPREAD_NANOS);
            }
        }
        // Marked loaded before counting and logging: an Error there must not leave it unloaded for good.
        boolean firstForSubscription = freshness.loaded(generation) && !periodic;
        loads.increment();
        metrics.loads().record(System.nanoTime() - began);
        loadRetryMs = MIN_LOAD_RETRY_MS;
        clockReloadRetryMs = MIN_LOAD_RETRY_MS;
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        if (firstForSubscription) {
            boolean wasSuspended = suspended || !everLoaded;
            boolean again = everLoaded;
            suspended = false; // before logging, which may fail: the next outage must be logged as one
            refusalLogged = null;
            everLoaded = true;
            quietly(() -> {
                String what = (fresh.exactSize() + fresh.overflowCount()) + " revocations (" + fresh.exactSize()
                        + " held exactly, " + fresh.overflowCount() + " in the Bloom filter)";
                if (wasSuspended) {
                    LOG.info("Revocation near-cache {}: subscribed to {} ({} pub/sub), loaded {} in {} ms",
                            again ? "in use again" : "in use", feed.describeSubscription(),
                            mode == null ? "?" : mode.label(), what, millis);
                } else {
                    LOG.debug("Revocation near-cache resubscribed to {}, loaded {} in {} ms",
                            feed.describeSubscription(), what, millis);
                }
            });
        } else {
            quietly(() -> LOG.debug("Revocation near-cache reloaded: {} exact, {} overflow, in {} ms",
                    fresh.exactSize(), fresh.overflowCount(), millis));
        }
    }

    /**
     * A new state, built from a scan of the stored revocations while it takes announcements as {@link #pending}, for
     * the subscription of {@code generation}.
     */
    private LocalRevocations scanIntoPending(long generation) {
        LocalRevocations fresh = new LocalRevocations(capacity, graceMillis, wallLeadMillis());
        synchronized (this) {
            pending = fresh;
        }
        feed.scan((key, value, ttlMillis) -> {
            if (closed || freshness.subscribedGeneration() != generation) {
                // Ends a long scan promptly: closing, or the subscription is gone and its successor must load (the
                // loader is one thread).
                throw new IllegalStateException("closing or resubscribed");
            }
            long now = clock.millis();
            fresh.datedWith(wallLeadMillis(now));
            RevocationEvent event = RevocationEvent.ofStored(key, value, ttlMillis, now, prefix);
            if (event != null) {
                fresh.apply(event, now, wallLeadMillis(now));
            }
        });
        return fresh;
    }

    private boolean awaitFirstHeartbeat(long generation) {
        long deadline = System.nanoTime() + watchdogNanos;
        while (!freshness.heartbeatSeen(generation)) {
            if (closed || freshness.subscribedGeneration() != generation) {
                return false; // the subscription went away; the subscriber makes a new one, which loads
            }
            if (System.nanoTime() - deadline > 0) {
                // Nothing else would load this subscription (the watchdog may yet see answers in time): make a new one.
                drop(generation, () -> "no heartbeat came back within "
                        + TimeUnit.NANOSECONDS.toMillis(watchdogNanos) + " ms of subscribing");
                return false;
            }
            if (!sleep(MIN_HEARTBEAT_MS)) {
                return false;
            }
        }
        return true;
    }

    private void loadFailed(long generation, boolean periodic, Throwable e) {
        if (closed || freshness.subscribedGeneration() != generation) {
            return; // the subscription's successor loads
        }
        if (periodic) {
            // Counted apart: a fleet whose reloads all fail (a slot left migrating, say) is fine until an instance
            // needs a load.
            metrics.reloadFailed();
            if (current.clockUnreliable(clock.millis())) {
                // A reload asked for a clock step: every check reads Redis until one succeeds, so tried again as a
                // first load is, not a whole period later.
                long delay = clockReloadRetryMs;
                clockReloadRetryMs = Math.min(MAX_LOAD_RETRY_MS, delay * 2);
                nextResyncNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                quietly(() -> LOG.warn("Revocation near-cache reload after a clock step failed (checks read Redis"
                        + " meanwhile): {}; retrying in {} ms", describe(e), delay));
                return;
            }
            // The subscription still keeps the state current; the next period tries again.
            quietly(() -> LOG.warn("Revocation near-cache periodic reload failed (state stays current through the"
                    + " subscription): {}", describe(e)));
            return;
        }
        long delay = loadRetryMs;
        loadRetryMs = Math.min(MAX_LOAD_RETRY_MS, delay * 2);
        // The retry first: counting and logging build strings, which may fail again after an out-of-memory error.
        try {
            ticker.schedule(() -> submitLoad(generation), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closing
        }
        // Counted: the failures that leave the near-cache suspended (not a periodic reload's, which keeps it fresh).
        failedLoads.increment();
        metrics.loadFailed();
        suspend(e, () -> "loading the stored revocations failed (" + describe(e) + "); retrying in " + delay + " ms");
    }

    // ---- shared ----------------------------------------------------------------------------

    /**
     * Logs why checks read Redis now, once per suspension, and once more for each refusal of the configured user by
     * Redis that keeps it suspended (an ACL changed at run time: Redis closes a subscription whose channel it no longer
     * allows, which alone reads as a connection lost, then refuses every new one); never throws (see {@link #quietly}).
     */
    private void suspend(Throwable cause, Supplier<String> reason) {
        String refusal = cause == null ? null : refusalOf(cause);
        if (!suspended) {
            suspended = true;
            refusalLogged = refusal;
            quietly(() -> LOG.warn("Revocation near-cache suspended, checks read Redis until it is back: {}",
                    reason.get()));
        } else if (refusal != null && !refusal.equals(refusalLogged)) {
            refusalLogged = refusal;
            quietly(() -> LOG.warn("Revocation near-cache still suspended, checks read Redis until it is back: Redis"
                    + " refuses redis.user (see the ACL in docs/revocation.md): {}", reason.get()));
        } else if (LOG.isDebugEnabled()) {
            quietly(() -> LOG.debug("Revocation near-cache still suspended: {}", reason.get()));
        }
    }

    /**
     * Redis's refusal of the configured user met during the current suspension (the one the WARN named), in Redis's
     * words (never a user or a secret); null when not suspended or when nothing was refused.
     */
    String refusal() {
        return suspended ? refusalLogged : null;
    }

    /** The feed's reading of {@code failure} as Redis refusing the configured user; null on any doubt. */
    private String refusalOf(Throwable failure) {
        try {
            return feed.refusal(failure);
        } catch (RuntimeException | Error e) {
            return null;
        }
    }

    /**
     * Runs a logging statement, never throwing: after an out-of-memory error, building the line may fail again,
     * and what follows it (resubscribing, the next heartbeat, a retried load) must happen all the same.
     */
    private static void quietly(Runnable logging) {
        try {
            logging.run();
        } catch (RuntimeException | Error e) {
            // the line is lost; the work goes on
        }
    }

    /** A failure for the log: its message, and its class too when it is an Error (whose message may say little). */
    private static String describe(Throwable e) {
        return e instanceof Error ? e.toString() : e.getMessage();
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    long announcementsApplied() {
        return announcementsApplied.sum();
    }

    /** When the latest announcement was applied, or null before the first. */
    java.time.Instant lastAnnouncementApplied() {
        long millis = lastAnnouncementMillis;
        return millis == 0 ? null : java.time.Instant.ofEpochMilli(millis);
    }

    long malformedMessages() {
        return malformedMessages.sum();
    }

    long loads() {
        return loads.sum();
    }

    long failedLoads() {
        return failedLoads.sum();
    }

    long subscriptions() {
        return subscriptions.sum();
    }

    /** The pub/sub of the current or last subscription ({@code sharded}, {@code classic}), or {@code none} before the first. */
    String modeLabel() {
        RevocationFeed.Mode current = mode;
        return current == null ? "none" : current.label();
    }

    @Override
    public void close() {
        Thread thread;
        ExecutorService[] executors = {};
        synchronized (this) {
            closed = true;
            thread = subscriber;
            if (ticker != null) {
                ticker.shutdownNow();
                loader.shutdownNow();
                if (checker == null) {
                    executors = new ExecutorService[] {ticker, loader};
                } else {
                    checker.shutdownNow();
                    executors = new ExecutorService[] {ticker, loader, checker};
                }
            }
        }
        // Closed, not only interrupted, before the wait: a subscription still connecting is not yet there to
        // interrupt, and would wait out its handshake with a hung node.
        feed.close();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Their threads end before close() returns: a container stops the application's class loader right after
        // (Tomcat warned "failed to stop it" for the heartbeat and loader threads on reloads and undeploys). A read
        // blocked on a hung node ends at its timeout, which no interrupt shortens: waited for, beyond 2 s; twice, for
        // a load that waited for a pooled connection and then for a new one's handshake.
        long waitMillis = 2_000 + 2 * feed.longestBlockingRead().toMillis();
        try {
            for (ExecutorService executor : executors) {
                executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
            }
            for (Thread worker : workers) {
                worker.join(waitMillis); // an executor terminates just before its last thread has ended
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
