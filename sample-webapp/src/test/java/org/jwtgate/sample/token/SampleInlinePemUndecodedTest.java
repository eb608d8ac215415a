package org.jwtgate.sample.token;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.SigningAlgorithm;
import org.jwtgate.config.VerificationSettings;
import org.jwtgate.sample.settings.SampleSettings;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * An inline key whose text around the block was read undecoded (openssl pkcs12 -nodes' "friendlyName: Schl\u00fcssel",
 * given as "$(cat key.pem)" in a JVM without a UTF-8 locale) starts the sample as it starts the filter's public key: the
 * PEM parsers find the block alone, so U+FFFD there is not refused (a review found the sample refusing it).
 */
class SampleInlinePemUndecodedTest {

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @Test
    void anInlineSigningKeyWhoseFriendlyNameWasReadUndecodedStartsAsTheFiltersPublicKeyDoes() {
        KeyPair pair = TestTokens.ecKeyPair("secp256r1");
        String bagAttributes = "Bag Attributes\n    friendlyName: Schl\uFFFD\uFFFDssel der Demo\n";
        Map<String, String> filter = new TreeMap<>(TestTokens.settings());
        filter.remove(ConfigKeys.JWT_SECRET);
        // The filter takes the public half so read from JWTGATE_JWT_PUBLIC_KEY.
        VerificationSettings verification = assertDoesNotThrow(() -> JwtGateConfig.load(filter, ConfigSources.of(
                Map.of("JWTGATE_JWT_PUBLIC_KEY", bagAttributes + pem("PUBLIC KEY", pair.getPublic().getEncoded())),
                Map.of())).verification());
        // The sample, the private half so read from SAMPLE_SIGNING_KEY.
        SigningKey key = assertDoesNotThrow(() -> SigningKey.privateKey(SampleSettings.from(ConfigSources.of(
                Map.of(SampleSettings.SIGNING_KEY, bagAttributes + pem("PRIVATE KEY", pair.getPrivate().getEncoded())),
                Map.of())).signingKey(), verification));
        assertEquals(SigningAlgorithm.ES256, key.algorithm());
    }
}
