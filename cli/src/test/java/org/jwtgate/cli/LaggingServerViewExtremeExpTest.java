package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/**
 * revoke-token of a token the configured verifier refuses as EXPIRED, with jwt.clock-skew-seconds above 150 (twice the
 * skew then exceeds the setting's maximum, so {@link LaggingServerView#coversALaggingServer} is false): the command asks
 * {@link LaggingServerView#expiredForEveryServer}, which turns the unverified exp into an Instant. An exp before
 * Instant.MIN (jose4j clamps -1e300 to Long.MIN_VALUE) threw DateTimeException out of it: the CLI printed
 * "unexpected java.time.DateTimeException" instead of "Not revoked: the token has already expired". It compares epoch
 * seconds now.
 */
class LaggingServerViewExtremeExpTest {

    @Test
    void whenAnExpiredTokensExpLiesBeforeAnyInstantThenTheLaggingViewAnswersInsteadOfThrowing() {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "300"); // in range: 0 to 300
        JwtGateConfig config = JwtGateConfig.load(settings, ConfigSources.none());
        for (Object exp : new Object[] {-1e300, Long.MIN_VALUE, -31557014167219201L}) {
            JwtClaims claims = TestTokens.claims("alice");
            claims.setIssuedAt(TestTokens.secondsFromNow(-600));
            claims.setClaim("exp", exp);
            String token = TestTokens.sign(claims, AlgorithmIdentifiers.HMAC_SHA256, TestTokens.hmacKey(TestTokens.SECRET),
                    jws -> { });
            // The path revoke-token takes (RevokeTokenCommand.byToken): EXPIRED, not verified by the lagging view, and
            // the view does not cover a lagging server at this skew.
            try (JwtGate gate = JwtGate.start(config)) {
                assertEquals(Rejection.EXPIRED,
                        assertThrows(InvalidTokenException.class, () -> gate.verify(token)).rejection(), "exp " + exp);
            }
            assertNull(LaggingServerView.verify(token, config), "exp " + exp);
            assertFalse(LaggingServerView.coversALaggingServer(config));
            // It expired long before every server's now: true is the answer; an exception is not.
            assertEquals(true, LaggingServerView.expiredForEveryServer(token, config), "exp " + exp);
        }
    }
}
