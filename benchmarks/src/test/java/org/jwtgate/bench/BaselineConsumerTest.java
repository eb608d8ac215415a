package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.internal.verify.JwtVerifier;

/** The baseline must accept and refuse exactly what JwtGate's verifier does, or the comparison is unfair. */
class BaselineConsumerTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("hs256Tokens")
    void whenHs256TokenIsCheckedThenBaselineAndVerifierAgree(String description, String token, boolean valid) {
        assertAgreement(TokenSigner.create("HS256"), token, valid);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void whenTokenOfEachAlgorithmIsCheckedThenBothAcceptItsOwnKeyOnly(String algorithm) {
        TokenSigner signer = TokenSigner.create(algorithm);
        assertAgreement(signer, signer.mint("alice"), true);
        if (!algorithm.equals("HS256")) { // the HS256 signer always uses the tests' secret
            assertAgreement(signer, TokenSigner.create(algorithm).mint("alice"), false);
        }
    }

    static Stream<String> algorithms() {
        return TokenSigner.ALGORITHMS.stream();
    }

    static Stream<Arguments> hs256Tokens() {
        return Stream.of(
                Arguments.of("valid", TestTokens.hs256("alice"), true),
                Arguments.of("expired", hs256(c -> {
                    c.setIssuedAt(TestTokens.secondsFromNow(-7200));
                    c.setExpirationTime(TestTokens.secondsFromNow(-3600));
                }), false),
                Arguments.of("issued in the future", hs256(c -> c.setIssuedAt(TestTokens.secondsFromNow(3600))), false),
                Arguments.of("lifetime beyond max age", hs256(c -> c.setExpirationTime(TestTokens.secondsFromNow(3 * 86400))), false),
                Arguments.of("wrong issuer", hs256(c -> c.setIssuer("https://other.example")), false),
                Arguments.of("wrong audience", hs256(c -> c.setAudience("someone-else")), false),
                Arguments.of("no jti", hs256(c -> c.unsetClaim("jti")), false),
                Arguments.of("no iat", hs256(c -> c.unsetClaim("iat")), false),
                Arguments.of("other secret", TestTokens.sign(TestTokens.claims("alice"), AlgorithmIdentifiers.HMAC_SHA256,
                        TestTokens.hmacKey("another-secret-0123456789abcdefgh"), jws -> { }), false),
                Arguments.of("HS384 not allowed", TestTokens.sign(TestTokens.claims("alice"), AlgorithmIdentifiers.HMAC_SHA384,
                        TestTokens.hmacKey(TestTokens.SECRET), jws -> { }), false),
                Arguments.of("b64 header", TestTokens.sign(TestTokens.claims("alice"), AlgorithmIdentifiers.HMAC_SHA256,
                        TestTokens.hmacKey(TestTokens.SECRET), BaselineConsumerTest::unencodedPayload), false),
                Arguments.of("crit header", TestTokens.sign(TestTokens.claims("alice"), AlgorithmIdentifiers.HMAC_SHA256,
                        TestTokens.hmacKey(TestTokens.SECRET), BaselineConsumerTest::criticalKeyId), false));
    }

    private static String hs256(Consumer<JwtClaims> change) {
        JwtClaims claims = TestTokens.claims("alice");
        change.accept(claims);
        return TestTokens.hs256(claims);
    }

    private static void unencodedPayload(JsonWebSignature jws) {
        jws.getHeaders().setObjectHeaderValue("b64", true);
        jws.setCriticalHeaderNames("b64");
    }

    private static void criticalKeyId(JsonWebSignature jws) {
        jws.setKeyIdHeaderValue("k1");
        jws.setCriticalHeaderNames("kid");
    }

    private static void assertAgreement(TokenSigner signer, String token, boolean valid) {
        Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
        settings.put(ConfigKeys.REVOCATION_STORE, "none");
        JwtGateConfig config = JwtGateConfig.of(settings);
        JwtConsumer baseline = BaselineConsumer.like(config);
        try (JwtVerifier verifier = JwtVerifier.create(config.verification(), config.token())) {
            assertEquals(valid, accepts(verifier, token), "JwtGate's verifier");
            assertEquals(valid, accepts(baseline, token), "the baseline consumer");
        }
    }

    private static boolean accepts(JwtVerifier verifier, String token) {
        try {
            verifier.verify(token);
            return true;
        } catch (InvalidTokenException e) {
            return false;
        }
    }

    private static boolean accepts(JwtConsumer consumer, String token) {
        try {
            consumer.process(token);
            return true;
        } catch (Exception e) { // InvalidJwtException, or the header policy's refusal
            return false;
        }
    }
}
