package org.jwtgate.sample.token;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.SigningAlgorithm;
import org.jwtgate.config.VerificationSettings;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A key file with text around its PEM block that is not ASCII: "openssl pkcs12 -nodes" writes "Bag Attributes /
 * friendlyName: …" above each block (a key named "Schlüssel"), and an editor on Windows saves a byte-order mark. The
 * filter's {@code jwt.public-key} reads such a file ("a BOM or a non-ASCII comment around the (ASCII) block is
 * skipped, not fatal", PemKeys); the sample's SAMPLE_SIGNING_KEY read its file as strict US-ASCII, and the start
 * failed with "neither an inline PEM nor a readable file", of a file that exists and is readable.
 */
class SigningKeyFileTextTest {

    @TempDir
    Path directory;

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @Test
    void aKeyFileWithAFriendlyNameBeyondAsciiIsReadByTheSampleAsTheFilterReadsItsPublicHalf() throws Exception {
        KeyPair pair = TestTokens.ecKeyPair("secp256r1");
        String bagAttributes = "Bag Attributes\n    friendlyName: Schlüssel der Demo\n";
        Path publicKey = directory.resolve("public.pem");
        Path privateKey = directory.resolve("private.pem");
        Files.writeString(publicKey, "\uFEFF" + bagAttributes + pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                StandardCharsets.UTF_8);
        Files.writeString(privateKey, "\uFEFF" + bagAttributes + pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                StandardCharsets.UTF_8);
        Map<String, String> settings = new TreeMap<>(TestTokens.settings());
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, publicKey.toString());
        // The filter takes the public half so written.
        VerificationSettings verification = assertDoesNotThrow(() -> JwtGateConfig.of(settings).verification());
        // The sample refused the private half, of the same form.
        SigningKey key = assertDoesNotThrow(() -> SigningKey.privateKey(privateKey.toString(), verification));
        assertEquals(SigningAlgorithm.ES256, key.algorithm());
    }
}
