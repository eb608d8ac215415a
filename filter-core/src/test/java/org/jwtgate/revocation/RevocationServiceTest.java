package org.jwtgate.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.internal.revocation.MemoryRevocationStore;
import org.jwtgate.internal.revocation.NoRevocationStore;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testing.ManualClock;
import org.jwtgate.testkit.logs.CapturedLog;

/** The lifetimes the service gives entries, and the token identities it refuses to store. */
class RevocationServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final Duration MAX_AGE = Duration.ofHours(1);

    private final ManualClock clock = new ManualClock(NOW);
    private MemoryRevocationStore store;

    private RevocationService service(String mode) {
        store = new MemoryRevocationStore(RevocationSettings.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)), clock);
        JwtGateConfig config = JwtGateConfig.of(Map.of(
                ConfigKeys.JWT_SECRET, "0123456789abcdefghijklmnopqrstuvwxyz",
                ConfigKeys.JWT_ISSUER, "https://issuer",
                ConfigKeys.REVOCATION_STORE, "memory",
                ConfigKeys.REVOCATION_MODE, mode,
                ConfigKeys.JWT_CLOCK_SKEW_SECONDS, Long.toString(SKEW.toSeconds()),
                ConfigKeys.JWT_MAX_AGE_SECONDS, Long.toString(MAX_AGE.toSeconds())));
        return new RevocationService(store, config.revocation(), config.verification(), clock);
    }

    @Test
    void whenNoStoreThenRevokingAPrincipalWithoutJtiSaysNoStoreNotNoJti() {
        // revocation.store=none lets jwt.required-claims leave jti out: "no store" is the answer, as for any token.
        JwtGateConfig config = JwtGateConfig.of(Map.of(
                ConfigKeys.JWT_SECRET, "0123456789abcdefghijklmnopqrstuvwxyz",
                ConfigKeys.JWT_ISSUER, "https://issuer",
                ConfigKeys.REVOCATION_STORE, "none",
                ConfigKeys.JWT_REQUIRED_CLAIMS, "sub,exp,iat"));
        RevocationService none = new RevocationService(new NoRevocationStore(),
                config.revocation(), config.verification(), clock);
        JwtPrincipal withoutJti = new JwtPrincipal("alice", "alice",
                "https://issuer", null, NOW, NOW.plusSeconds(300), Set.of(), Map.of());

        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> none.by("alice", "logout").revoke(withoutJti));
        assertTrue(e.getMessage().contains("revocation.store=none"), e.getMessage());
    }

    /**
     * A call refused before the store is asked writes no audit line, whichever method it came through: revoke(principal)
     * on store=none wrote none, revokeToken and revokeUser a WARN "revocation-failed", as did an absurd exp.
     */
    @Test
    void whenACallIsRefusedBeforeTheStoreIsAskedThenItWritesNoAuditLine() {
        JwtGateConfig config = JwtGateConfig.of(Map.of(
                ConfigKeys.JWT_SECRET, "0123456789abcdefghijklmnopqrstuvwxyz",
                ConfigKeys.JWT_ISSUER, "https://issuer",
                ConfigKeys.REVOCATION_STORE, "none"));
        RevocationService none = new RevocationService(new NoRevocationStore(), config.revocation(), config.verification(),
                clock).by("admin:bob", "test");
        String log = CapturedLog.during(() -> {
            assertThrows(UnsupportedOperationException.class, () -> none.revokeToken(expiringAt(NOW.plusSeconds(60))));
            assertThrows(UnsupportedOperationException.class, () -> none.revokeUser("alice"));
            assertThrows(IllegalArgumentException.class, () -> service("denylist").by("admin:bob", "test")
                    .revokeToken(expiringAt(NOW.plus(Duration.ofDays(365L * 1000)))));
            assertThrows(IllegalArgumentException.class, () -> service("denylist").by("admin:bob", "test").revokeUser(" "));
        }).text();
        assertFalse(log.contains("AUDIT"), log);
    }

    private static TokenRef expiringAt(Instant expiresAt) {
        return new TokenRef("https://issuer", "alice", "j1", null, expiresAt);
    }

    @Test
    void whenTokenRevokedThenItsEntryLivesUntilExpiryPlusTwiceTheSkew() {
        TokenRef token = expiringAt(NOW.plus(Duration.ofMinutes(10)));
        service("denylist").revokeToken(token);

        clock.set(NOW.plus(Duration.ofMinutes(10)).plus(SKEW).plus(SKEW).minusMillis(1));
        assertTrue(store.isRevoked(token));
        clock.set(NOW.plus(Duration.ofMinutes(10)).plus(SKEW).plus(SKEW));
        assertFalse(store.isRevoked(token), "the store dropped the entry");
    }

    /**
     * A token issued in the second of the revocation is accepted by jose4j until its clock reads iat + max-age + skew
     * + 1 s (it compares whole seconds), on a server whose clock lags this one by the skew: until NOW + max-age + 2 ×
     * skew + 1 s by this clock. The entry lived 1 s less.
     */
    @Test
    void whenUserRevokedThenTheEntryOutlivesTheLastInstantALaggingServerAcceptsATokenIssuedThatSecond() {
        service("denylist").revokeUser("alice");
        TokenRef issuedThatSecond = new TokenRef("https://issuer", "alice", "j1", NOW, NOW.plus(MAX_AGE));

        clock.set(NOW.plus(MAX_AGE).plus(SKEW).plus(SKEW).plusSeconds(1).minusMillis(1));
        assertTrue(store.isRevoked(issuedThatSecond), "the entry expired while a lagging server still accepts the token");
        clock.set(NOW.plus(MAX_AGE).plus(SKEW).plus(SKEW).plusSeconds(1));
        assertFalse(store.isRevoked(issuedThatSecond), "the store dropped the entry");
    }

    @Test
    void whenTokenExpiresLaterThanThisServersMaxAgeAllowsThenItIsRevokedAllTheSame() {
        // Accepted by a server with a longer jwt.max-age-seconds, or a clock ahead of this one.
        TokenRef token = expiringAt(NOW.plus(MAX_AGE).plus(Duration.ofDays(30)));
        service("denylist").revokeToken(token);
        clock.set(NOW.plus(MAX_AGE).plus(Duration.ofDays(29)));
        assertTrue(store.isRevoked(token), "the entry lives until the token's own exp");
    }

    @Test
    void whenExpiryIsMissingThenRevocationIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> service("denylist").revokeToken(expiringAt(null)));
        assertTrue(e.getMessage().contains("expiresAt is null"), e.getMessage());
        assertEquals(0, store.size(), "nothing was written");
    }

    @Test
    void whenExpiryIsAbsurdThenRevocationIsRefusedNamingTheValue() {
        // An exp given in milliseconds, and one no store can hold as a millisecond TTL.
        for (Instant absurd : List.of(Instant.ofEpochSecond(NOW.toEpochMilli()), Instant.MAX,
                NOW.plus(Duration.ofDays(365L * 101)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> service("denylist").revokeToken(expiringAt(absurd)));
            assertTrue(e.getMessage().contains("[" + absurd + "]") && e.getMessage().contains("100 years"),
                    e.getMessage());
        }
        assertEquals(0, store.size(), "nothing was written");
    }

    /**
     * With a store configured, {@code jwt.required-claims} lists {@code sub} and {@code jti} and the verifier refuses
     * them empty or blank: a revocation under such a value refuses no token, so it is refused rather than reported
     * as a durable revocation (an admin form submitted with an empty user field, a lookup that found nothing).
     */
    @Test
    void whenSubjectOrTokenIdIsEmptyOrBlankThenTheRevocationIsRefusedAndNothingIsWritten() {
        RevocationService denylist = service("denylist");
        for (String blank : List.of("", " ", "\t", "\n ")) {
            IllegalArgumentException user = assertThrows(IllegalArgumentException.class, () -> denylist.revokeUser(blank));
            assertTrue(user.getMessage().contains("empty or blank"), user.getMessage());
            Instant exp = NOW.plusSeconds(600);
            for (TokenRef token : List.of(new TokenRef("https://issuer", blank, "j1", null, exp),
                    new TokenRef("https://issuer", "alice", blank, null, exp),
                    new TokenRef(blank, "alice", "j1", null, exp))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> denylist.revokeToken(token));
                assertTrue(e.getMessage().contains("empty or blank"), e.getMessage());
            }
        }
        assertEquals(0, store.size(), "nothing was written");
        RevocationService allowlist = service("allowlist");
        assertThrows(IllegalArgumentException.class,
                () -> allowlist.register(new TokenRef("https://issuer", "alice", " ", null, NOW.plusSeconds(600))));
        assertEquals(0, store.size(), "nothing was registered");
    }

    /**
     * The class javadoc: "A null argument throws NullPointerException". register(null) outside allowlist mode threw
     * IllegalStateException, and with revocation.store=none revoke(null), revokeToken(null) and revokeUser(null) threw
     * UnsupportedOperationException: the answer for a call that names something, not for one that names nothing.
     */
    @Test
    void whenAnArgumentIsNullThenNullPointerExceptionWhateverTheModeOrStore() {
        RevocationService denylist = service("denylist");
        assertThrows(NullPointerException.class, () -> denylist.register((TokenRef) null));
        assertThrows(NullPointerException.class, () -> denylist.register((JwtPrincipal) null));
        JwtGateConfig config = JwtGateConfig.of(Map.of(
                ConfigKeys.JWT_SECRET, "0123456789abcdefghijklmnopqrstuvwxyz",
                ConfigKeys.JWT_ISSUER, "https://issuer",
                ConfigKeys.REVOCATION_STORE, "none"));
        RevocationService none = new RevocationService(new NoRevocationStore(), config.revocation(), config.verification(),
                clock);
        assertThrows(NullPointerException.class, () -> none.revoke(null));
        assertThrows(NullPointerException.class, () -> none.revokeToken(null));
        assertThrows(NullPointerException.class, () -> none.revokeUser(null));
        assertThrows(NullPointerException.class, () -> none.isRevoked(null));
    }

    @Test
    void whenAllowlistRegistrationHasNoExpiryThenItIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> service("allowlist").register(expiringAt(null)));
        assertThrows(IllegalArgumentException.class, () -> service("allowlist").register(expiringAt(Instant.MAX)));
    }

    @Test
    void whenRedisRefusesTheWaitAfterTheWriteThenTheAuditLineSaysStoredButUnconfirmedNotFailed() {
        RevocationStore refusingWait = new RevocationStore() {
            @Override
            public boolean isRevoked(TokenRef token) {
                return true;
            }

            @Override
            public RevocationResult revokeToken(TokenRef token, Duration ttl) {
                throw new UnsupportedOperationException();
            }

            @Override
            public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
                throw new RevocationUnconfirmedException("Redis user revocation is stored and in force, but Redis refused"
                        + " the WAIT that confirms it on replicas (NOPERM …)", 1, null);
            }

            @Override
            public RevocationResult register(TokenRef token, Duration ttl) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String describe() {
                return "refusing WAIT";
            }

            @Override
            public void close() {
            }
        };
        JwtGateConfig config = JwtGateConfig.of(Map.of(ConfigKeys.JWT_SECRET, "0123456789abcdefghijklmnopqrstuvwxyz",
                ConfigKeys.JWT_ISSUER, "https://issuer", ConfigKeys.REVOCATION_STORE, "memory"));
        RevocationService refusing = new RevocationService(refusingWait, config.revocation(), config.verification(), clock);
        String log = CapturedLog.during(() -> assertThrows(RevocationUnconfirmedException.class,
                () -> refusing.by("admin:bob", null).revokeUser("alice"))).text();
        assertTrue(log.lines().anyMatch(l -> l.contains("AUDIT revocation kind=user sub=alice actor=admin:bob durable=false"
                + " replicas=0/1 wait=refused instance=")), log);
        assertFalse(log.contains("revocation-failed"), log);
    }

    @Test
    void whenTokenHasAlreadyExpiredThenItStillGetsAShortEntry() {
        TokenRef expired = expiringAt(NOW.minus(Duration.ofHours(2)));
        service("denylist").revokeToken(expired);
        assertTrue(store.isRevoked(expired));
        clock.set(NOW.plusSeconds(1));
        assertFalse(store.isRevoked(expired), "one second later the store dropped it");
    }
}
