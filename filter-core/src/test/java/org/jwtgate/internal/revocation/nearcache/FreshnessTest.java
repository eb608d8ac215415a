package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jwtgate.internal.revocation.nearcache.Freshness.Answer;

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
        assertEquals(Answer.COUNTED, freshness.heartbeat(generation, now, now));
        long resumed = now + SILENCE_LIMIT + 1;
        assertEquals(Answer.UNTRUSTED, freshness.heartbeat(generation, resumed - 1, resumed), "untrusted");
        assertFalse(freshness.isFresh(resumed), "not made fresh from the late answer's sending");
        assertEquals(Answer.COUNTED, freshness.heartbeat(generation, now + SILENCE_LIMIT, now + SILENCE_LIMIT),
                "within the limit");
    }

    /** A check after a silence longer than this, in a cluster: max-staleness. */
    private static final long CHECK_AFTER = STALENESS;

    /** Subscribed, loaded and fresh from a heartbeat answered at {@code now}, with ownership checks. */
    private static long freshInACluster(Freshness freshness, long now) {
        long generation = freshness.subscribed(now);
        assertTrue(freshness.loaded(generation));
        assertEquals(Answer.COUNTED, freshness.heartbeat(generation, now, now));
        assertTrue(freshness.isFresh(now));
        return generation;
    }

    /**
     * The near-cache review's forced failover: the channel's master paused for less than the limit, its replica
     * promoted meanwhile by CLUSTER FAILOVER TAKEOVER or FORCE; once resumed it answers the queued heartbeats with its
     * old view of the slot. Those answers make nothing fresh until the other masters confirmed the node, and then only
     * the heartbeats sent after the check began count.
     */
    @Test
    void whenAnAnswerComesAfterASilenceOverMaxStalenessThenNothingCountsUntilACheckConfirmsTheNode() {
        Freshness freshness = new Freshness(STALENESS, SILENCE_LIMIT, CHECK_AFTER);
        long now = System.nanoTime();
        long generation = freshInACluster(freshness, now);

        long resumed = now + 2 * STALENESS; // over max-staleness, within the limit
        assertEquals(Answer.CHECK, freshness.heartbeat(generation, resumed - 10, resumed), "a check is asked for");
        assertTrue(freshness.checking(generation));
        assertFalse(freshness.isFresh(resumed), "the late answer alone does not make it fresh");
        assertEquals(Answer.COUNTED, freshness.heartbeat(generation, resumed - 5, resumed + 1), "queued: no new check");
        assertFalse(freshness.isFresh(resumed + 1), "nor the answers queued behind it");

        long started = resumed + 2;
        long check = freshness.checkStarting(generation, started);
        assertTrue(check >= 0);
        assertEquals(-1, freshness.checkStarting(generation, started), "one check at a time");
        assertEquals(Answer.COUNTED, freshness.heartbeat(generation, started - 1, started + 1), "sent before it began");
        assertFalse(freshness.isFresh(started + 1), "not while the check runs");

        assertTrue(freshness.confirmed(generation, check));
        assertFalse(freshness.checking(generation));
        assertFalse(freshness.isFresh(started + 2), "heartbeats sent before the check began count for nothing");
        freshness.heartbeat(generation, started - 1, started + 3);
        assertFalse(freshness.isFresh(started + 3), "not even answered after the confirmation");
        freshness.heartbeat(generation, started + 3, started + 4);
        assertTrue(freshness.isFresh(started + 4), "sent after it began: fresh again");
    }

    @Test
    void whenAHeartbeatSentAfterTheCheckBeganWasAnsweredBeforeItsConfirmationThenTheConfirmationMakesItFresh() {
        Freshness freshness = new Freshness(STALENESS, SILENCE_LIMIT, CHECK_AFTER);
        long now = System.nanoTime();
        long generation = freshInACluster(freshness, now);
        long resumed = now + 2 * STALENESS;
        assertEquals(Answer.CHECK, freshness.heartbeat(generation, resumed - 10, resumed));
        long check = freshness.checkStarting(generation, resumed + 1);
        freshness.heartbeat(generation, resumed + 2, resumed + 3);
        assertFalse(freshness.isFresh(resumed + 3));
        assertTrue(freshness.confirmed(generation, check));
        assertTrue(freshness.isFresh(resumed + 4), "from the newest answer sent since the check began");
        assertFalse(freshness.isFresh(resumed + 2 + STALENESS), "bounded from its sending");
    }

    @Test
    void whenAnotherSilenceComesDuringACheckThenThatCheckCountsForNothingAndTheNextOneDecides() {
        Freshness freshness = new Freshness(STALENESS, SILENCE_LIMIT, CHECK_AFTER);
        long now = System.nanoTime();
        long generation = freshInACluster(freshness, now);
        long first = now + 2 * STALENESS;
        assertEquals(Answer.CHECK, freshness.heartbeat(generation, first - 10, first));
        long stale = freshness.checkStarting(generation, first + 1);

        long second = first + 2 * STALENESS;
        assertEquals(Answer.CHECK, freshness.heartbeat(generation, second - 10, second), "paused again");
        assertFalse(freshness.confirmed(generation, stale), "began before the second silence");
        assertTrue(freshness.checking(generation));
        freshness.heartbeat(generation, second + 5, second + 6);
        assertFalse(freshness.isFresh(second + 6));

        long check = freshness.checkStarting(generation, second + 1);
        assertTrue(check > stale);
        assertTrue(freshness.confirmed(generation, check));
        assertTrue(freshness.isFresh(second + 7));
    }

    @Test
    void whenTheSubscriptionIsLostOrRemadeThenAPendingCheckCountsForNothing() {
        Freshness freshness = new Freshness(STALENESS, SILENCE_LIMIT, CHECK_AFTER);
        long now = System.nanoTime();
        long generation = freshInACluster(freshness, now);
        long resumed = now + 2 * STALENESS;
        assertEquals(Answer.CHECK, freshness.heartbeat(generation, resumed - 10, resumed));
        long check = freshness.checkStarting(generation, resumed + 1);
        assertTrue(freshness.lost(generation, resumed + 2), "the check found the slot elsewhere");
        assertFalse(freshness.confirmed(generation, check));

        long next = freshness.subscribed(resumed + 3);
        assertFalse(freshness.checking(next), "a new subscription starts without a check");
        assertEquals(-1, freshness.checkStarting(generation, resumed + 4), "the old subscription's");
        assertEquals(-1, freshness.checkStarting(next, resumed + 4), "none asked for");
        assertTrue(freshness.loaded(next));
        assertEquals(Answer.COUNTED, freshness.heartbeat(next, resumed + 5, resumed + 6));
        assertTrue(freshness.isFresh(resumed + 6));
    }

    /** A single server: no replica an operator could promote, so a silence within the limit asks for nothing. */
    @Test
    void whenNoCheckIsConfiguredThenAnAnswerAfterASilenceWithinTheLimitCountsAsBefore() {
        Freshness freshness = new Freshness(STALENESS, SILENCE_LIMIT);
        long now = System.nanoTime();
        long generation = freshness.subscribed(now);
        assertTrue(freshness.loaded(generation));
        freshness.heartbeat(generation, now, now);
        long resumed = now + 2 * STALENESS;
        assertEquals(Answer.COUNTED, freshness.heartbeat(generation, resumed - 10, resumed));
        assertFalse(freshness.checking(generation));
        assertTrue(freshness.isFresh(resumed));
    }
}
