package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
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

    /**
     * The CA not trusted, each store, each {@code redis.ssl}: the start-up WARN above the error line (exit 3) says what
     * to fix. {@code true}: TLS refused the node, check the trust store (the single-server store said "not reachable").
     * {@code false}: the port speaks TLS, which the second look finds by a handshake this JVM's trust store refuses (the
     * untrusted branch of SslMismatch: RedisTlsIT's JVM trusts the CA, so its handshakes complete).
     */
    @Test
    void whenTheCaIsNotTrustedThenEachStoresWarnAboveTheErrorLineSaysWhatToFix() {
        String node = REDIS.cluster().nodes().get(0).hostAndPort().toString();
        for (String store : List.of("redis-cluster", "redis")) {
            for (boolean ssl : List.of(true, false)) {
                Map<String, String> env = env(false);
                env.put("JWTGATE_REVOCATION_STORE", store);
                env.put("JWTGATE_REDIS_NODES", node);
                env.put("JWTGATE_REDIS_SSL", String.valueOf(ssl));
                CliJar.Result status = CLI.run(env, "status", TestTokens.hs256("tls-cli-judy"));
                assertEquals(3, status.exitCode(), status.toString());
                List<String> lines = status.err().lines().toList();
                int warn = IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains(" WARN ")
                        && lines.get(i).contains("at start-up")).findFirst().orElseThrow(() -> new AssertionError(status));
                int error = IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith("jwtgate: unreachable: "))
                        .findFirst().orElseThrow(() -> new AssertionError(status));
                assertTrue(warn < error, status.toString());
                String expected = ssl ? "refused by TLS at start-up (redis.ssl=true: "
                        : node + " speaks TLS: is redis.ssl=false right for its port?";
                assertTrue(lines.get(warn).contains(expected), store + ": " + lines.get(warn));
                if (ssl) {
                    assertTrue(lines.get(warn).contains("PKIX path building failed")
                            && lines.get(warn).contains("trust store"), lines.get(warn));
                }
            }
        }
    }
}
