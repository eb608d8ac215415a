package org.jwtgate.internal.revocation.nearcache;

import java.util.concurrent.TimeUnit;

/**
 * Whether the local state may answer checks. It may while (1) the current subscription is in place,
 * (2) a full load that started after the subscription has finished, and (3) the newest own heartbeat
 * received on that subscription was sent less than {@code max-staleness} ago.
 *
 * <p>Why (3) bounds staleness: announcements and heartbeats go through the one node the subscription
 * listens on, which executes and delivers them in one order. A revocation is acknowledged to its
 * caller only after its announcement was executed; so receiving my heartbeat sent at {@code t} proves
 * I have applied every revocation acknowledged before {@code t}. Each subscription gets a new
 * generation: heartbeats of an earlier one prove nothing about this one.
 *
 * <p>The argument needs the node to own the channel's slot when it answers. A node paused (a VM frozen, a process
 * stopped) long enough to be failed over answers, once it resumes, the heartbeats queued meanwhile with its old
 * view of the slot: so an answer after a silence longer than {@code silenceLimit} counts for nothing, and the
 * subscription is remade where the slot lives now (the watchdog drops a silent one too, but only at its next tick).
 *
 * <p>{@link #isFresh()} is one volatile read and a clock read; the rest is synchronized.
 */
final class Freshness {

    private final long maxStalenessNanos;
    private final long silenceLimitNanos;
    /** {@link System#nanoTime()} until which checks may be answered locally. */
    private volatile long freshUntil;
    private long generation;
    private boolean subscribed;
    private boolean loaded;
    private boolean heartbeatSeen;
    private long lastHeartbeatReceived;
    /** Send time of the newest answered heartbeat of any generation; {@code freshnessKnown} once there is one. */
    private volatile long newestAnsweredSentAt;
    private volatile boolean answered;

    Freshness(long maxStalenessNanos, long silenceLimitNanos) {
        this.maxStalenessNanos = maxStalenessNanos;
        this.silenceLimitNanos = silenceLimitNanos;
        this.freshUntil = System.nanoTime();
    }

    boolean isFresh() {
        return isFresh(System.nanoTime());
    }

    boolean isFresh(long nowNanos) {
        return nowNanos - freshUntil < 0;
    }

    /** A new subscription is in place: a new generation, not loaded yet. */
    synchronized long subscribed(long nowNanos) {
        generation++;
        subscribed = true;
        loaded = false;
        heartbeatSeen = false;
        lastHeartbeatReceived = nowNanos;
        freshUntil = nowNanos;
        return generation;
    }

    /** The subscription of {@code expected} (or any, when negative) is gone or not to be trusted any more. */
    synchronized boolean lost(long expected, long nowNanos) {
        if (expected >= 0 && (expected != generation || !subscribed)) {
            return false;
        }
        generation++;
        subscribed = false;
        loaded = false;
        freshUntil = nowNanos;
        return true;
    }

    /** A full load for {@code loadedGeneration} finished; answers become local from the next heartbeat. */
    synchronized boolean loaded(long loadedGeneration) {
        if (loadedGeneration != generation || !subscribed) {
            return false;
        }
        loaded = true;
        return true;
    }

    /**
     * My heartbeat sent at {@code sentAtNanos} arrived on the subscription of {@code heartbeatGeneration}.
     *
     * @return false when it came after a silence longer than the limit: the subscription is no longer to be trusted
     */
    synchronized boolean heartbeat(long heartbeatGeneration, long sentAtNanos, long nowNanos) {
        if (heartbeatGeneration != generation || !subscribed) {
            return true; // an earlier subscription's: it proves nothing, and this one is not in question
        }
        if (nowNanos - lastHeartbeatReceived > silenceLimitNanos) {
            return false;
        }
        heartbeatSeen = true;
        lastHeartbeatReceived = nowNanos;
        if (!answered || sentAtNanos - newestAnsweredSentAt > 0) {
            newestAnsweredSentAt = sentAtNanos;
            answered = true;
        }
        long until = sentAtNanos + maxStalenessNanos;
        if (loaded && until - freshUntil > 0) {
            freshUntil = until;
        }
        return true;
    }

    /** Milliseconds since the newest answered heartbeat was sent, or -1 before the first. */
    long heartbeatAgeMillis(long nowNanos) {
        return answered ? TimeUnit.NANOSECONDS.toMillis(nowNanos - newestAnsweredSentAt) : -1;
    }

    /** The current generation if subscribed, else -1. */
    synchronized long subscribedGeneration() {
        return subscribed ? generation : -1;
    }

    synchronized boolean isLoaded(long expected) {
        return subscribed && loaded && generation == expected;
    }

    synchronized boolean heartbeatSeen(long expected) {
        return subscribed && heartbeatSeen && generation == expected;
    }

    /** Nanoseconds since the last own heartbeat arrived on the current subscription (or since it began). */
    synchronized long sinceLastHeartbeat(long nowNanos) {
        return subscribed ? nowNanos - lastHeartbeatReceived : 0;
    }
}
