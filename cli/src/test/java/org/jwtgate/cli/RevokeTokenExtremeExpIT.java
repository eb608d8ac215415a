package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * revoke-token of a signed token whose exp lies before Instant.MIN (-1e300, which jose4j reads as Long.MIN_VALUE), with
 * jwt.clock-skew-seconds=300 (in range): the token is refused as EXPIRED, and the command should say it is refused
 * anyway (exit 0), as for any long-expired token.
 */
class RevokeTokenExtremeExpIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void whenTheTokensExpLiesBeforeAnyInstantThenRevokeTokenSaysItIsRefusedAnyway() {
        Map<String, String> env = new HashMap<>();
        env.put("JWTGATE_JWT_SECRET", TestTokens.SECRET);
        env.put("JWTGATE_JWT_ISSUER", TestTokens.ISSUER);
        env.put("JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE);
        env.put("JWTGATE_JWT_CLOCK_SKEW_SECONDS", "300");
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put("JWTGATE_REVOCATION_REPLICA_TIMEOUT_MS", "2000");
        JwtClaims claims = TestTokens.claims("alice");
        claims.setIssuedAt(TestTokens.secondsFromNow(-600));
        claims.setClaim("exp", -1e300);
        String token = TestTokens.sign(claims, AlgorithmIdentifiers.HMAC_SHA256, TestTokens.hmacKey(TestTokens.SECRET),
                jws -> { });
        CliRun run = CliRun.withStdin(env, token + "\n", "revoke-token", "-");
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertEquals("Not revoked: the token has already expired, so it is refused anyway", run.out().strip());
    }
}
