package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings holding U+FFFD: refused at start, but not for text an inline PEM skips, and named as written in a file. */
class UndecodedSettingTest {

    @TempDir
    Path directory;

    private static String publicKeyPem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /**
     * JWTGATE_JWT_PUBLIC_KEY="$(cat key.pem)" of a key openssl pkcs12 -nodes exported ("Bag Attributes / friendlyName:
     * Schlüssel" above the block), in a JVM without a UTF-8 locale: the ü is two U+FFFD in text PemKeys skips ("a
     * non-ASCII comment around the (ASCII) block is skipped, not fatal"). The key itself is read exactly; it started
     * before 1630de1b and now refuses to start.
     */
    @Test
    void anInlinePemWhoseTextAroundTheBlockHoldsUFFFDStillStarts() throws Exception {
        String pem = "Bag Attributes\n    friendlyName: Schl\uFFFD\uFFFDssel der Demo\n" + publicKeyPem();
        assertDoesNotThrow(() -> JwtGateConfig.load(Map.of(ConfigKeys.JWT_ISSUER, "https://issuer.example",
                        ConfigKeys.JWT_AUDIENCE, "api", ConfigKeys.REVOCATION_STORE, "memory"),
                ConfigSources.of(Map.of("JWTGATE_JWT_PUBLIC_KEY", pem), Map.of())).verification());
    }

    /**
     * A properties file is read as strict UTF-8 whatever the locale: U+FFFD in it was written into the file. The
     * refusal blames the JVM's locale and advises LC_ALL=C.UTF-8 or "give the value in a file", of a value that is in
     * a file.
     */
    @Test
    void aReplacementCharacterWrittenInAPropertiesFileIsNotBlamedOnTheLocale() throws Exception {
        Path file = directory.resolve("jwtgate.properties");
        Files.writeString(file, "jwt.issuer=https://issuer.m\uFFFDller.example\njwt.audience=api\njwt.secret="
                + "x".repeat(48) + "\nrevocation.store=memory\n", StandardCharsets.UTF_8);
        String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.load(
                Map.of(ConfigKeys.CONFIG_FILE, file.toString()), ConfigSources.none())).getMessage();
        assertFalse(message.contains("locale could not decode") || message.contains("give the value in a file"),
                message);
        assertTrue(message.startsWith("Setting [jwt.issuer] in properties file " + file + " holds U+FFFD at position 17,"
                + " a replacement character written so where it is given"), message);
    }

    /** The skip is for jwt.public-key's inline PEM only: another setting holding "-----BEGIN" is refused as any. */
    @Test
    void anUndecodedValueOfAnotherSettingHoldingBeginTextIsRefused() {
        for (String key : new String[] {"JWTGATE_JWT_ISSUER", "JWTGATE_JWT_SECRET", "JWTGATE_JWT_AUDIENCE"}) {
            String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.load(Map.of(),
                    ConfigSources.of(Map.of(key, "https://m\uFFFD\uFFFDller.example/-----BEGIN-" + "y".repeat(40)),
                            Map.of()))).getMessage();
            assertTrue(message.contains("holds U+FFFD at position 10") && message.contains("LC_ALL=C.UTF-8"), message);
        }
    }

    /** web.xml is read by an XML parser, code gives it as written: the locale is not blamed alone. */
    @Test
    void anInitParamHoldingTheReplacementCharacterIsNamedAsWrittenThere() {
        String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.load(
                Map.of(ConfigKeys.JWT_ISSUER, "https://m\uFFFDller.example"), ConfigSources.none())).getMessage();
        assertTrue(message.startsWith("Setting [jwt.issuer] in init-param holds U+FFFD at position 10, a replacement"
                + " character written so where it is given"), message);
    }
}
