package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * token.max-length goes up to 1,048,576 (ConfigKeys). TokenInput's bound on what it reads, "far above any
 * token.max-length", was that same 1 << 20 and counts the line's other characters too: a token of the longest length
 * the settings allow, which the filter accepts, was refused on standard input as "longer than 1048576 characters" when
 * its line ended in CRLF (a Windows file) or it was pasted with its "Bearer " prefix, as TokenInput otherwise accepts.
 * Each of the two cases is asserted on its own, so the second runs whatever the first gives.
 */
class LongestTokenOnStdinTest {

    private static final int LONGEST = 1_048_576;

    @Test
    void whenATokenOfTheLongestAllowedLengthComesOnStandardInputThenItIsJudged() {
        String token = tokenOfLength(LONGEST);
        assertEquals(LONGEST, token.length());
        Map<String, String> env = new HashMap<>(Map.of(
                "JWTGATE_JWT_SECRET", TestTokens.SECRET,
                "JWTGATE_JWT_ISSUER", TestTokens.ISSUER,
                "JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE,
                "JWTGATE_REVOCATION_STORE", "memory",
                ConfigKeys.environmentName(ConfigKeys.TOKEN_MAX_LENGTH), Integer.toString(LONGEST)));
        CliRun plain = CliRun.withStdin(env, token + "\n", "status", "-");
        assertEquals(ExitCode.OK, plain.exitCode(), plain.err());
        assertTrue(plain.out().startsWith("valid: sub=alice"), plain.out());
        assertAll(Stream.of(token + "\r\n", "Bearer " + token + "\n").<Executable>map(stdin -> () -> {
            CliRun run = CliRun.withStdin(env, stdin, "status", "-");
            assertEquals(ExitCode.OK, run.exitCode(), (stdin.startsWith("Bearer") ? "Bearer prefix: " : "CRLF: ") + run.err());
            assertTrue(run.out().startsWith("valid: sub=alice"), run.out());
        }));
    }

    /** An HS256 token of exactly {@code length} characters: a padding claim, and a kid to reach every length. */
    private static String tokenOfLength(int length) {
        for (int kid = 1; kid <= 4; kid++) {
            String keyId = "k".repeat(kid);
            for (int pad = length * 3 / 4 - 400; pad < length * 3 / 4; pad++) {
                JwtClaims claims = TestTokens.claims("alice");
                claims.setClaim("pad", "p".repeat(pad));
                String token = TestTokens.sign(claims, AlgorithmIdentifiers.HMAC_SHA256,
                        TestTokens.hmacKey(TestTokens.SECRET), jws -> jws.setKeyIdHeaderValue(keyId));
                if (token.length() == length) {
                    return token;
                }
                if (token.length() > length) {
                    break;
                }
            }
        }
        throw new IllegalStateException("no token of " + length + " characters");
    }
}
