package org.jwtgate.sample.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Provider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.sample.account.Account;
import org.jwtgate.sample.account.AccountStore;
import org.jwtgate.sample.account.PasswordHasher;
import org.jwtgate.sample.redis.SampleKeys;
import org.jwtgate.sample.redis.SampleRedis;
import org.jwtgate.sample.settings.SampleSettings;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Sessions and refresh families on a real cluster, where a request meets the end of its session: a rotation
 * whose reply was lost and is sent again, a family that ends while a refresh issues it an access token, and a
 * login while the user's revocation waits for its replica.
 */
class SessionsIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static JwtGate gate;
    private static SampleRedis redis;
    private static JwtGateConfig config;
    private static SampleSettings settings;
    private static AccountStore accounts;

    @BeforeAll
    static void start() {
        config = JwtGateConfig.of(Map.of(ConfigKeys.JWT_SECRET, TestTokens.SECRET, ConfigKeys.JWT_ISSUER, "urn:jwtgate:test",
                ConfigKeys.REVOCATION_STORE, "redis-cluster", ConfigKeys.REDIS_NODES, REDIS.cluster().nodesSpec()));
        gate = JwtGate.start(config);
        redis = SampleRedis.connect(config.redis().nodes(), config.redis(), true);
        settings = SampleSettings.from(ConfigSources.of(Map.of(), Map.of()));
        accounts = new AccountStore(redis, new PasswordHasher(1_000));
        accounts.createIfAbsent("alice", "wonderland".toCharArray(), Set.of("user"));
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
        if (gate != null) {
            gate.close();
        }
    }

    private static Sessions sessions(RefreshTokens refreshTokens) {
        return sessions(gate::revocation, config, refreshTokens);
    }

    /** Sessions revoking through {@code revocation}, configured as {@code settingsOf}. */
    private static Sessions sessions(Provider<RevocationService> revocation, JwtGateConfig settingsOf,
                                     RefreshTokens refreshTokens) {
        return new Sessions(new AccessTokenIssuer(SigningKey.hmac(settingsOf.verification()), settingsOf, settings),
                refreshTokens, accounts, revocation, redis, settingsOf);
    }

    private static String first(List<?> reply) {
        return reply.get(0) instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply.get(0));
    }

    @Test
    void whenARotationIsSentAgainAfterItsReplyWasLostThenItIsTheSameRotationNotAReuse() {
        RefreshTokens refreshTokens = new RefreshTokens(redis, settings);
        RefreshTokens.Issued issued = refreshTokens.startFamily("alice", null);
        String next = issued.familyId() + ".0123456789012345678901234567890123456789abc";
        List<String> keys = List.of(SampleKeys.family(issued.familyId()), SampleKeys.familyRotated(issued.familyId()),
                SampleKeys.familyAccessTokens(issued.familyId()));
        long now = Instant.now().getEpochSecond();
        List<String> args = List.of(RefreshTokens.hash(issued.token()), RefreshTokens.hash(next), "", "jti-1",
                now + ":" + (now + 900), "900000", "0", "16", "60000");

        // What Jedis does after a read timeout or a reset once the command was sent: the same EVAL again.
        for (int attempt = 1; attempt <= 2; attempt++) {
            List<?> reply = redis.call("rotating", r -> (List<?>) r.eval(RefreshTokens.ROTATE, keys, args));
            assertEquals("rotated", first(reply), "attempt " + attempt);
        }
        assertInstanceOf(RefreshTokens.Rotated.class, refreshTokens.rotate(next, null, null), "the family lives on");
        assertEquals(List.of("jti-1"), refreshTokens.revokeFamily(issued.familyId(), "alice").stream()
                .map(RefreshTokens.AccessRecord::tokenId).toList(), "recorded once");
    }

    @Test
    void whenAFamilyRecordsAnAccessTokenThenTheOnesNoServerAcceptsAnyMoreAreDropped() {
        // Before: every login and refresh added its access token for good (for the family's life), and ending the
        // session revoked each, one write and replica wait apiece: a refresh loop made a logout take minutes.
        Instant now = Instant.now();
        RefreshTokens refreshTokens = new RefreshTokens(redis, settings, Clock.fixed(now, ZoneOffset.UTC));
        RefreshTokens.Issued family = refreshTokens.startFamily("alice", null);
        List<String> stale = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            // Expired more than twice the largest clock skew (2 × 300 s) ago: refused by every server.
            Instant issuedAt = now.minus(Duration.ofHours(2)).plusSeconds(i);
            IssuedAccessToken old = new IssuedAccessToken("t", "stale-" + i, issuedAt, issuedAt.plusSeconds(900), null);
            assertTrue(refreshTokens.recordAccessToken(family.familyId(), old));
            stale.add(old.tokenId());
        }
        Instant lately = now.minusSeconds(900 + 599); // expired 599 s ago: a lagging server may still accept it
        IssuedAccessToken recent = new IssuedAccessToken("t", "recent", lately, lately.plusSeconds(900), null);
        assertTrue(refreshTokens.recordAccessToken(family.familyId(), recent));
        IssuedAccessToken current = new IssuedAccessToken("t", "current", now, now.plusSeconds(900), null);

        RefreshTokens.Rotation rotation = refreshTokens.rotate(family.token(), null, current);

        assertInstanceOf(RefreshTokens.Rotated.class, rotation);
        Set<String> kept = refreshTokens.revokeFamily(family.familyId(), "alice").stream()
                .map(RefreshTokens.AccessRecord::tokenId).collect(java.util.stream.Collectors.toSet());
        assertEquals(Set.of("recent", "current"), kept, "of " + stale.size() + " stale ones and two others");
    }

    @Test
    void whenAFamilyIsRefreshedPastItsLimitThenItsOldestAccessTokensAreRevokedAndEndingItRevokesNoMoreThanTheLimit()
            throws Exception {
        // Before: a family kept every access token a server might still accept (25 minutes of them), and ending it
        // revoked each, one write and one settle time apiece: a logout after 3,000 refreshes held its thread 304 s.
        Sessions sessions = sessions(new RefreshTokens(redis, settings));
        Sessions.TokenPair login = sessions.login(accounts.account("alice").orElseThrow(), null).orElseThrow();
        List<String> accessTokens = new ArrayList<>(List.of(login.access().token()));
        String refreshToken = login.refresh().token();
        for (int i = 0; i < 2 * RefreshTokens.ACCESS_TOKENS_PER_FAMILY + 8; i++) {
            Sessions.TokenPair pair = assertInstanceOf(Sessions.Refreshed.class, sessions.refresh(refreshToken, null)).pair();
            assertFalse(gate.revocation().isRevoked(gate.verify(pair.access().token())),
                    "refresh " + (i + 1) + " hands out a token it did not retire (same-second tokens tie on iat)");
            accessTokens.add(pair.access().token());
            refreshToken = pair.refresh().token();
        }

        int superseded = accessTokens.size() - RefreshTokens.ACCESS_TOKENS_PER_FAMILY;
        List<Boolean> revoked = accessTokens.stream().map(token -> gate.revocation().isRevoked(gate.verify(token))).toList();
        List<Boolean> expected = new ArrayList<>();
        for (int i = 0; i < accessTokens.size(); i++) {
            expected.add(i < superseded);
        }
        assertEquals(expected, revoked, "the oldest " + superseded + " of " + accessTokens.size() + " revoked, the rest not");
        String last = accessTokens.get(accessTokens.size() - 1);
        String familyId = (String) gate.verify(last).claim(AccessTokenIssuer.SESSION_CLAIM);
        long recorded = redis.call("counting", r -> r.hlen(SampleKeys.familyAccessTokens(familyId)));
        assertEquals(RefreshTokens.ACCESS_TOKENS_PER_FAMILY, recorded, "the family records only the tokens it has not retired");

        List<String> logout = CapturedLog.during(() -> assertTrue(sessions.logout(gate.verify(last), false)))
                .lines().stream().filter(line -> line.contains("AUDIT revocation ")).toList();
        assertEquals(RefreshTokens.ACCESS_TOKENS_PER_FAMILY, tokensIn(logout, " actor=alice reason=logout "),
                String.join("\n", logout));
        assertTrue(accessTokens.stream().allMatch(token -> gate.revocation().isRevoked(gate.verify(token))));
    }

    @Test
    void whenAReusedTokenIsSentManyTimesAtOnceThenOneRequestRevokesTheFamilysAccessTokens() throws Exception {
        // Before: every presentation while the family's access tokens were being revoked revoked them all again: a
        // rotated token sent 260 times at once wrote 139,000 audit lines in a minute and held every request thread.
        Sessions sessions = sessions(new RefreshTokens(redis, settings));
        Sessions.TokenPair login = sessions.login(accounts.account("alice").orElseThrow(), null).orElseThrow();
        String rotatedAway = login.refresh().token();
        List<String> accessTokens = new ArrayList<>(List.of(login.access().token()));
        String refreshToken = rotatedAway;
        for (int i = 0; i < 5; i++) {
            Sessions.TokenPair pair = assertInstanceOf(Sessions.Refreshed.class, sessions.refresh(refreshToken, null)).pair();
            accessTokens.add(pair.access().token());
            refreshToken = pair.refresh().token();
        }
        int presentations = 32;
        ExecutorService clients = Executors.newFixedThreadPool(presentations);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Sessions.RefreshOutcome>> outcomes = new ArrayList<>();
        List<String> audited;
        try {
            audited = CapturedLog.during(() -> {
                for (int i = 0; i < presentations; i++) {
                    outcomes.add(clients.submit(() -> {
                        await(go);
                        return sessions.refresh(rotatedAway, null);
                    }));
                }
                go.countDown();
                for (Future<Sessions.RefreshOutcome> outcome : outcomes) {
                    outcome.get(60, TimeUnit.SECONDS);
                }
            }).lines().stream().filter(line -> line.contains("AUDIT revocation ")).toList();
        } finally {
            clients.shutdownNow();
        }

        List<Sessions.RefreshOutcome> answers = new ArrayList<>();
        for (Future<Sessions.RefreshOutcome> outcome : outcomes) {
            // Sent again (503) while the revocation runs; refused once it is done, with nothing more to do.
            Sessions.RefreshOutcome answer = outcome.get();
            assertTrue(answer instanceof Sessions.ReuseDetected || answer instanceof Sessions.ReuseBeingRevoked
                    || answer instanceof Sessions.RefreshRefused, answer.toString());
            answers.add(answer);
        }
        // One request revoked the family; a second only should the first's writes stay short of their replica.
        long owners = answers.stream().filter(Sessions.ReuseDetected.class::isInstance).count();
        assertTrue(owners >= 1 && owners <= 2, "requests that revoked the family: " + answers);
        assertTrue(accessTokens.stream().allMatch(token -> gate.revocation().isRevoked(gate.verify(token))),
                "every access token of the family is revoked");
        // One write per token, each retried at most twice should no replica confirm it in time (and then a second owner).
        assertTrue(audited.size() <= 2 * 3 * accessTokens.size(), audited.size() + " revocations written for "
                + accessTokens.size() + " tokens:\n" + String.join("\n", audited));
    }

    @Test
    void whenRevokingSupersededTokensKeepsFailingThenTheFamilyStopsRotatingAtTwiceItsLimitUntilTheyAreRevoked() {
        // The reviewer's outage: JwtGate's store down while the family's shard answers. Before, each refresh rotated
        // and kept its superseded token, and the first refresh after the outage revoked the whole backlog (46).
        boolean[] storeDown = {true};
        Sessions sessions = sessions(() -> {
            if (storeDown[0]) {
                throw new RevocationUnavailableException("the test's store is down");
            }
            return gate.revocation();
        }, config, new RefreshTokens(redis, settings));
        Sessions.TokenPair login = sessions.login(accounts.account("alice").orElseThrow(), null).orElseThrow();
        String familyId = login.refresh().familyId();
        String refreshToken = login.refresh().token();
        int limit = RefreshTokens.ACCESS_TOKENS_PER_FAMILY;
        for (int i = 1; i < 2 * limit; i++) { // the login's token and these 31: twice the limit
            refreshToken = assertInstanceOf(Sessions.Refreshed.class, sessions.refresh(refreshToken, null), "refresh " + i)
                    .pair().refresh().token();
        }
        String current = refreshToken;
        assertThrows(RevocationUnavailableException.class, () -> sessions.refresh(current, null),
                "a 503, the family rotating no more");
        assertEquals(2L * limit, (long) redis.call("counting", r -> r.hlen(SampleKeys.familyAccessTokens(familyId))));

        storeDown[0] = false;
        List<String> audited = CapturedLog.during(() -> assertInstanceOf(Sessions.Refreshed.class,
                sessions.refresh(current, null), "the token the 503 left current")).lines().stream()
                .filter(line -> line.contains("AUDIT revocation ")).toList();
        assertEquals(limit + 1, tokensIn(audited, " reason=" + Sessions.SUPERSEDED + " "), String.join("\n", audited));
        assertEquals((long) limit, (long) redis.call("counting", r -> r.hlen(SampleKeys.familyAccessTokens(familyId))));
    }

    @Test
    void whenRedisRefusesTheWaitThenSupersededTokensAreForgottenOnceInForce() {
        // Before, only a durable revocation was forgotten: without WAIT none is, and the family grew without bound.
        JwtGateConfig noWait = configWithoutWait();
        try (JwtGate refusingWait = JwtGate.start(noWait)) {
            Sessions sessions = sessions(refusingWait::revocation, noWait, new RefreshTokens(redis, settings));
            Sessions.TokenPair login = sessions.login(accounts.account("alice").orElseThrow(), null).orElseThrow();
            String refreshToken = login.refresh().token();
            List<String> accessTokens = new ArrayList<>();
            for (int i = 0; i < RefreshTokens.ACCESS_TOKENS_PER_FAMILY + 8; i++) {
                Sessions.TokenPair pair = assertInstanceOf(Sessions.Refreshed.class, sessions.refresh(refreshToken, null))
                        .pair();
                accessTokens.add(pair.access().token());
                refreshToken = pair.refresh().token();
            }
            long recorded = redis.call("counting", r -> r.hlen(SampleKeys.familyAccessTokens(login.refresh().familyId())));
            assertEquals(RefreshTokens.ACCESS_TOKENS_PER_FAMILY, recorded);
            assertTrue(refusingWait.revocation().isRevoked(refusingWait.verify(accessTokens.get(0))), "in force");
        }
    }

    @Test
    void whenTheRequestRevokingAReusedFamilyNeverEndsThenTheNextAfterItsLeaseTakesOverAndItsLateReleaseIsIgnored() {
        RefreshTokens refreshTokens = new RefreshTokens(redis, settings);
        RefreshTokens.Issued family = refreshTokens.startFamily("alice", null);
        RefreshTokens.Rotated rotated = assertInstanceOf(RefreshTokens.Rotated.class,
                refreshTokens.rotate(family.token(), null, null));
        RefreshTokens.Reused first = assertInstanceOf(RefreshTokens.Reused.class, refreshTokens.rotate(family.token(), null, null));

        // Its server died, or its reply was lost: a token of the family sent again is told to wait (503), not refused.
        assertInstanceOf(RefreshTokens.ReuseUnderWay.class, refreshTokens.rotate(rotated.next().token(), null, null));
        redis.call("ending the lease", r -> r.hset(SampleKeys.family(family.familyId()), "revoking-until", "0"));
        RefreshTokens.Reused second = assertInstanceOf(RefreshTokens.Reused.class,
                refreshTokens.rotate(family.token(), null, null), "the lease ran out: this request takes over");

        refreshTokens.reuseHandled(first, true); // the first owner, late: not its lease any more
        assertInstanceOf(RefreshTokens.ReuseUnderWay.class, refreshTokens.rotate(family.token(), null, null));
        refreshTokens.reuseHandled(second, true);
        assertInstanceOf(RefreshTokens.Refused.class, refreshTokens.rotate(family.token(), null, null), "done");
    }

    @Test
    void whenTheCallThatFoundAReuseIsSentAgainAfterItsReplyWasLostThenItStillOwnsTheRevocation() {
        // The reviewer's case: Jedis sends the same EVAL again after a lost reply. Before, the retry met its own lease
        // and was told to wait (503): nobody revoked the family's access tokens until the lease ran out.
        RefreshTokens refreshTokens = new RefreshTokens(redis, settings);
        RefreshTokens.Issued issued = refreshTokens.startFamily("alice", null);
        assertInstanceOf(RefreshTokens.Rotated.class, refreshTokens.rotate(issued.token(), null, null));
        String next = issued.familyId() + ".0123456789012345678901234567890123456789abd";
        List<String> keys = List.of(SampleKeys.family(issued.familyId()), SampleKeys.familyRotated(issued.familyId()),
                SampleKeys.familyAccessTokens(issued.familyId()));
        List<String> args = List.of(RefreshTokens.hash(issued.token()), RefreshTokens.hash(next), "", "", "",
                "900000", "0", "16", "60000");
        List<String> replies = new ArrayList<>();
        for (int attempt = 1; attempt <= 2; attempt++) {
            replies.add(first(redis.call("rotating", r -> (List<?>) r.eval(RefreshTokens.ROTATE, keys, args))));
        }
        assertEquals(List.of("reused", "reused"), replies, "the retry is the same call, the lease's owner");
    }

    @Test
    void whenAReusedFamilysIdComesWithAnotherSecretThenItIsRefusedAndRevokesNothing() {
        // The family id is no secret (it is the access token's sid): before, any token with it made a request revoke
        // the family's access tokens again while their revocation was pending.
        RefreshTokens refreshTokens = new RefreshTokens(redis, settings);
        RefreshTokens.Issued issued = refreshTokens.startFamily("alice", null);
        RefreshTokens.Rotated rotated = assertInstanceOf(RefreshTokens.Rotated.class,
                refreshTokens.rotate(issued.token(), null, null));
        RefreshTokens.Reused reuse = assertInstanceOf(RefreshTokens.Reused.class, refreshTokens.rotate(issued.token(), null, null));
        refreshTokens.reuseHandled(reuse, false); // not durable: still pending

        assertInstanceOf(RefreshTokens.Refused.class, refreshTokens.rotate(issued.familyId() + "." + "A".repeat(43), null, null));
        RefreshTokens.Reused again = assertInstanceOf(RefreshTokens.Reused.class,
                refreshTokens.rotate(rotated.next().token(), null, null), "the token that was current is the family's");
        refreshTokens.reuseHandled(again, true);
    }

    @Test
    void whenAReusedFamilysTokensCanNeverBeConfirmedThenTheyAreRevokedOnceNotAtEveryPresentation() {
        // Without WAIT no revocation is ever durable: before, the family stayed pending for its life, and each token
        // of it sent again revoked all its access tokens anew (5 presentations: 20 writes for 4 tokens).
        JwtGateConfig noWait = configWithoutWait();
        try (JwtGate refusingWait = JwtGate.start(noWait)) {
            Sessions sessions = sessions(refusingWait::revocation, noWait, new RefreshTokens(redis, settings));
            Sessions.TokenPair login = sessions.login(accounts.account("alice").orElseThrow(), null).orElseThrow();
            String rotatedAway = login.refresh().token();
            String refreshToken = rotatedAway;
            for (int i = 0; i < 3; i++) {
                refreshToken = assertInstanceOf(Sessions.Refreshed.class, sessions.refresh(refreshToken, null)).pair()
                        .refresh().token();
            }
            List<String> audited = CapturedLog.during(() -> {
                assertInstanceOf(Sessions.ReuseDetected.class, sessions.refresh(rotatedAway, null));
                for (int i = 0; i < 4; i++) {
                    assertInstanceOf(Sessions.RefreshRefused.class, sessions.refresh(rotatedAway, null), "presentation " + i);
                }
            }).lines().stream().filter(line -> line.contains("reason=refresh-token-reuse")).toList();
            assertEquals(4, audited.size(), "4 tokens, in force after the first reuse:\n" + String.join("\n", audited));
        }
    }

    @Test
    void whenAReusedBoundFamilysTokenComesWithoutItsKeyThenItIsRefusedAndTouchesNothing() {
        // Before, the pending family's branch came before the key check: a request without the DPoP key took the lease,
        // revoked the family's tokens again, and learnt the family's state (503, "reuse") where any other gets 401.
        RefreshTokens refreshTokens = new RefreshTokens(redis, settings);
        RefreshTokens.Issued family = refreshTokens.startFamily("alice", "the-clients-key");
        assertInstanceOf(RefreshTokens.Rotated.class, refreshTokens.rotate(family.token(), "the-clients-key", null));
        RefreshTokens.Reused reuse = assertInstanceOf(RefreshTokens.Reused.class,
                refreshTokens.rotate(family.token(), "the-clients-key", null));
        refreshTokens.reuseHandled(reuse, false); // a retry may confirm it: still pending

        assertInstanceOf(RefreshTokens.Refused.class, refreshTokens.rotate(family.token(), null, null));
        assertInstanceOf(RefreshTokens.Refused.class, refreshTokens.rotate(family.token(), "a-thiefs-key", null));
        String owner = redis.call("reading the lease", r -> r.hget(SampleKeys.family(family.familyId()), "revoking-owner"));
        assertEquals(null, owner, "no lease taken");
        assertInstanceOf(RefreshTokens.Reused.class, refreshTokens.rotate(family.token(), "the-clients-key", null),
                "with its key, still the family's reuse to revoke");
    }

    @Test
    void whenTheFamilyEndsRightAfterARefreshRotatedThenItsNewAccessTokenIsAmongThoseTheEndingRevokes() {
        // The rotation records the access token it hands out: before, a second call did, and a 503 there answered a
        // refresh already rotated, whose retry with the same token was then taken for a reuse (the session ended).
        List<RefreshTokens.AccessRecord> endedWith = new ArrayList<>();
        RefreshTokens racing = new RefreshTokens(redis, settings) {
            @Override
            public Rotation rotate(String presented, String dpopThumbprint, IssuedAccessToken access) {
                Rotation rotation = super.rotate(presented, dpopThumbprint, access);
                // Reuse detected by another request, a logout or an administrator, right after this rotation.
                endedWith.addAll(revokeFamily(((Rotated) rotation).next().familyId(), "alice"));
                return rotation;
            }
        };
        RefreshTokens.Issued family = racing.startFamily("alice", null);

        Sessions.Refreshed refreshed = assertInstanceOf(Sessions.Refreshed.class,
                sessions(racing).refresh(family.token(), null));

        String tokenId = gate.verify(refreshed.pair().access().token()).tokenId();
        assertTrue(endedWith.stream().anyMatch(record -> record.tokenId().equals(tokenId)),
                "the ending found the new access token recorded, to revoke it: " + endedWith);
    }

    @Test
    void whenTheUserLogsInWhileTheirRevocationWaitsForReplicasThenTheNewTokenIsNotBornRevoked() throws Exception {
        // "Revoke user" refuses every token issued up to its instant, and iat has whole seconds: a login in the
        // same second must wait for the next. The revocation waits for its replica (paused here: 3 attempts of
        // revocation.replica-timeout-ms); a login meanwhile had not been told to wait.
        assertALoginDuringTheRevocationIsNotBornRevoked("carol", 20, 250); // early in a second: the login falls in it
    }

    @Test
    void whenTheUserLogsInWhileARevocationBegunLateInASecondWaitsForReplicasThenTheNewTokenIsNotBornRevoked()
            throws Exception {
        // As above, but the revocation begins 850 ms into a second: its retries (each a new revokeUser, with a new
        // instant, after revocation.replica-timeout-ms) run into the next second, in which the login's token is issued.
        assertALoginDuringTheRevocationIsNotBornRevoked("dave", 850, 100);
    }

    /**
     * Revokes {@code user} from {@code millisIntoSecond} into a second, with the replica of the user's master paused,
     * while the user logs in {@code loginAfterMillis} later (after the revocation's instant, while it waits for the
     * replica); the login's token must not be revoked.
     */
    private static void assertALoginDuringTheRevocationIsNotBornRevoked(String user, long millisIntoSecond,
                                                                        long loginAfterMillis) throws Exception {
        accounts.createIfAbsent(user, "secret".toCharArray(), Set.of("user"));
        Sessions sessions = sessions(new RefreshTokens(redis, settings));
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node replica = cluster.replicaOf(cluster.masterForKey(new RevocationKeys("jwtgate:").userKey(user)));
        sleepIntoTheNextSecond(millisIntoSecond);
        ExecutorService loginThread = Executors.newSingleThreadExecutor();
        replica.pause();
        try {
            Future<Optional<Sessions.TokenPair>> login = loginThread.submit(() -> {
                Thread.sleep(loginAfterMillis);
                return sessions.login(accounts.account(user).orElseThrow(), null);
            });
            assertFalse(sessions.revokeUser(user, "test", "while a login runs"), "not durable: the replica is paused");
            String token = login.get(10, TimeUnit.SECONDS).orElseThrow().access().token();
            assertFalse(gate.revocation().isRevoked(gate.verify(token)),
                    "a login after the revocation began gets a token that is not revoked at once");
        } finally {
            replica.resume();
            loginThread.shutdownNow();
            cluster.awaitClusterOk(Duration.ofSeconds(30));
        }
    }

    @Test
    void whenARefreshSignsAfterAnAdministratorsRevocationInstantThenEndingTheFamiliesRevokesThatToken() throws Exception {
        // The refresh found no revocation under way; the administrator's "revoke user" took its instant; the refresh
        // signed in the next second (so not refused by the user's revocation), rotated and recorded the token before
        // the families ended. Before, ending them dropped the tokens they returned: 204, and the token valid.
        accounts.createIfAbsent("frank", "secret".toCharArray(), Set.of("user"));
        CountDownLatch userRevoked = new CountDownLatch(1);
        CountDownLatch refreshRecorded = new CountDownLatch(1);
        Sessions admin = sessions(new RefreshTokens(redis, settings) {
            @Override
            public List<AccessRecord> revokeAllFamilies(String subject) {
                userRevoked.countDown();
                await(refreshRecorded);
                return super.revokeAllFamilies(subject);
            }
        });
        ExecutorService adminThread = Executors.newSingleThreadExecutor();
        List<Future<Boolean>> revocation = new ArrayList<>();
        AccessTokenIssuer racingIssuer = new AccessTokenIssuer(SigningKey.hmac(config.verification()), config, settings) {
            @Override
            public IssuedAccessToken issue(Account account, String sessionId, String dpopThumbprint) {
                revocation.add(adminThread.submit(() -> admin.revokeUser("frank", "admin", "the race")));
                await(userRevoked);
                sleepIntoTheNextSecond(20);
                return super.issue(account, sessionId, dpopThumbprint);
            }
        };
        RefreshTokens refreshing = new RefreshTokens(redis, settings) {
            @Override
            public Rotation rotate(String presented, String dpopThumbprint, IssuedAccessToken access) {
                Rotation rotation = super.rotate(presented, dpopThumbprint, access);
                refreshRecorded.countDown();
                return rotation;
            }
        };
        try {
            RefreshTokens.Issued family = refreshing.startFamily("frank", null);
            Sessions.Refreshed refreshed = assertInstanceOf(Sessions.Refreshed.class, new Sessions(racingIssuer, refreshing,
                    accounts, () -> gate.revocation(), redis, config).refresh(family.token(), null));
            assertTrue(revocation.get(0).get(30, TimeUnit.SECONDS), "the revocation is durable");

            assertTrue(gate.revocation().isRevoked(gate.verify(refreshed.pair().access().token())),
                    "the token the refresh signed after the user's revocation instant is revoked");
        } finally {
            adminThread.shutdownNow();
        }
    }

    @Test
    void whenOneOfTwoRevocationsOfAUserEndsThenALoginStillWaitsForTheOther() throws Exception {
        // Before, each revocation remembered its instant in one key: the first to end overwrote the "under way" of the
        // other, a login then waited only past the first, and its token was born revoked by the second.
        accounts.createIfAbsent("grace", "secret".toCharArray(), Set.of("user"));
        CountDownLatch secondMayRevoke = new CountDownLatch(1);
        CountDownLatch secondUnderWay = new CountDownLatch(1);
        Sessions held = sessions(() -> {
            secondUnderWay.countDown();
            await(secondMayRevoke);
            return gate.revocation();
        }, config, new RefreshTokens(redis, settings));
        Sessions sessions = sessions(new RefreshTokens(redis, settings));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> second = threads.submit(() -> held.revokeUser("grace", "admin", "the slow one"));
            await(secondUnderWay);
            assertTrue(sessions.revokeUser("grace", "admin", "the quick one"));
            Future<Optional<Sessions.TokenPair>> login = threads.submit(
                    () -> sessions.login(accounts.account("grace").orElseThrow(), null));
            try {
                login.get(2, TimeUnit.SECONDS); // before: past the quick one's second, not waiting for the slow one
            } catch (TimeoutException waiting) {
                // as it should: the slow one runs
            }
            secondMayRevoke.countDown();
            assertTrue(second.get(30, TimeUnit.SECONDS));

            String token = login.get(30, TimeUnit.SECONDS).orElseThrow().access().token();
            assertFalse(gate.revocation().isRevoked(gate.verify(token)), "the login's token is not born revoked");
        } finally {
            secondMayRevoke.countDown();
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "the other side of the race never came");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sleeps until {@code millisIntoSecond} into the next second. */
    private static void sleepIntoTheNextSecond(long millisIntoSecond) {
        try {
            Thread.sleep(1_000 - System.currentTimeMillis() % 1_000 + millisIntoSecond);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void whenRedisRefusesTheWaitThenRevokingTheUserStillEndsTheirRefreshFamilies() {
        // A Redis user that may write but not send WAIT (revocation.min-replicas is 1 on a cluster): JwtGate stores the
        // revocation, in force, then throws RevocationUnconfirmedException. Before, that skipped the refresh families:
        // the administrator's revocation answered 503, and one refresh minted a new, valid access token.
        JwtGateConfig noWait = configWithoutWait();
        accounts.createIfAbsent("erin", "secret".toCharArray(), Set.of("user"));
        RefreshTokens refreshTokens = new RefreshTokens(redis, settings);
        RefreshTokens.Issued family = refreshTokens.startFamily("erin", null);
        try (JwtGate refusingWait = JwtGate.start(noWait)) {
            Sessions sessions = sessions(refusingWait::revocation, noWait, refreshTokens);

            assertFalse(sessions.revokeUser("erin", "test", "ACL without +wait"), "stored, but no replica confirmed it");

            assertInstanceOf(Sessions.RefreshRefused.class, sessions.refresh(family.token(), null),
                    "the user's refresh family ended with their tokens");
        }
    }

    @Test
    void whenNothingEndsTheFamilyThenTheRefreshedTokenIsValid() {
        RefreshTokens refreshTokens = new RefreshTokens(redis, settings);
        RefreshTokens.Issued family = refreshTokens.startFamily("alice", null);
        Sessions.Refreshed refreshed = assertInstanceOf(Sessions.Refreshed.class,
                sessions(refreshTokens).refresh(family.token(), null));
        assertFalse(gate.revocation().isRevoked(gate.verify(refreshed.pair().access().token())));
    }

    /**
     * docs/monitoring.md: every revocation leaves an audit line saying who and why. The sample's own revocations too:
     * a refresh-token reuse ending its family, a logout ending the session. Before, their lines had neither.
     */
    @Test
    void whenTheSampleEndsASessionThenEachRevocationsAuditLineNamesWhoAndWhy() {
        Sessions sessions = sessions(new RefreshTokens(redis, settings));
        Account alice = accounts.account("alice").orElseThrow();
        List<String> revocations = CapturedLog.during(() -> {
            Sessions.TokenPair stolen = sessions.login(alice, null).orElseThrow();
            assertInstanceOf(Sessions.Refreshed.class, sessions.refresh(stolen.refresh().token(), null));
            assertInstanceOf(Sessions.ReuseDetected.class, sessions.refresh(stolen.refresh().token(), null));

            Sessions.TokenPair session = sessions.login(alice, null).orElseThrow();
            Sessions.Refreshed refreshed = assertInstanceOf(Sessions.Refreshed.class,
                    sessions.refresh(session.refresh().token(), null));
            assertTrue(sessions.logout(gate.verify(refreshed.pair().access().token()), false));
        }).lines().stream().filter(line -> line.contains("AUDIT revocation ")).toList();

        // The reuse revokes the family's two access tokens; the logout the session's first one, then the caller's.
        // Tokens are counted, not lines: a write whose WAIT no replica answered within revocation.replica-timeout-ms
        // (200 ms, which a loaded machine can miss) is tried again, and each try writes its own line.
        String lines = String.join("\n", revocations);
        assertEquals(List.of(), revocations.stream().filter(line -> !line.contains(" actor=") || !line.contains(" reason="))
                .toList(), "revocations audited without who or why");
        assertEquals(4, tokensIn(revocations, " jti="), lines);
        assertEquals(2, tokensIn(revocations, " reason=refresh-token-reuse "), lines);
        assertEquals(2, tokensIn(revocations, " actor=alice reason=logout "), lines);
    }

    /** JwtGate as a Redis user that may write but not send WAIT: every revocation in force, none confirmed. */
    private static JwtGateConfig configWithoutWait() {
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(Protocol.Command.ACL, "SETUSER", "sessions-no-wait", "on", ">sessions-no-wait-secret",
                        "~*", "&*", "+@all", "-wait");
            }
        }
        return JwtGateConfig.of(Map.of(ConfigKeys.JWT_SECRET, TestTokens.SECRET,
                ConfigKeys.JWT_ISSUER, "urn:jwtgate:test", ConfigKeys.REVOCATION_STORE, "redis-cluster",
                ConfigKeys.REDIS_NODES, REDIS.cluster().nodesSpec(), ConfigKeys.REDIS_USER, "sessions-no-wait",
                ConfigKeys.REDIS_PASSWORD, "sessions-no-wait-secret"));
    }

    /** How many tokens ({@code jti}) the audit lines holding {@code marker} revoke. */
    private static long tokensIn(List<String> lines, String marker) {
        return lines.stream().filter(line -> line.contains(marker))
                .map(line -> line.replaceFirst("^.* jti=(\\S+) .*$", "$1")).distinct().count();
    }
}
