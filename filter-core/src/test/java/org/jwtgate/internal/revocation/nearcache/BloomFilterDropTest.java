package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.internal.revocation.nearcache.LocalRevocations.Verdict;
import org.jwtgate.revocation.TokenRef;

/** The purge drops the Bloom filter once its latest revocation has expired. */
class BloomFilterDropTest {

    private static final RevocationKeys KEYS = new RevocationKeys("jwtgate:");
    private static final long NOW = 1_767_225_600_000L;
    private static final long GRACE = 1_000;

    /** A later revocation applied to the filter before the purge keeps it whole. */
    @Test
    void aLaterRevocationAddedToTheFilterKeepsItPastTheEarlierOnesExpiry() {
        LocalRevocations state = new LocalRevocations(1, GRACE, 0);
        state.apply(new RevocationEvent(KEYS.tokenKey(token("exact")), 1, Long.MAX_VALUE), NOW);
        TokenRef early = token("early");
        TokenRef user = token("user");
        state.apply(new RevocationEvent(KEYS.tokenKey(early), 1, NOW + 10_000), NOW);
        state.apply(new RevocationEvent(KEYS.userKey(user.subject()), NOW, NOW + 60_000), NOW + 5_000);
        state.purgeExpired(NOW + 11_001 + GRACE);
        assertEquals(Verdict.ASK_REDIS, check(state, user, NOW + 11_001 + GRACE), "the user's revocation is in force");
        state.purgeExpired(NOW + 60_000 + GRACE);
        assertEquals(Verdict.ASK_REDIS, check(state, user, NOW + 60_000 + GRACE), "at its expiry + grace: still in force");
    }

    /** After a forward step the purge drops nothing: the filter stays, and checks ask Redis. */
    @Test
    void afterAForwardStepTheFilterIsKept() {
        LocalRevocations state = new LocalRevocations(1, GRACE, 0);
        state.apply(new RevocationEvent(KEYS.tokenKey(token("exact")), 1, Long.MAX_VALUE), NOW);
        TokenRef inBloom = token("bloom");
        state.apply(new RevocationEvent(KEYS.tokenKey(inBloom), 1, NOW + 10_000), NOW);
        state.steppedForward(3_600_000);
        state.purgeExpired(NOW + 3_600_000);
        assertEquals(1, state.overflowCount(), "kept after a forward step");
        assertEquals(Verdict.ASK_REDIS, check(state, inBloom, NOW + 3_600_000));
    }

    /** A key both in the filter (long expiry) and, after room was made, exact (short expiry): the filter covers it. */
    @Test
    void aKeyInTheFilterAndLaterExactIsCoveredUntilTheFiltersExpiry() {
        LocalRevocations state = new LocalRevocations(1, GRACE, 0);
        TokenRef filler = token("filler");
        state.apply(new RevocationEvent(KEYS.tokenKey(filler), 1, NOW + 1_000), NOW);
        TokenRef both = token("both");
        state.apply(new RevocationEvent(KEYS.tokenKey(both), 1, NOW + 60_000), NOW); // to the filter
        state.purgeExpired(NOW + 2_001 + GRACE); // the filler goes: room
        state.apply(new RevocationEvent(KEYS.tokenKey(both), 1, NOW + 5_000), NOW + 3_000 + GRACE); // exact, shorter
        state.purgeExpired(NOW + 5_001 + GRACE);
        assertEquals(Verdict.ASK_REDIS, check(state, both, NOW + 5_001 + GRACE), "Redis keeps max(TTL): in force");
        state.purgeExpired(NOW + 59_000);
        assertEquals(Verdict.ASK_REDIS, check(state, both, NOW + 59_000));
    }

    private static Verdict check(LocalRevocations state, TokenRef token, long now) {
        return state.check(KEYS.userKey(token.subject()), KEYS.tokenKey(token), token.issuedAt(), now);
    }

    private static TokenRef token(String subject) {
        return new TokenRef("https://issuer", subject, subject + "-jti", Instant.ofEpochMilli(NOW - 1_000),
                Instant.ofEpochMilli(NOW + 600_000));
    }
}
