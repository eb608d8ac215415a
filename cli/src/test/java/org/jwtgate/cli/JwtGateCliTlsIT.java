package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.RedisTls;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The CLI as a real process against a cluster that speaks TLS only, with {@code JWTGATE_REDIS_SSL=true} and the trust
 * store given the documented way: {@code JAVA_OPTS} for {@code bin/jwtgate}, JVM options before {@code -jar}.
 */
class JwtGateCliTlsIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(1).tls());

    private static final CliJar CLI = CliJar.locate();

    private static Map<String, String> env(boolean trustStore) {
        Map<String, String> env = new HashMap<>();
        env.put("JWTGATE_JWT_SECRET", TestTokens.SECRET);
        env.put("JWTGATE_JWT_ISSUER", TestTokens.ISSUER);
        env.put("JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE);
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put("JWTGATE_REDIS_SSL", "true");
        env.put("JWTGATE_REVOCATION_REPLICA_TIMEOUT_MS", "2000");
        if (trustStore) {
            env.put("JAVA_OPTS", "-Djavax.net.ssl.trustStore=" + REDIS.cluster().tls().orElseThrow().trustStore()
                    + " -Djavax.net.ssl.trustStorePassword=" + RedisTls.STORE_PASSWORD);
        }
        return env;
    }

    @Test
    void whenTheTrustStoreIsGivenThenRevokeAndStatusWorkOverTls() {
        String token = TestTokens.hs256("tls-cli-grace");
        CliJar.Result revoke = CLI.runWithStdin(env(true), token + "\n", "revoke-token", "-");
        assertEquals(0, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.out().contains("durable (1 of 1 required replicas confirmed)"), revoke.out());

        CliJar.Result status = CLI.run(env(true), "status", token);
        assertEquals(5, status.exitCode(), status.toString());
        assertTrue(status.out().startsWith("revoked: REVOKED (revoked) sub=tls-cli-grace"), status.out());

        CliJar.Result user = CLI.run(env(true), "revoke-user", "tls-cli-heidi");
        assertEquals(0, user.exitCode(), user.toString());
        assertFalse((revoke + status.toString() + user).contains(token), "the token is never echoed");
    }

    @Test
    void whenTheCaIsNotTrustedThenUnreachableWithTheCertificateProblemNamed() {
        CliJar.Result revoke = CLI.run(env(false), "revoke-user", "tls-cli-ivan");
        assertEquals(3, revoke.exitCode(), revoke.toString());
        assertTrue(revoke.err().contains("PKIX path building failed"), revoke.err());
        assertFalse(revoke.err().contains(TestTokens.SECRET), revoke.err());
    }
}
