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
 * <p>A shorter silence is no proof either: an operator's {@code CLUSTER FAILOVER FORCE} or {@code TAKEOVER} promotes a
 * replica without waiting for cluster-node-timeout, so a node paused for less than the limit may have lost the slot by
 * the time it answers. In a cluster ({@code checkAfterSilenceNanos} below the limit), an answer after a silence longer
 * than that (max-staleness) makes nothing fresh by itself: it asks for a check ({@link Answer#CHECK}) that the other
 * nodes (the other masters; in a cluster of one master, its replicas) still see the subscription's node serving the
 * channel's slot. Until the check started ({@link #checkStarting}) and confirmed it ({@link #confirmed}), no answer
 * counts; then only answers to heartbeats sent after the check started do (those sent before may have been answered
 * during the stale moments). A check that finds the slot elsewhere, or cannot ask, ends the subscription
 * ({@link #lost}). A later silence asks for a new check, and the result of one that started before it counts for
 * nothing.
 *
 * <p>{@link #isFresh()} is one volatile read and a clock read; the rest is synchronized.
 */
final class Freshness {

    /** What an answer to a heartbeat means for the subscription it came on. */
    enum Answer {
        /** Counted (or of an earlier subscription, which proves nothing and is not in question). */
        COUNTED,
        /** It came after a silence that needs a check of the node's ownership of the slot: nothing counts until then. */
        CHECK,
        /** It came after a silence longer than the limit: the subscription is no longer to be trusted. */
        UNTRUSTED
    }

    private enum Check { NONE, WANTED, RUNNING }

    private final long maxStalenessNanos;
    private final long silenceLimitNanos;
    /** A silence longer than this asks for an ownership check; {@link Long#MAX_VALUE}: never (a single server). */
    private final long checkAfterSilenceNanos;
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
    /** The ownership check of the current subscription: none needed, wanted, or under way since {@link #checkStartedAt}. */
    private Check check = Check.NONE;
    /** Counts the checks asked for: a result counts only for the latest. */
    private long checkId;
    private long checkStartedAt;
    /** The newest answered send time while a check was wanted or under way; valid with {@link #answeredWhileChecking}. */
    private long newestWhileChecking;
    private boolean answeredWhileChecking;
    /** Answers to heartbeats sent before this count for nothing (set by a confirmed check); valid with {@link #trusting}. */
    private long trustedFrom;
    private boolean trusting;

    /** Without ownership checks: a single server, which no failover replaces. */
    Freshness(long maxStalenessNanos, long silenceLimitNanos) {
        this(maxStalenessNanos, silenceLimitNanos, Long.MAX_VALUE);
    }

    /** @param checkAfterSilenceNanos a silence longer than this asks for an ownership check ({@link Answer#CHECK}) */
    Freshness(long maxStalenessNanos, long silenceLimitNanos, long checkAfterSilenceNanos) {
        this.maxStalenessNanos = maxStalenessNanos;
        this.silenceLimitNanos = silenceLimitNanos;
        this.checkAfterSilenceNanos = checkAfterSilenceNanos;
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
        noCheck();
        return generation;
    }

    private void noCheck() {
        check = Check.NONE;
        answeredWhileChecking = false;
        trusting = false;
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
        noCheck();
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
     * @return {@link Answer#UNTRUSTED} when it came after a silence longer than the limit (the subscription is no longer
     *         to be trusted); {@link Answer#CHECK} when it came after a silence that asks for an ownership check, to be
     *         run now ({@link #checkStarting}, then {@link #confirmed} or {@link #lost}); else {@link Answer#COUNTED}
     */
    synchronized Answer heartbeat(long heartbeatGeneration, long sentAtNanos, long nowNanos) {
        if (heartbeatGeneration != generation || !subscribed) {
            return Answer.COUNTED; // an earlier subscription's: it proves nothing, and this one is not in question
        }
        long silence = nowNanos - lastHeartbeatReceived;
        if (silence > silenceLimitNanos) {
            return Answer.UNTRUSTED;
        }
        heartbeatSeen = true;
        lastHeartbeatReceived = nowNanos;
        Answer answer = Answer.COUNTED;
        if (silence > checkAfterSilenceNanos) {
            // The node may have been paused and replaced meanwhile: a check that started before this silence proves
            // nothing about it, and neither does an answer until a new check confirmed the node.
            checkId++;
            check = Check.WANTED;
            answeredWhileChecking = false;
            answer = Answer.CHECK;
        }
        if (check != Check.NONE) {
            if (!answeredWhileChecking || sentAtNanos - newestWhileChecking > 0) {
                newestWhileChecking = sentAtNanos;
                answeredWhileChecking = true;
            }
            return answer;
        }
        count(sentAtNanos);
        return answer;
    }

    private void count(long sentAtNanos) {
        if (trusting && sentAtNanos - trustedFrom < 0) {
            return; // sent before the check that confirmed the node began: maybe answered in its stale moments
        }
        if (!answered || sentAtNanos - newestAnsweredSentAt > 0) {
            newestAnsweredSentAt = sentAtNanos;
            answered = true;
        }
        long until = sentAtNanos + maxStalenessNanos;
        if (loaded && until - freshUntil > 0) {
            freshUntil = until;
        }
    }

    /**
     * The ownership check asked for on the subscription of {@code expected} starts now ({@code nowNanos}, before it asks
     * anything).
     *
     * @return its id, for {@link #confirmed}; -1 when there is none to run (another one is under way, the latest asked
     *         for has run, or the subscription is gone)
     */
    synchronized long checkStarting(long expected, long nowNanos) {
        if (expected != generation || !subscribed || check != Check.WANTED) {
            return -1;
        }
        check = Check.RUNNING;
        checkStartedAt = nowNanos;
        return checkId;
    }

    /**
     * The check {@code id} found the node of the subscription of {@code expected} still serving the channel's slot:
     * answers to heartbeats sent since it started count again (the newest one already answered, at once).
     *
     * @return false when it counts for nothing (a later silence asked for another check, or the subscription is gone)
     */
    synchronized boolean confirmed(long expected, long id) {
        if (expected != generation || !subscribed || check != Check.RUNNING || id != checkId) {
            return false;
        }
        check = Check.NONE;
        trustedFrom = checkStartedAt;
        trusting = true;
        if (answeredWhileChecking) {
            answeredWhileChecking = false;
            count(newestWhileChecking);
        }
        return true;
    }

    /** Whether the subscription of {@code expected} waits for an ownership check (wanted or under way). */
    synchronized boolean checking(long expected) {
        return subscribed && generation == expected && check != Check.NONE;
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
