package org.jwtgate.internal.revocation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testing.ManualClock;

/** The in-process store keeps the rules the Redis stores keep (see RevocationCommands). */
class MemoryRevocationStoreTest {

    private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

    private final ManualClock clock = new ManualClock(START);

    private static TokenRef token(String subject, String jti, Instant issuedAt) {
        return new TokenRef("https://issuer", subject, jti, issuedAt, START.plus(Duration.ofDays(30)));
    }

    /**
     * Closed (a filter destroyed under load): close() emptied the map, and a request still under way read it as "not
     * revoked" (200 for a revoked token), a revocation as durable; the reviewer's run. Now unavailable, as a closed
     * Redis store is: the filter answers per revocation.failure-mode.
     */
    @Test
    void whenClosedThenEveryCallIsUnavailableNotAnsweredFromTheEmptiedMap() {
        MemoryRevocationStore store = new MemoryRevocationStore(RevocationSettings.Mode.DENYLIST, clock);
        TokenRef revoked = token("alice", "j1", START);
        store.revokeToken(revoked, Duration.ofHours(1));
        assertTrue(store.isHealthy());

        store.close();

        // A filter built again with this store (a reused builder) answered 503 with health UP.
        assertFalse(store.isHealthy());

        RevocationUnavailableException closed =
                assertThrows(RevocationUnavailableException.class, () -> store.isRevoked(revoked));
        assertTrue(closed.getMessage().contains("JwtGate was closed"), closed.getMessage());
        assertThrows(RevocationUnavailableException.class, () -> store.revokeToken(revoked, Duration.ofHours(1)));
        assertThrows(RevocationUnavailableException.class, () -> store.revokeUser("alice", START, Duration.ofHours(1)));
        assertThrows(RevocationUnavailableException.class, () -> store.register(revoked, Duration.ofHours(1)));
    }

    /**
     * A write under way while close() runs (the filter destroyed while an admin revokes): it passed the closed check,
     * then close() emptied the map, and the write landed in the store nobody reads any more and was reported durable.
     * The clock, read between the check and the write, closes the store there.
     */
    @Test
    void whenClosedDuringAWriteThenTheWriteIsUnavailableNotReportedDurable() {
        java.util.concurrent.atomic.AtomicReference<MemoryRevocationStore> closeOnRead =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.time.Clock closing = new java.time.Clock() {
            @Override
            public Instant instant() {
                MemoryRevocationStore store = closeOnRead.getAndSet(null);
                if (store != null) {
                    store.close();
                }
                return clock.instant();
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        MemoryRevocationStore tokens = new MemoryRevocationStore(RevocationSettings.Mode.DENYLIST, closing);
        closeOnRead.set(tokens);
        assertThrows(RevocationUnavailableException.class,
                () -> tokens.revokeToken(token("alice", "j1", START), Duration.ofHours(1)));

        MemoryRevocationStore users = new MemoryRevocationStore(RevocationSettings.Mode.DENYLIST, closing);
        closeOnRead.set(users);
        assertThrows(RevocationUnavailableException.class, () -> users.revokeUser("alice", START, Duration.ofHours(1)));

        MemoryRevocationStore registrations = new MemoryRevocationStore(RevocationSettings.Mode.ALLOWLIST, closing);
        closeOnRead.set(registrations);
        assertThrows(RevocationUnavailableException.class,
                () -> registrations.register(token("alice", "j1", START), Duration.ofHours(1)));
    }

    /**
     * An iat an application built past the epoch-millisecond range (a hand-made JwtPrincipal or TokenRef): the check
     * threw ArithmeticException, which the store's contract does not allow (a probe's find). Compared as instants now.
     */
    @Test
    void whenAnIatIsPastTheEpochMillisecondRangeThenTheUserCheckAnswers() {
        MemoryRevocationStore store = new MemoryRevocationStore(RevocationSettings.Mode.DENYLIST, clock);
        store.revokeUser("dave", START, Duration.ofDays(1));
        assertFalse(store.isRevoked(token("dave", "j1", Instant.MAX)), "issued after the revocation");
        assertTrue(store.isRevoked(token("dave", "j2", Instant.MIN)), "issued before it");
        assertTrue(store.isRevoked(token("dave", "j3", START.plusNanos(999_999))), "the same millisecond");
        assertFalse(store.isRevoked(token("dave", "j4", START.plusMillis(1))));
    }

    @Test
    void whenUserRevokedLaterWithAShorterLifetimeThenTheLongerLifetimeStays() {
        MemoryRevocationStore store = new MemoryRevocationStore(RevocationSettings.Mode.DENYLIST, clock);
        TokenRef old = token("bob", "j1", START.minusSeconds(60));
        store.revokeUser("bob", START, Duration.ofDays(30));
        store.revokeUser("bob", START.plusSeconds(10), Duration.ofDays(1));

        clock.set(START.plus(Duration.ofDays(2)));
        assertTrue(store.isRevoked(old), "the first revocation's lifetime was kept");
        assertTrue(store.isRevoked(token("bob", "j2", START.plusSeconds(5))), "and the later instant applies");
    }

    @Test
    void whenTokenRevokedAgainWithAShorterLifetimeThenTheLongerLifetimeStays() {
        MemoryRevocationStore store = new MemoryRevocationStore(RevocationSettings.Mode.DENYLIST, clock);
        TokenRef token = token("bob", "j1", START);
        store.revokeToken(token, Duration.ofDays(2));
        store.revokeToken(token, Duration.ofSeconds(10));

        clock.set(START.plus(Duration.ofDays(1)));
        assertTrue(store.isRevoked(token), "the first revocation's lifetime was kept");
    }

    @Test
    void whenUserRevokedWithAnOlderInstantThenTheLaterInstantStays() {
        MemoryRevocationStore store = new MemoryRevocationStore(RevocationSettings.Mode.DENYLIST, clock);
        store.revokeUser("bob", START, Duration.ofDays(1));
        store.revokeUser("bob", START.minusSeconds(60), Duration.ofDays(1));
        assertTrue(store.isRevoked(token("bob", "j1", START.minusSeconds(30))));
    }

    @Test
    void whenAllowlistRegistrationArrivesAfterTheRevocationThenTheTokenStaysRevoked() {
        MemoryRevocationStore store = new MemoryRevocationStore(RevocationSettings.Mode.ALLOWLIST, clock);
        TokenRef token = token("alice", "j1", START);
        store.register(token, Duration.ofHours(1));
        assertFalse(store.isRevoked(token));
        store.revokeToken(token, Duration.ofHours(1));
        store.register(token, Duration.ofHours(1)); // late (an issuer's retry)
        assertTrue(store.isRevoked(token));
    }

    @Test
    void whenUserRevokedThenATokenWithoutIatIsRefused() {
        MemoryRevocationStore store = new MemoryRevocationStore(RevocationSettings.Mode.DENYLIST, clock);
        store.revokeUser("carol", START, Duration.ofDays(1));
        assertTrue(store.isRevoked(token("carol", "j1", null)));
        assertFalse(store.isRevoked(token("dave", "j1", null)), "another user's token is not concerned");
    }
}
