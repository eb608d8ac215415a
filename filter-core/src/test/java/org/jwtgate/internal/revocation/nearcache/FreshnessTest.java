package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FreshnessTest {

    private static final long STALENESS = TimeUnit.SECONDS.toNanos(30);
    private static final long SILENCE_LIMIT = TimeUnit.SECONDS.toNanos(300);

    @Test
    void whenSubscribedLoadedAndHeartbeatBackThenFreshUntilTheBoundFromItsSending() {
        Freshness freshness = new Freshness(STALENESS, SILENCE_LIMIT);
        long now = System.nanoTime();
        assertFalse(freshness.isFresh(), "not before anything happened");
        long generation = freshness.subscribed(now);
        freshness.heartbeat(generation, now, now);
        assertFalse(freshness.isFresh(), "a heartbeat alone does not make an unloaded state fresh");
        assertTrue(freshness.loaded(generation));
        assertFalse(freshness.isFresh());
        freshness.heartbeat(generation, now, now);
        assertTrue(freshness.isFresh());

        Freshness stale = new Freshness(STALENESS, SILENCE_LIMIT);
        long g = stale.subscribed(now);
        stale.loaded(g);
        stale.heartbeat(g, now - STALENESS - 1, now);
        assertFalse(stale.isFresh(), "a heartbeat sent longer ago than the bound proves too little");
    }

    @Test
    void whenSubscriptionLostThenNotFreshAndItsHeartbeatsAndLoadsNoLongerCount() {
        Freshness freshness = new Freshness(STALENESS, SILENCE_LIMIT);
        long now = System.nanoTime();
        long first = freshness.subscribed(now);
        freshness.loaded(first);
        freshness.heartbeat(first, now, now);
        assertTrue(freshness.isFresh());

        assertTrue(freshness.lost(first, System.nanoTime()));
        assertFalse(freshness.isFresh());
        assertFalse(freshness.lost(first, System.nanoTime()), "already lost");
        freshness.heartbeat(first, System.nanoTime(), System.nanoTime());
        assertFalse(freshness.isFresh(), "a late heartbeat of the lost subscription");

        long second = freshness.subscribed(System.nanoTime());
        assertFalse(freshness.loaded(first), "a load of the lost subscription");
        freshness.heartbeat(second, System.nanoTime(), System.nanoTime());
        assertFalse(freshness.isFresh(), "not loaded since resubscribing");
        assertTrue(freshness.loaded(second));
        freshness.heartbeat(second, System.nanoTime(), System.nanoTime());
        assertTrue(freshness.isFresh());
    }

    /**
     * The near-cache review: the channel's master paused longer than a failover answers, once resumed, the heartbeats
     * queued meanwhile with its old view of the slot. An answer after a silence over the limit proves nothing.
     */
    @Test
    void whenAHeartbeatComesBackAfterASilenceOverTheLimitThenItDoesNotCountAndSaysSo() {
        Freshness freshness = new Freshness(STALENESS, SILENCE_LIMIT);
        long now = System.nanoTime();
        long generation = freshness.subscribed(now);
        assertTrue(freshness.loaded(generation));
        assertTrue(freshness.heartbeat(generation, now, now));
        long resumed = now + SILENCE_LIMIT + 1;
        assertFalse(freshness.heartbeat(generation, resumed - 1, resumed), "untrusted");
        assertFalse(freshness.isFresh(resumed), "not made fresh from the late answer's sending");
        assertTrue(freshness.heartbeat(generation, now + SILENCE_LIMIT, now + SILENCE_LIMIT), "within the limit");
    }
}
