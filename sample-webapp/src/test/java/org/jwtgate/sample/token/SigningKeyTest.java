package org.jwtgate.sample.token;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.VerificationSettings;
import org.jwtgate.testkit.tokens.TestTokens;

/** SAMPLE_SIGNING_KEY's start-up errors: they name the setting, never a key pasted into it. */
class SigningKeyTest {

    private static final VerificationSettings VERIFICATION = JwtGateConfig.of(TestTokens.settings()).verification();

    @Test
    void whenAPrivateKeyIsPastedWithoutItsPemLinesThenTheErrorDoesNotShowIt() throws Exception {
        // The base64 body alone (a secret store that keeps only the body, a copy that missed the BEGIN line) is
        // taken for a file name: the error must not print the private key to the console.
        String der = Base64.getEncoder().encodeToString(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SigningKey.privateKey(der, VERIFICATION));
        assertTrue(e.getMessage().contains("[SAMPLE_SIGNING_KEY]"), e.getMessage());
        assertFalse(e.getMessage().contains(der.substring(0, 16)), "the private key is in the error: " + e.getMessage());
    }

    @Test
    void whenAKeyFileIsMissingThenTheErrorNamesTheFile() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SigningKey.privateKey("/nonexistent/signing-key.pem", VERIFICATION));
        assertTrue(e.getMessage().contains("[/nonexistent/signing-key.pem]"), e.getMessage());
    }
}
