package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The issuer's public key as text anyone can read (its PEM, its JWK set), in base64: {@code jwt.secret} refused the PEM
 * and the JWK as text, the PEM's body, its DER in {@code base64:} and the JWK in {@code base64:}, but took these, and
 * anyone holding the public key could sign HS256 tokens with any roles.
 */
class PublicKeyTextInBase64AsSecretTest {

    static Stream<Arguments> publishedTextInBase64() throws Exception {
        KeyPair pair = TestTokens.rsaKeyPair();
        String pem = TestTokens.pem(pair);
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        jwk.setKeyId("k1");
        String jwks = new JsonWebKeySet(List.<JsonWebKey>of(jwk)).toJson();
        return Stream.of(
                Arguments.of("the PEM in base64: (the HMAC key is the PEM's text)", "base64:" + base64(pem)),
                Arguments.of("the PEM base64-encoded, as text (base64 -w0 public.pem)", base64(pem)),
                Arguments.of("the JWK set base64-encoded, as text", base64(jwks)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publishedTextInBase64")
    void whenTheSecretIsPublishedKeyTextInBase64ThenTheStartIsRefused(String description, String secret) {
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.JWT_SECRET, secret);
        String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(settings), description)
                .getMessage();
        assertTrue(message.contains("[jwt.secret]"), message);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
