package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * {@code revoke-user} given a leaked token as it was pasted from a mail or a ticket, with a space where the
 * line was wrapped (the operator meant revoke-token). operations.md: "so is a token given in its place (meant for
 * revoke-token), without printing it" (exit 2). The real jar against a 3+3 Redis Cluster.
 */
class WrappedTokenIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final CliJar CLI = CliJar.locate();

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("JWTGATE_JWT_SECRET", TestTokens.SECRET);
        env.put("JWTGATE_JWT_ISSUER", TestTokens.ISSUER);
        env.put("JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE);
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put("JWTGATE_REVOCATION_REPLICA_TIMEOUT_MS", "2000");
        return env;
    }

    @Test
    void whenRevokeUserIsGivenATokenWrappedWithASpaceThenRefusedAsATokenWithoutPrintingIt() {
        String token = TestTokens.hs256("hal");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String pasted = token.substring(0, 76) + " " + token.substring(76);

        CliJar.Result revoke = CLI.run(env(), "revoke-user", "--", pasted);

        CliJar.Result status = CLI.run(env(), "status", token);
        assertAll(
                () -> assertEquals(2, revoke.exitCode(), revoke.toString()),
                () -> assertTrue(revoke.err().contains("looks like a token"), revoke.toString()),
                () -> assertFalse(revoke.out().contains(signature) || revoke.err().contains(signature),
                        "the token is printed: " + revoke),
                () -> assertEquals(0, status.exitCode(), "the leaked token is still valid: " + status));
    }
}
