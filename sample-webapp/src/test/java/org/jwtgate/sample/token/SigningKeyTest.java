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
        // Any part of it, not only its first characters: those are the fixed PKCS#8 header of every Ed25519 key
        // (MC4CAQAwBQYDK2Vw), and the 32 bytes of the key itself come last.
        for (int i = 0; i + 12 <= der.length(); i++) {
            String part = der.substring(i, i + 12);
            assertFalse(e.getMessage().contains(part), "12 characters of the private key, from its character " + i
                    + " of " + der.length() + ", are in the error, at " + e.getMessage().indexOf(part) + " of its "
                    + e.getMessage().length());
        }
    }

    @Test
    void whenAKeyFileIsMissingThenTheErrorNamesTheFile() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SigningKey.privateKey("/nonexistent/signing-key.pem", VERIFICATION));
        assertTrue(e.getMessage().contains("[/nonexistent/signing-key.pem]"), e.getMessage());
    }
}
