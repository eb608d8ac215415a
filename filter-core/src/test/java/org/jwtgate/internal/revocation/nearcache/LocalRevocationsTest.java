package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.internal.revocation.UserRevocationInstant;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.internal.revocation.nearcache.LocalRevocations.Verdict;

class LocalRevocationsTest {

    private static final RevocationKeys KEYS = new RevocationKeys("jwtgate:");
    private static final long NOW = 1_767_225_600_000L;
    private static final long GRACE = 1_000;

    @Test
    void whenUserRevokedThenTokensIssuedAtOrBeforeAreRefusedAndLaterOnesNot() {
        LocalRevocations state = new LocalRevocations(10, GRACE, 0);
        state.apply(new RevocationEvent(KEYS.userKey("alice"), NOW, NOW + 60_000), NOW);
        assertEquals(Verdict.REVOKED, check(state, token("alice", NOW - 5_000), NOW));
        assertEquals(Verdict.REVOKED, check(state, token("alice", NOW), NOW));
        assertEquals(Verdict.NOT_REVOKED, check(state, token("alice", NOW + 1_000), NOW));
        assertEquals(Verdict.REVOKED, check(state, new TokenRef("iss", "alice", "j", null, null), NOW), "no iat: refused");
        assertEquals(Verdict.NOT_REVOKED, check(state, token("bob", NOW - 5_000), NOW));
        // An iat past the epoch-millisecond range (an application's TokenRef) threw ArithmeticException (a probe).
        assertEquals(Verdict.NOT_REVOKED, check(state, new TokenRef("iss", "alice", "j", Instant.MAX, null), NOW));
        assertEquals(Verdict.REVOKED, check(state, new TokenRef("iss", "alice", "j", Instant.MIN, null), NOW));
    }

    @Test
    void whenTokenRevokedThenOnlyThatIssuerAndJtiIsRefused() {
        LocalRevocations state = new LocalRevocations(10, GRACE, 0);
        TokenRef revoked = token("alice", NOW);
        state.apply(new RevocationEvent(KEYS.tokenKey(revoked), 1, NOW + 60_000), NOW);
        assertEquals(Verdict.REVOKED, check(state, revoked, NOW));
        assertEquals(Verdict.NOT_REVOKED, check(state, new TokenRef("other-iss", "alice", revoked.tokenId(), null, null), NOW));
    }

    @Test
    void whenEntryExpiredBeyondGraceThenItNoLongerCountsAndPurgeFreesItsPlace() {
        LocalRevocations state = new LocalRevocations(1, GRACE, 0);
        TokenRef revoked = token("alice", NOW);
        state.apply(new RevocationEvent(KEYS.tokenKey(revoked), 1, NOW + 10_000), NOW);
        assertEquals(Verdict.REVOKED, check(state, revoked, NOW + 10_000 + GRACE), "honoured through the grace period");
        assertEquals(Verdict.ASK_REDIS, check(state, revoked, NOW + 10_001 + GRACE),
                "a token checked after its entry expired: the clock stepped forward, Redis decides");
        assertEquals(1, state.purgeExpired(NOW + 10_001 + GRACE));
        assertEquals(Verdict.NOT_REVOKED, check(state, revoked, NOW + 10_001 + GRACE), "purged");
        TokenRef next = token("bob", NOW);
        state.apply(new RevocationEvent(KEYS.tokenKey(next), 1, NOW + 10_000_000), NOW + 20_000);
        assertEquals(1, state.exactSize());
        assertEquals(0, state.overflowCount(), "the purged entry's place was reused");
        state.apply(new RevocationEvent(KEYS.tokenKey(token("carol", NOW)), 1, NOW - 100_000), NOW);
        assertEquals(0, state.overflowCount(), "an event that already expired is not kept");
    }

    /** Only an entry that covers the token counts as outlived: a user's revocation does not cover a newer token. */
    @Test
    void whenAUsersEntryExpiredThenOnlyTheTokensItCoveredAskRedis() {
        LocalRevocations state = new LocalRevocations(10, GRACE, 0);
        state.apply(new RevocationEvent(KEYS.userKey("alice"), NOW, NOW + 60_000), NOW);
        long later = NOW + 60_001 + GRACE;
        assertEquals(Verdict.ASK_REDIS, check(state, token("alice", NOW - 5_000), later));
        assertEquals(Verdict.ASK_REDIS, check(state, new TokenRef("iss", "alice", "j", null, null), later), "no iat");
        assertEquals(Verdict.NOT_REVOKED, check(state, token("alice", NOW + 1_000), later), "issued after the revocation");
    }

    /**
     * A wall clock that lagged when the state was loaded (so scanned entries were dated too early) and was then
     * stepped forward, by more than a second: every check reads Redis from then on, whatever the entries say.
     */
    @Test
    void whenTheWallClockSteppedForwardSinceTheStateBeganThenEveryCheckAsksRedis() {
        LocalRevocations state = new LocalRevocations(10, GRACE, 5_000);
        TokenRef revoked = token("alice", NOW);
        state.apply(new RevocationEvent(KEYS.tokenKey(revoked), 1, NOW + 60_000), NOW);

        assertFalse(state.steppedForward(5_000 + LocalRevocations.CLOCK_STEP_MILLIS), "within the jitter");
        assertFalse(state.steppedForward(-100_000), "the lead shrank: the wall clock went back, or ran slow");
        assertEquals(Verdict.NOT_REVOKED, check(state, token("bob", NOW), NOW));

        assertTrue(state.steppedForward(5_001 + LocalRevocations.CLOCK_STEP_MILLIS));
        assertFalse(state.steppedForward(1_000_000), "told once");
        assertEquals(Verdict.ASK_REDIS, check(state, token("bob", NOW), NOW));
        assertEquals(Verdict.ASK_REDIS, check(state, revoked, NOW));
    }

    /** Entries dated after a step back count from the lesser lead: the step forward again is seen. */
    @Test
    void whenAnEntryWasDatedWithALesserLeadThenTheStepForwardIsMeasuredFromIt() {
        LocalRevocations state = new LocalRevocations(10, GRACE, 5_000);
        state.datedWith(5_000 - 7_200_000); // the clock went back 2 h during the scan
        state.datedWith(5_000); // a greater lead later does not raise it

        assertTrue(state.steppedForward(5_000), "back to the lead the state began with: forward from its entries'");
        assertEquals(Verdict.ASK_REDIS, check(state, token("bob", NOW), NOW));
    }

    /** A wall clock that ran ahead (an RTC kept in local time, a bad NTP source) and was stepped back. */
    @Test
    void whenTheWallClockGoesBackPastADroppedEntryThenOnlyRedisCanAnswer() {
        long ahead = NOW + 7_200_000;
        LocalRevocations purged = new LocalRevocations(10, GRACE, 0);
        TokenRef revoked = token("alice", NOW);
        purged.apply(new RevocationEvent(KEYS.tokenKey(revoked), 1, NOW + 10_000), NOW);
        assertEquals(1, purged.purgeExpired(ahead));
        assertFalse(purged.clockWentBack(ahead));
        assertEquals(Verdict.NOT_REVOKED, check(purged, token("bob", NOW), ahead), "nothing to ask while ahead");

        assertTrue(purged.clockWentBack(NOW));
        assertTrue(purged.reloadNeededForClock(NOW));
        assertFalse(purged.reloadNeededForClock(NOW), "a reload of this state is asked for once");
        assertEquals(Verdict.ASK_REDIS, check(purged, revoked, NOW), "its revocation counts again, and Redis has it");
        assertEquals(Verdict.ASK_REDIS, check(purged, token("bob", NOW), NOW), "the state cannot tell which ones");
        assertEquals(Verdict.NOT_REVOKED, check(purged, revoked, NOW + 10_001 + GRACE), "past the dropped expiry again");

        LocalRevocations refused = new LocalRevocations(10, GRACE, 0);
        refused.apply(new RevocationEvent(KEYS.tokenKey(revoked), 1, NOW + 10_000), ahead); // announced while ahead
        assertEquals(0, refused.exactSize());
        assertEquals(Verdict.ASK_REDIS, check(refused, revoked, NOW));
    }

    /**
     * A check runs lock-free beside the purge (heartbeat thread). With the clock stepped back while the purge, still
     * using the time read before the step, drops a revocation: a check that looked at the clock before the purge
     * noted the drop, and for the entry after the purge removed it, saw neither and answered "not revoked".
     */
    @Test
    void whenThePurgeDropsAnEntryDuringACheckAfterTheClockWentBackThenTheCheckAsksRedis() throws Exception {
        long ahead = NOW + 7_200_000;
        LocalRevocations state = new LocalRevocations(10, GRACE, 0);
        TokenRef revoked = token("alice", NOW);
        state.apply(new RevocationEvent(KEYS.userKey("alice"), NOW, NOW + 10_000), NOW);

        Verdict verdict = checkWhile(state, revoked, NOW,
                () -> assertEquals(1, state.purgeExpired(ahead), "the purge, with the time read before the step back"));

        assertEquals(Verdict.ASK_REDIS, verdict, "the revoked user's token, not expired now");
    }

    /**
     * The same race after a forward step: the check saw no step yet, the heartbeat thread then noted it and purged the
     * entry its lagging clock had dated too early; the check, back from its lookup, found nothing. A purge after the
     * step drops nothing now (the entries wait for the reload), and the check still asks Redis.
     */
    @Test
    void whenTheStepIsNotedAndThePurgeDropsAnEntryDuringACheckThenTheCheckAsksRedis() throws Exception {
        LocalRevocations state = new LocalRevocations(10, GRACE, 0);
        TokenRef revoked = token("alice", NOW);
        state.apply(new RevocationEvent(KEYS.tokenKey(revoked), 1, NOW + 10_000), NOW); // dated 2 h too early
        long stepped = NOW + 7_200_000;

        Verdict verdict = checkWhile(state, revoked, stepped, () -> {
            assertTrue(state.steppedForward(7_200_000));
            assertEquals(0, state.purgeExpired(stepped), "the purge, after the step was noted");
        });

        assertEquals(Verdict.ASK_REDIS, verdict);
    }

    /**
     * The verdict of a check of {@code token} at {@code nowMillis}, run on a thread of its own, during which
     * {@code meanwhile} runs: after the check looked at the clock, before its lookups.
     */
    @SuppressWarnings("unchecked")
    private static Verdict checkWhile(LocalRevocations state, TokenRef token, long nowMillis, Runnable meanwhile)
            throws Exception {
        CountDownLatch inLookup = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        String checker = "checker";
        Field exact = LocalRevocations.class.getDeclaredField("exact");
        exact.setAccessible(true);
        exact.set(state, new ConcurrentHashMap<String, Object>((Map<String, Object>) exact.get(state)) {
            @Override
            public Object get(Object key) {
                if (Thread.currentThread().getName().equals(checker)) {
                    inLookup.countDown(); // the check has looked at the clock already
                    try {
                        assertTrue(done.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.get(key);
            }
        });
        CompletableFuture<Verdict> verdict = new CompletableFuture<>();
        Thread check = new Thread(() -> verdict.complete(check(state, token, nowMillis)), checker);
        check.start();
        assertTrue(inLookup.await(10, TimeUnit.SECONDS));
        meanwhile.run();
        done.countDown();
        return verdict.get(10, TimeUnit.SECONDS);
    }

    @Test
    void whenEntryExpiresNearTheEndOfTimeThenItIsHonouredWithoutOverflow() {
        // A key kept "forever" by hand with a huge TTL: expiry + grace would wrap negative.
        LocalRevocations state = new LocalRevocations(10, GRACE, 0);
        TokenRef revoked = token("alice", NOW);
        state.apply(new RevocationEvent(KEYS.tokenKey(revoked), 1, Long.MAX_VALUE - 1), NOW);
        assertEquals(1, state.exactSize(), "kept, not taken for expired");
        assertEquals(Verdict.REVOKED, check(state, revoked, NOW));
        assertEquals(0, state.purgeExpired(NOW));
    }

    @Test
    void whenEventsAppliedInAnyOrderThenTheLatestInstantAndExpiryWin() {
        LocalRevocations state = new LocalRevocations(10, GRACE, 0);
        String user = KEYS.userKey("alice");
        state.apply(new RevocationEvent(user, NOW, NOW + 1_000_000), NOW);
        state.apply(new RevocationEvent(user, NOW - 60_000, NOW + 10), NOW); // older instant, shorter life: a retry
        assertEquals(Verdict.REVOKED, check(state, token("alice", NOW - 1), NOW + 500_000));
        assertEquals(1, state.exactSize());
    }

    /**
     * A ban written by hand (no number: every token of the user refused) that expired in Redis, then a new revokeUser:
     * the script stores the new instant alone. Past the grace (not purged yet) the state takes it alone too; before,
     * the ban was merged in and refused the user's later tokens with the new one-day life (the near-cache review).
     * Within the grace Redis may still hold the ban (clocks differ): the two are merged, refusing more, not less.
     */
    @Test
    void whenAnEntryPastItsGraceIsRevokedAgainThenTheNewEventAloneCountsAndWithinTheGraceTheyMerge() {
        String user = KEYS.userKey("bob");
        LocalRevocations past = new LocalRevocations(10, GRACE, 0);
        past.apply(new RevocationEvent(user, UserRevocationInstant.BAN, NOW - GRACE - 1), NOW - 60_000);
        past.apply(new RevocationEvent(user, NOW, NOW + 86_400_000), NOW);
        assertEquals(Verdict.NOT_REVOKED, check(past, token("bob", NOW + 1_000), NOW + 2_000), "issued after");
        assertEquals(Verdict.REVOKED, check(past, token("bob", NOW), NOW + 2_000));
        assertEquals(1, past.exactSize());

        // The clock stepped forward since the state began (the heartbeat thread has not seen it yet): the entry's
        // "past" is in doubt, and Redis may still hold the ban (the diff review's case).
        LocalRevocations stepped = new LocalRevocations(10, GRACE, 0);
        stepped.apply(new RevocationEvent(user, UserRevocationInstant.BAN, NOW - GRACE - 1), NOW - 60_000);
        stepped.apply(new RevocationEvent(user, NOW, NOW + 86_400_000), NOW, LocalRevocations.CLOCK_STEP_MILLIS + 1);
        assertEquals(Verdict.REVOKED, check(stepped, token("bob", NOW + 1_000), NOW + 2_000), "the ban kept");

        LocalRevocations within = new LocalRevocations(10, GRACE, 0);
        within.apply(new RevocationEvent(user, UserRevocationInstant.BAN, NOW - GRACE), NOW - 60_000);
        within.apply(new RevocationEvent(user, NOW, NOW + 86_400_000), NOW);
        assertEquals(Verdict.REVOKED, check(within, token("bob", NOW + 1_000), NOW + 2_000), "the ban kept");
    }

    @Test
    void whenAnOverflowRevocationIsAppliedAgainThenItIsCountedOnce() {
        // A retried revocation, or one announced while a load scans and read by the scan too: before, each application
        // counted one more revocation in the Bloom filter (the reviewer's run: 1 revocation applied 1,000 times, 1,000).
        LocalRevocations state = new LocalRevocations(1, GRACE, 0);
        state.apply(new RevocationEvent(KEYS.tokenKey(token("exact", NOW)), 1, NOW + 60_000), NOW);
        RevocationEvent overflow = new RevocationEvent(KEYS.tokenKey(token("bob", NOW)), 1, NOW + 60_000);
        for (int i = 0; i < 1_000; i++) {
            state.apply(overflow, NOW);
        }
        assertEquals(1, state.exactSize());
        assertEquals(1, state.overflowCount());
        assertEquals(Verdict.ASK_REDIS, check(state, token("bob", NOW), NOW));
    }

    @Test
    void whenTheBloomFilterHoldsManyTimesItsSizeThenTheCountStaysCloseToTheRevocationsInIt() {
        // Counting only the keys that seemed absent missed 37.5 % at ten times the capacity (the first diff review's
        // run: 6,246 of 10,000); the estimate from the filter's bits stays within a few percent.
        LocalRevocations state = new LocalRevocations(1_000, GRACE, 0);
        int revocations = 11_000;
        for (int i = 0; i < revocations; i++) {
            RevocationEvent event = new RevocationEvent(KEYS.tokenKey(token("user-" + i, NOW)), 1, NOW + 60_000);
            state.apply(event, NOW);
            state.apply(event, NOW); // applied twice, as a retried revocation is
        }
        long inFilter = revocations - 1_000;
        assertTrue(Math.abs(state.overflowCount() - inFilter) < inFilter * 0.05,
                state.overflowCount() + " counted for " + inFilter + " in the filter");
    }

    /**
     * The Bloom filter was emptied only by the next load (resync-seconds, 300 s by default): after a burst beyond the
     * capacity had expired, about half the checks of unrelated tokens still read Redis until then (a soak probe's
     * measure). The purge now drops it once its latest revocation has expired, as it drops an exact entry.
     */
    @Test
    void whenEveryRevocationInTheBloomFilterHasExpiredThenThePurgeDropsIt() {
        LocalRevocations state = new LocalRevocations(1, GRACE, 0);
        state.apply(new RevocationEvent(KEYS.tokenKey(token("exact", NOW)), 1, NOW + 10_000), NOW);
        TokenRef early = token("early", NOW);
        TokenRef late = token("late", NOW);
        state.apply(new RevocationEvent(KEYS.tokenKey(early), 1, NOW + 20_000), NOW);
        state.apply(new RevocationEvent(KEYS.tokenKey(late), 1, NOW + 30_000), NOW);
        assertEquals(2, state.overflowCount());

        state.purgeExpired(NOW + 20_001 + GRACE);
        assertEquals(2, state.overflowCount(), "kept while one of its revocations is in force");
        assertEquals(Verdict.ASK_REDIS, check(state, late, NOW + 20_001 + GRACE));

        state.purgeExpired(NOW + 30_001 + GRACE);
        assertEquals(0, state.overflowCount(), "dropped once the latest has expired");
        assertEquals(Verdict.NOT_REVOKED, check(state, late, NOW + 30_001 + GRACE));
        assertEquals(Verdict.ASK_REDIS, check(state, late, NOW + 29_000),
                "a clock gone back before the dropped revocations' expiry asks Redis, as for a purged exact entry");
        state.apply(new RevocationEvent(KEYS.tokenKey(token("next", NOW)), 1, NOW + 90_000), NOW + 31_000 + GRACE);
        TokenRef beyond = token("beyond", NOW);
        state.apply(new RevocationEvent(KEYS.tokenKey(beyond), 1, NOW + 90_000), NOW + 31_000 + GRACE);
        assertEquals(1, state.overflowCount(), "a new overflow starts a new filter");
        assertEquals(Verdict.ASK_REDIS, check(state, beyond, NOW + 31_000 + GRACE));
    }

    @Test
    void whenMoreRevocationsThanCapacityThenOverflowAsksRedisAndOthersStayLocal() {
        LocalRevocations state = new LocalRevocations(2, GRACE, 0);
        TokenRef[] revoked = new TokenRef[5];
        for (int i = 0; i < revoked.length; i++) {
            revoked[i] = token("user-" + i, NOW);
            state.apply(new RevocationEvent(KEYS.tokenKey(revoked[i]), 1, NOW + 60_000), NOW);
        }
        assertEquals(2, state.exactSize());
        assertEquals(3, state.overflowCount());
        int exact = 0;
        for (TokenRef t : revoked) {
            Verdict verdict = check(state, t, NOW);
            assertTrue(verdict != Verdict.NOT_REVOKED, "never a false 'not revoked': " + t);
            exact += verdict == Verdict.REVOKED ? 1 : 0;
        }
        assertEquals(2, exact);
        int asked = 0;
        for (int i = 0; i < 1_000; i++) {
            asked += check(state, token("innocent-" + i, NOW), NOW) == Verdict.ASK_REDIS ? 1 : 0;
        }
        assertTrue(asked < 10, "false positives: " + asked);
    }

    private static Verdict check(LocalRevocations state, TokenRef token, long now) {
        return state.check(KEYS.userKey(token.subject()), KEYS.tokenKey(token), token.issuedAt(), now);
    }

    private static TokenRef token(String subject, long issuedAtMillis) {
        return new TokenRef("https://issuer", subject, subject + "-jti", Instant.ofEpochMilli(issuedAtMillis),
                Instant.ofEpochMilli(issuedAtMillis + 600_000));
    }

    /**
     * For a check Redis cannot answer: an entry covers the token until its expiry (a ban written by hand with a TTL
     * counted past it, refusing a token issued after it: a review's find), and after a forward step of the clock every
     * entry, none purged by the stepped clock (a purge dropped one an hour's step made look expired: a review's find).
     */
    @Test
    void whenRedisCannotAnswerThenHeldEntriesCountUntilTheirExpiryOrAllOnceTheClockStepped() {
        LocalRevocations state = new LocalRevocations(10, GRACE, 0);
        String alice = KEYS.userKey("alice");
        state.apply(new RevocationEvent(alice, org.jwtgate.internal.revocation.UserRevocationInstant.BAN, NOW + 60_000),
                NOW);
        Instant later = Instant.ofEpochMilli(NOW + 60_000 + GRACE + 1_000);
        assertTrue(state.holds(alice, "none", later, NOW));
        assertFalse(state.holds(alice, "none", later, NOW + 60_000 + GRACE + 2_000), "a ban past its expiry");

        TokenRef revoked = token("bob", NOW);
        state.apply(new RevocationEvent(KEYS.tokenKey(revoked), 1, NOW + 600_000), NOW);
        assertTrue(state.steppedForward(3_600_000), "an hour's step noticed");
        long stepped = NOW + 3_600_000;
        assertEquals(0, state.purgeExpired(stepped), "nothing purged by the stepped clock");
        assertTrue(state.holds(KEYS.userKey("bob"), KEYS.tokenKey(revoked), revoked.issuedAt(), stepped));
    }
}
