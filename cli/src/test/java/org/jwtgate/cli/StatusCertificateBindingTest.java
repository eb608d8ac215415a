package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Certificate-bound tokens (RFC 8705 §3): {@code status} says "what the filter would decide about a token",
 * and mirrors the refusals every request gets whatever it carries (DPOP_REQUIRED, DPOP_BOUND_AS_BEARER). Since the
 * commit the servers refuse a token whose {@code cnf.x5t#S256} is not 43 base64url characters on every request
 * (CERTIFICATE_MISMATCH), and hold a well-formed one to a client certificate.
 */
class StatusCertificateBindingTest {

    private static final Map<String, String> ENV = Map.of(
            "JWTGATE_JWT_SECRET", TestTokens.SECRET,
            "JWTGATE_JWT_ISSUER", TestTokens.ISSUER,
            "JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE,
            "JWTGATE_REVOCATION_STORE", "memory");

    private static String bound(String thumbprint) {
        JwtClaims claims = TestTokens.claims("alice");
        claims.setClaim("cnf", Map.of("x5t#S256", thumbprint));
        return TestTokens.hs256(claims);
    }

    /** The servers refuse this token on every request (padded: 44 characters): status calls it valid, exit 0. */
    @Test
    void whenTheCertificateBindingIsWrittenWrongThenStatusSaysInvalidAsEveryServerRefusesIt() {
        CliRun run = CliRun.of(ENV, "status", bound("LXEWQrcmsEQBYnyp-6wy9chTD7GQPMTbAiWHF5IaSIE="));
        assertEquals(ExitCode.TOKEN_REFUSED, run.exitCode(), run.toString());
        assertEquals("invalid: CERTIFICATE_MISMATCH (" + org.jwtgate.verify.Rejection.CERTIFICATE_MISMATCH.detail() + ")",
                run.out().lines().findFirst().orElse(""));
    }

    /** A certificate-bound token is not a plain bearer token: the servers refuse it without that client certificate. */
    @Test
    void whenTheTokenIsCertificateBoundThenTheBindingLineDoesNotCallItABearerToken() {
        CliRun run = CliRun.of(ENV, "status", bound("LXEWQrcmsEQBYnyp-6wy9chTD7GQPMTbAiWHF5IaSIE"));
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertEquals("binding: certificate x5t#S256=LXEWQrcmsEQBYnyp-6wy9chTD7GQPMTbAiWHF5IaSIE (sender-constrained: requests"
                + " need that TLS client certificate)", lines.get(1), run.out());
    }
}
