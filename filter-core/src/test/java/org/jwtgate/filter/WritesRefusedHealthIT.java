package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.engine.Health;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;

/**
 * Redis masters that answer reads but refuse every write — here {@code min-replicas-to-write} above the replicas they
 * have (NOREPLICAS), as when a master's replica drops out under that setting — answer every new DPoP proof record with
 * an error, so every DPoP request gets 503, and every revocation fails; health's probes (an MGET and ACL permission
 * checks, which write nothing) pass. Health must say DEGRADED naming Redis's refusal (monitoring.md, "Health and the
 * readiness probe"), as it does for a proof record Redis refuses out of memory.
 */
class WritesRefusedHealthIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void whenRedisRefusesEveryWriteThenDpopRequestsGet503AndHealthIsDegradedNamingTheRefusal() throws Exception {
        try (JettyApp app = DpopFailureModeIT.start(REDIS.cluster(), "closed")) {
            String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("olga"), DpopFailureModeIT.KEY));
            assertEquals(200, DpopFailureModeIT.call(app, token).status());
            ClusterApps.awaitHealth(app, Health.Status.UP);
            setOnEveryNode("min-replicas-to-write", "5");
            try {
                RawHttp.Response refused = DpopFailureModeIT.call(app, token);
                assertEquals(503, refused.status(), refused.toString());
                assertEquals(200, app.getWithToken("/api", TestTokens.hs256("bert")).statusCode(), "bearer tokens pass");
                Thread.sleep(1_100); // past the one second a probe's answer is reused
                Health health = app.filter().health();
                assertEquals(Health.Status.DEGRADED, health.status(),
                        "every DPoP request answered 503 (" + refused.body() + "), yet health: " + health);
                assertTrue(health.details().get("revocation-store").startsWith("redis-cluster up (DPoP proof records"
                        + " refused: writes refused by Redis (NOREPLICAS Not enough good replicas to write), "), health.toString());
            } finally {
                setOnEveryNode("min-replicas-to-write", "0");
            }
        }
    }

    @Test
    void whenRedisRefusesEveryWriteThenRevocationsFailAndHealthIsDegradedNamingTheRefusal() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        try (JettyApp app = JettyApp.startNamed("writes-refused", ClusterApps.settings(cluster.nodesSpec()))) {
            String token = TestTokens.hs256("rita");
            assertEquals(200, app.getWithToken("/api", token).statusCode());
            ClusterApps.awaitHealth(app, Health.Status.UP);
            setOnEveryNode("min-replicas-to-write", "5");
            try {
                RevocationUnavailableException failed = assertThrows(RevocationUnavailableException.class,
                        () -> app.filter().revocationService().revoke(ClusterApps.principal(app, token)));
                Thread.sleep(1_100);
                Health health = app.filter().health();
                assertEquals(Health.Status.DEGRADED, health.status(),
                        "every revocation fails (" + failed.getMessage() + "), yet health: " + health);
                assertTrue(health.details().get("revocation-store").startsWith("redis-cluster up (revocations refused:"
                        + " writes refused by Redis (NOREPLICAS Not enough good replicas to write), "), health.toString());
            } finally {
                setOnEveryNode("min-replicas-to-write", "0");
            }
        }
    }

    private static void setOnEveryNode(String parameter, String value) {
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.configSet(parameter, value);
            }
        }
    }
}
