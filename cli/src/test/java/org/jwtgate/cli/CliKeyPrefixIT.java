package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;

/** the CLI revoking under one application's redis.key-prefix reaches that prefix only. */
class CliKeyPrefixIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final CliJar CLI = CliJar.locate();

    private static Map<String, String> env(String prefix) {
        Map<String, String> env = new HashMap<>();
        env.put("JWTGATE_JWT_SECRET", TestTokens.SECRET);
        env.put("JWTGATE_JWT_ISSUER", TestTokens.ISSUER);
        env.put("JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE);
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put("JWTGATE_REVOCATION_REPLICA_TIMEOUT_MS", "2000");
        env.put("JWTGATE_REDIS_KEY_PREFIX", prefix);
        return env;
    }

    @Test
    void whenTheCliRevokesUnderOnePrefixThenOnlyThatPrefixRefuses() throws Exception {
        String sub = "cli-" + UUID.randomUUID();
        String token = TestTokens.hs256(sub);
        String other = TestTokens.hs256("cli-token-" + UUID.randomUUID());
        Thread.sleep(1100);
        CliJar.Result revoke = CLI.run(env("app-a:"), "revoke-user", sub);
        assertEquals(0, revoke.exitCode(), revoke.toString());
        CliJar.Result revokeToken = CLI.runWithStdin(env("app-a:"), other + "\n", "revoke-token", "-");
        assertEquals(0, revokeToken.exitCode(), revokeToken.toString());

        assertEquals(5, CLI.run(env("app-a:"), "status", token).exitCode(), "revoked under app-a:");
        assertEquals(5, CLI.run(env("app-a:"), "status", other).exitCode(), "revoked under app-a:");
        CliJar.Result b = CLI.run(env("app-b:"), "status", token);
        assertEquals(0, b.exitCode(), b.toString());
        assertEquals(0, CLI.run(env("app-b:"), "status", other).exitCode());
        RedisCluster cluster = REDIS.cluster();
        String keyA = new RevocationKeys("app-a:").userKey(sub);
        String keyB = new RevocationKeys("app-b:").userKey(sub);
        try (Jedis jedis = cluster.masterForKey(keyA).connect()) {
            assertTrue(jedis.exists(keyA));
            assertFalse(jedis.exists(keyB));
            assertFalse(jedis.exists(new RevocationKeys("jwtgate:").userKey(sub)), "nothing under the default prefix");
        }
    }
}
