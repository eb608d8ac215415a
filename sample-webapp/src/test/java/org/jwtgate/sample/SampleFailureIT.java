package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

/**
 * The sample when Redis nodes fail: {@code /health} reports a killed master until the cluster is
 * whole again, answers 503 DOWN — JwtGate's store down while failing closed — while all of Redis is
 * stopped, a refresh answers 503 without rotating anything while the user's shard serves no command, a logout
 * answers 503 while a refresh family's shard serves none and its retry then ends every session, an administrator's
 * revoke answering 503 so has refused the user's tokens already, a reuse whose access tokens could not be revoked
 * (503) has them revoked when the same token is sent again, and logout
 * answers 503 + Retry-After while its revocation cannot be made durable (after
 * which /health stays DEGRADED for JwtGate's durability window, so that test runs last).
 * Its own cluster, because these tests break it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleFailureIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static RunningSample app;
    private static SampleClient http;

    @BeforeAll
    static void start() throws Exception {
        app = RunningSample.start(REDIS.cluster());
        http = app.client();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void whenAMasterIsKilledThenHealthReportsItUntilTheClusterIsWhole() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        assertEquals(200, http.get("/health").status());
        RedisCluster.Node master = cluster.masters().get(0);
        master.kill();

        HttpAnswer hurt = await("health to report the killed master", () -> {
            HttpAnswer health = http.get("/health");
            return reachable(health) == 5 ? health : null;
        });
        String status = hurt.string("status");
        assertTrue(hurt.status() == 503 && status.equals("DOWN") || hurt.status() == 200 && status.equals("DEGRADED"),
                hurt.toString());

        cluster.awaitFailover(master, Duration.ofSeconds(30));
        HttpAnswer degraded = await("health to settle on DEGRADED after the failover", () -> {
            HttpAnswer health = http.get("/health");
            return health.status() == 200 && "DEGRADED".equals(health.string("status")) ? health : null;
        });
        assertEquals(5, reachable(degraded));
        assertEquals(200, http.loggedIn("bob", "builder").status(), "logins work on the surviving nodes");

        master.restart();
        cluster.awaitClusterOk(Duration.ofSeconds(30));
        HttpAnswer up = await("health to be UP again", () -> {
            HttpAnswer health = http.get("/health");
            return health.status() == 200 && "UP".equals(health.string("status")) ? health : null;
        });
        assertEquals(6, reachable(up));
    }

    @Test
    @Order(2)
    void whenAllOfRedisIsStoppedThenHealthIs503DownWithJwtGatesStoreDownUntilItIsBack() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        cluster.stopAll();
        try {
            // JwtGate says DOWN once its near-cache is no longer fresh too (within revocation.max-staleness-ms):
            // until then checks are still answered locally, and it says DEGRADED. The sample's look at Redis and
            // JwtGate's are each reused for a second, from different instants: wait for both to have seen it.
            HttpAnswer down = await("health to report Redis stopped", () -> {
                HttpAnswer health = http.get("/health");
                return reachable(health) == 0 && health.status() == 503
                        && "DOWN".equals(object(health.json(), "jwtgate").get("status")) ? health : null;
            });
            assertEquals(503, down.status(), down.toString());
            assertEquals("DOWN", down.string("status"));
            Map<String, Object> jwtgate = object(down.json(), "jwtgate");
            assertEquals("DOWN", jwtgate.get("status"), "the store is unreachable and the filter fails closed");
            Map<String, Object> details = object(jwtgate, "details");
            assertEquals("redis-cluster down", details.get("revocation-store"));
            assertEquals("closed", details.get("failure-mode"));
            assertEquals("unknown", object(down.json(), "redis").get("cluster_state"));
        } finally {
            cluster.startAll();
        }
        HttpAnswer up = await("health to be UP again", () -> {
            HttpAnswer health = http.get("/health");
            return health.status() == 200 && "UP".equals(health.string("status")) ? health : null;
        });
        assertEquals("UP", object(up.json(), "jwtgate").get("status"));
        assertEquals(200, http.loggedIn("alice", "wonderland").status(), "logins work again");
    }

    @Test
    @Order(3)
    void whenTheUsersShardDoesNotAnswerDuringARefreshThen503AndTheSameRefreshTokenWorksOnceItIsBack() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node usersMaster = cluster.masterForKey("{alice}");
        // A family whose record lives on another shard than alice's account: only her shard stops answering.
        String refresh = loginWithFamilyOffShardOf(usersMaster).string("refresh_token");
        HttpAnswer during = whilePaused(usersMaster, () -> refresh(refresh));
        assertEquals(503, during.status(), during.toString());
        assertTrue(during.header("Retry-After").isPresent());

        // The client still holds the token it sent, as a 503 tells it to: retrying it is no reuse.
        HttpAnswer retried = refresh(refresh);
        assertEquals(200, retried.status(), retried.toString());
        assertEquals(200, http.get("/api/me", "Authorization", "Bearer " + retried.string("access_token")).status());
    }

    @Test
    @Order(4)
    void whenTheFamilysShardDoesNotAnswerDuringALogoutThen503AndTheSameLogoutEndsTheSessionOnceItIsBack()
            throws Exception {
        RedisCluster cluster = REDIS.cluster();
        HttpAnswer login = loginWithFamilyOffShardOf(cluster.masterForKey("{alice}"));
        String bearer = "Bearer " + login.string("access_token");

        HttpAnswer during = whilePaused(familyMaster(login), () -> http.post("/logout", "Authorization", bearer));
        assertEquals(503, during.status(), during.toString());

        // A 503 asks the client to send the same logout again: it must still be able to, and then the session is over.
        HttpAnswer retried = http.post("/logout", "Authorization", bearer);
        assertEquals(204, retried.status(), retried.toString());
        assertEquals(401, refresh(login.string("refresh_token")).status(), "the refresh token ends with the session");
    }

    @Test
    @Order(5)
    void whenAnotherSessionsShardDoesNotAnswerDuringLogoutEverywhereThen503AndTheSameLogoutEndsThatSessionToo()
            throws Exception {
        RedisCluster cluster = REDIS.cluster();
        HttpAnswer phone = loginWithFamilyOffShardOf(cluster.masterForKey("{alice}"));
        RedisCluster.Node phonesShard = familyMaster(phone);
        HttpAnswer laptop = loginWithFamilyOffShardOf(phonesShard);
        String bearer = "Bearer " + laptop.string("access_token");

        HttpAnswer during = whilePaused(phonesShard, () -> http.post("/logout?all=true", "Authorization", bearer));
        assertEquals(503, during.status(), during.toString());

        HttpAnswer retried = http.post("/logout?all=true", "Authorization", bearer);
        assertEquals(204, retried.status(), retried.toString());
        assertEquals(401, refresh(phone.string("refresh_token")).status(),
                "the phone's session ends too: its refresh token cannot renew it");
        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + phone.string("access_token")).status());
    }

    @Test
    @Order(6)
    void whenAFamilysShardDoesNotAnswerDuringAnAdministratorsRevokeThen503AndTheUsersTokensAreRefusedAlready()
            throws Exception {
        RedisCluster cluster = REDIS.cluster();
        String admin = "Bearer " + http.loggedIn("bob", "builder").string("access_token");
        // Neither alice's shard (her revocation) nor bob's (the administrator's own token) is the one paused.
        HttpAnswer alice = loginWithFamilyOffShardOf(cluster.masterForKey("{alice}"), cluster.masterForKey("{bob}"));

        HttpAnswer during = whilePaused(familyMaster(alice),
                () -> http.postJson("/admin/revoke", "{\"sub\":\"alice\"}", "Authorization", admin));
        assertEquals(503, during.status(), during.toString());
        // "Revoked at once": her access tokens are refused before the administrator's retry, a family's shard aside.
        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + alice.string("access_token")).status(),
                "her access token is refused before the administrator's retry");

        HttpAnswer retried = http.postJson("/admin/revoke", "{\"sub\":\"alice\"}", "Authorization", admin);
        assertEquals(204, retried.status(), retried.toString());
        assertEquals(401, refresh(alice.string("refresh_token")).status(), "her refresh family ends too");
    }

    @Test
    @Order(7)
    void whenRevokingAReusedFamilysAccessTokensFailsThen503AndTheReusedTokenSentAgainRevokesThem() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node usersMaster = cluster.masterForKey("{alice}");
        HttpAnswer login = loginWithFamilyOffShardOf(usersMaster);
        String rotatedAway = login.string("refresh_token");
        HttpAnswer rotated = refresh(rotatedAway);
        assertEquals(200, rotated.status(), rotated.toString());
        String familysAccess = "Bearer " + rotated.string("access_token");

        // Her shard serves reads, not writes: the reuse is detected and the family revoked on its own shard, but
        // JwtGate cannot revoke the family's access tokens (kept under {alice}).
        HttpAnswer during = whilePaused(usersMaster, ClientPauseMode.WRITE, () -> refresh(rotatedAway));
        assertEquals(503, during.status(), during.toString());

        // The client sends the same token again, as a 503 tells it to: the family's access tokens end now.
        HttpAnswer retried = refresh(rotatedAway);
        assertEquals(401, retried.status(), retried.toString());
        assertEquals(401, http.get("/api/me", "Authorization", familysAccess).status(),
                "the access tokens of the reused family are refused");
    }

    @Test
    @Order(8)
    void whenTheReplicaOfTheUsersShardIsFrozenThenLogoutAnswers503AndHealthSaysDurabilityIsShort() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        // JwtGate keeps alice's revocations under the hash tag {alice}: one shard, one master, one replica. Her refresh
        // family lives elsewhere: on that shard its end, confirmed first, would answer 503 before any revocation.
        RedisCluster.Node master = cluster.masterForKey("{alice}");
        String access = loginWithFamilyOffShardOf(master).string("access_token");
        RedisCluster.Node replica = cluster.replicaOf(master);
        replica.pause();
        try {
            HttpAnswer logout = http.post("/logout", "Authorization", "Bearer " + access);
            assertEquals(503, logout.status(), logout.toString());
            assertTrue(logout.header("Retry-After").isPresent());
            assertTrue(logout.headers("Set-Cookie").isEmpty(), "cookies are cleared only for a durable logout");
        } finally {
            replica.resume();
        }
        cluster.awaitClusterOk(Duration.ofSeconds(30));
        // The revocation was written to the master all along; only its durability was in doubt.
        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + access).status());
        String again = http.loggedIn("alice", "wonderland").string("access_token");
        assertEquals(204, http.post("/logout", "Authorization", "Bearer " + again).status());

        // Every node answers again, but JwtGate remembers the revocation short of a replica for a while:
        // DEGRADED, still 200. (Which is why this test runs last: /health cannot be UP for minutes.)
        HttpAnswer shortfall = await("health to report the durability shortfall", () -> {
            HttpAnswer health = http.get("/health");
            return reachable(health) == 6 ? health : null;
        });
        assertEquals(200, shortfall.status(), shortfall.toString());
        assertEquals("DEGRADED", shortfall.string("status"));
        Map<String, Object> jwtgate = object(shortfall.json(), "jwtgate");
        assertEquals("DEGRADED", jwtgate.get("status"));
        assertTrue(((String) object(jwtgate, "details").get("durability")).startsWith("short"), jwtgate.toString());
    }

    /** POST /refresh with the token in the JSON body, as a client that holds it in memory sends it. */
    private static HttpAnswer refresh(String refreshToken) throws Exception {
        return http.postJson("/refresh", "{\"refresh_token\":\"" + refreshToken + "\"}");
    }

    private static HttpAnswer loginWithFamilyOffShardOf(RedisCluster.Node... masters) throws Exception {
        return FamilyShards.aliceLoginOffShardsOf(http, REDIS.cluster(), masters);
    }

    private static RedisCluster.Node familyMaster(HttpAnswer login) {
        return FamilyShards.masterOf(REDIS.cluster(), login);
    }

    /**
     * {@code request}, sent while {@code master} serves no command (CLIENT PAUSE: it keeps talking on the cluster
     * bus, so no failover starts); returns once the node serves again.
     */
    private static HttpAnswer whilePaused(RedisCluster.Node master, Callable<HttpAnswer> request) throws Exception {
        return whilePaused(master, ClientPauseMode.ALL, request);
    }

    /** {@code request}, sent while {@code master} serves no command of {@code mode} (WRITE: it still serves reads). */
    private static HttpAnswer whilePaused(RedisCluster.Node master, ClientPauseMode mode, Callable<HttpAnswer> request)
            throws Exception {
        long pauseMillis = 4000;
        long resumesAt = System.nanoTime() + Duration.ofMillis(pauseMillis).toNanos();
        try (Jedis jedis = master.connect()) {
            jedis.clientPause(pauseMillis, mode);
        }
        HttpAnswer answer = request.call();
        Thread.sleep(Math.max(0, Duration.ofNanos(resumesAt - System.nanoTime()).toMillis() + 200));
        return answer;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String field) {
        return (Map<String, Object>) json.get(field);
    }

    @SuppressWarnings("unchecked")
    private static long reachable(HttpAnswer health) {
        return ((Number) ((Map<String, Object>) health.json().get("redis")).get("reachable")).longValue();
    }

    private static HttpAnswer await(String what, Callable<HttpAnswer> probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpAnswer answer = probe.call();
            if (answer != null) {
                return answer;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Timed out waiting for " + what + "; last: " + http.get("/health"));
    }
}
