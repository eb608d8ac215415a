package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.KeysUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fetch refuses a set that is not JSON text (RFC 8259), though jose4j's lenient parser would read it. */
class JwksStrictJsonTest {

    /**
     * Before, a set without its colons and commas, and with trailing commas, was taken: its key verified tokens,
     * though security.md says a fetch refuses "a set that is not UTF-8 JSON text".
     */
    @Test
    void whenTheSetIsNotJsonTextThenTheFetchRefusesItNamingThePositionOnly(@TempDir Path directory) throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        String good = JwtVerifierJwksTest.jwks(Map.of("k1", first));
        // {"keys":[{"kty" "RSA" "kid" "k1" ...},]} : no colon, no comma, a trailing comma
        String lenient = good.replace("\":\"", "\" \"").replace("\",\"", "\" \"").replace("}]}", ",},]}");
        Path file = directory.resolve("jwks.json");
        Files.writeString(file, lenient);
        String log = CapturedLog.during(() -> {
            try (JwtVerifier verifier = JwtVerifierTest.verifier(JwtVerifierTest.settings(
                    ConfigKeys.JWT_JWKS_URI, file.toUri().toString(), ConfigKeys.JWT_ALGORITHMS, "RS256"))) {
                assertThrows(KeysUnavailableException.class,
                        () -> verifier.verify(JwksTestServer.rs256(first, "k1")), "taken: " + lenient);
            }
        }).text();
        assertTrue(log.contains("not JSON text") && log.contains("offset"), log);
        assertTrue(!log.contains("RSA\" \"kid"), "the set's content is not logged: " + log);
    }
}
