package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testkit.tokens.TestTokens;

class LaggingServerViewTest {

    /**
     * A secret read from a file may hold "${": the view's gate expanded the expanded value again and refused it as a
     * malformed reference (exit 2, "from settings given in code"), or would expand a well-formed one into another key.
     */
    @Test
    void whenTheSecretReadFromAFileHoldsAReferenceThenTheTokenExpiredWithinTwiceTheSkewIsStillVerified(@TempDir Path dir)
            throws Exception {
        for (String secret : new String[] {"k9#Lq2${Zt8!vR4pW6mN1xB3cD5fG7hJ0", "k9#Lq2${env:HOME}vR4pW6mN1xB3cD5fG7hJ0"}) {
            Path file = Files.writeString(dir.resolve("secret"), secret);
            Map<String, String> settings = new HashMap<>(TestTokens.settings());
            settings.put(ConfigKeys.JWT_SECRET, "${file:" + file + "}");
            JwtGateConfig config = JwtGateConfig.load(settings, ConfigSources.of(Map.of("HOME", "/root"), Map.of()));
            JwtClaims claims = TestTokens.claims("dave");
            claims.setIssuedAt(TestTokens.secondsFromNow(-600));
            claims.setExpirationTime(TestTokens.secondsFromNow(-45));
            String token = TestTokens.sign(claims, AlgorithmIdentifiers.HMAC_SHA256, TestTokens.hmacKey(secret), jws -> { });
            JwtPrincipal principal = LaggingServerView.verify(token, config);
            assertNotNull(principal, secret);
            assertEquals("dave", principal.subject());
            String other = TestTokens.sign(claims, AlgorithmIdentifiers.HMAC_SHA256,
                    TestTokens.hmacKey(secret.replace("${", "$-")), jws -> { });
            assertNull(LaggingServerView.verify(other, config), "another key's token");
        }
    }
}
