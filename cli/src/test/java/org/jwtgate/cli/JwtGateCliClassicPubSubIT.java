package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.RedisServerBinary;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The CLI as a real process against Redis 6.2 (the binary of the embedded-redis jar), which has no sharded pub/sub:
 * a revocation is announced by a script running {@code PUBLISH}, so Redis's refusals of the ACL come as a script's
 * error, not as {@code NOPERM}.
 */
class JwtGateCliClassicPubSubIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(
            RedisCluster.builder().masters(1).binary(RedisServerBinary.embedded()));

    private static final CliJar CLI = CliJar.locate();

    private static Map<String, String> env(String user) {
        Map<String, String> env = new HashMap<>();
        env.put("JWTGATE_JWT_SECRET", TestTokens.SECRET);
        env.put("JWTGATE_JWT_ISSUER", TestTokens.ISSUER);
        env.put("JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE);
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put("JWTGATE_REVOCATION_REPLICA_TIMEOUT_MS", "2000");
        env.put("JWTGATE_REDIS_USER", user);
        env.put("JWTGATE_REDIS_PASSWORD", user + "-secret");
        return env;
    }

    @Test
    void whenTheUserMayNotPublishOnTheEventsChannelThenExit2AsOnRedis7() {
        // Before: exit 3, "jwtgate: unreachable: The revocation is stored in Redis but its announcement to the
        // near-caches failed; retry it …: ERR Error running script … can't publish to the channel mentioned in the
        // command": on Redis 7 the same ACL (no &<prefix>* channel) gets NOPERM from SPUBLISH, and exit 2.
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(Protocol.Command.ACL, "SETUSER", "cli-nochannel", "on", ">cli-nochannel-secret", "~*",
                        "resetchannels", "+@all");
                jedis.sendCommand(Protocol.Command.ACL, "SETUSER", "cli-allowed", "on", ">cli-allowed-secret", "~*",
                        "allchannels", "+@all");
            }
        }
        assertEquals(0, CLI.run(env("cli-allowed"), "revoke-user", "classic-ok").exitCode(), "the rig's ACL works");

        CliJar.Result revoke = CLI.run(env("cli-nochannel"), "revoke-user", "classic-ivan");
        assertEquals(2, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.err().lines().anyMatch(l -> l.startsWith("jwtgate: Redis refused the credentials or the"
                + " permissions of redis.user / redis.password (see the ACL in docs/revocation.md): ")
                && l.contains("can't publish to the channel")), revoke.err());
        assertFalse(revoke.err().contains("cli-nochannel-secret"), "the password is never printed");
    }
}
