package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import redis.clients.jedis.Jedis;

/**
 * docs/sample.md: logout (and an administrator's revoke) answers 204 "once the revocation is durable". The refresh
 * family's end is a write of the sample's own, on the family's shard: when a failover of that shard follows the 204,
 * the ended refresh token must stay ended.
 */
class SessionEndDurabilityIT {

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
    void whenALogoutAnswered204AndTheFamilysShardFailsOverThenTheLoggedOutRefreshTokenStaysDead() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        HttpAnswer login = loginWithFamilyOffShardOf(cluster.masterForKey("{alice}"));
        RedisCluster.Node familyMaster = familyMaster(login);
        RedisCluster.Node familyReplica = cluster.replicaOf(familyMaster);

        familyReplica.pause(); // replication of the family's shard lags (a slow or partitioned replica)
        HttpAnswer logout;
        try {
            lagReplication(familyMaster, login);
            logout = http.post("/logout", "Authorization", "Bearer " + login.string("access_token"));
            // The master crashes before the replica catches up; the replica takes over.
            familyMaster.kill();
        } finally {
            familyReplica.resume();
        }
        cluster.awaitFailover(familyMaster, Duration.ofSeconds(30));
        familyMaster.restart(); // back as the replica of its successor (which holds what the shard kept)
        cluster.awaitClusterOk(Duration.ofSeconds(30));
        String bearer = "Bearer " + login.string("access_token");
        sentAgainUntilDone(logout, () -> http.post("/logout", "Authorization", bearer));

        // The logout answered 204: the session must stay ended.
        HttpAnswer refreshed = refreshOnceRedisAnswers(login.string("refresh_token"));
        assertEquals(401, refreshed.status(),
                "the refresh token of a session logged out (204) renews it: " + refreshed);
    }

    @Test
    void whenAnAdministratorsRevokeAnswered204AndTheFamilysShardFailsOverThenTheUsersRefreshTokenStaysDead()
            throws Exception {
        RedisCluster cluster = REDIS.cluster();
        String admin = "Bearer " + http.loggedIn("bob", "builder").string("access_token");
        HttpAnswer login = loginWithFamilyOffShardOf(cluster.masterForKey("{alice}"), cluster.masterForKey("{bob}"));
        RedisCluster.Node familyMaster = familyMaster(login);
        RedisCluster.Node familyReplica = cluster.replicaOf(familyMaster);

        familyReplica.pause();
        HttpAnswer revoke;
        try {
            lagReplication(familyMaster, login);
            revoke = http.postJson("/admin/revoke", "{\"sub\":\"alice\"}", "Authorization", admin);
            familyMaster.kill();
        } finally {
            familyReplica.resume();
        }
        cluster.awaitFailover(familyMaster, Duration.ofSeconds(30));
        familyMaster.restart();
        cluster.awaitClusterOk(Duration.ofSeconds(30));
        sentAgainUntilDone(revoke, () -> http.postJson("/admin/revoke", "{\"sub\":\"alice\"}", "Authorization", admin));

        HttpAnswer refreshed = refreshOnceRedisAnswers(login.string("refresh_token"));
        assertEquals(401, refreshed.status(), "a user revoked by an administrator (204) signs in again with her refresh"
                + " token: " + refreshed + (refreshed.status() == 200 ? "; /api/me with its access token: "
                + http.get("/api/me", "Authorization", "Bearer " + refreshed.string("access_token")).status() : ""));
    }

    /** Not confirmed durable (503): the client sends the same request again, as the 503 asks, until done (204). */
    private static void sentAgainUntilDone(HttpAnswer first, java.util.concurrent.Callable<HttpAnswer> again)
            throws Exception {
        if (first.status() == 204) {
            return;
        }
        assertEquals(503, first.status(), first.toString());
        HttpAnswer retried = first;
        for (int i = 0; i < 20 && retried.status() == 503; i++) {
            Thread.sleep(500);
            retried = again.call();
        }
        assertEquals(204, retried.status(), retried.toString());
    }

    /**
     * Writes 40 MB to the shard while its replica is frozen: more than the sockets' kernel buffers hold, so what is
     * written next waits in the master's own output buffer for the replica (async replication) and dies with it.
     */
    private static void lagReplication(RedisCluster.Node master, HttpAnswer login) {
        String token = login.string("refresh_token");
        String tag = "{" + token.substring(0, token.indexOf('.')) + "}";
        byte[] megabyte = new byte[1 << 20];
        try (Jedis jedis = master.connect()) {
            for (int i = 0; i < 40; i++) {
                jedis.set(("test:ballast:" + tag + ":" + i).getBytes(StandardCharsets.UTF_8), megabyte);
            }
        }
    }

    /** The refresh, sent again while the sample's client finds the new master (503). */
    private static HttpAnswer refreshOnceRedisAnswers(String refreshToken) throws Exception {
        HttpAnswer answer = null;
        for (int i = 0; i < 20; i++) {
            answer = http.postJson("/refresh", "{\"refresh_token\":\"" + refreshToken + "\"}");
            if (answer.status() != 503) {
                return answer;
            }
            Thread.sleep(500);
        }
        return answer;
    }

    private static HttpAnswer loginWithFamilyOffShardOf(RedisCluster.Node... masters) throws Exception {
        return FamilyShards.aliceLoginOffShardsOf(http, REDIS.cluster(), masters);
    }

    private static RedisCluster.Node familyMaster(HttpAnswer login) {
        return FamilyShards.masterOf(REDIS.cluster(), login);
    }
}
