package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwt.consumer.TypeValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.verify.Rejection;

/**
 * A {@code typ} without '/' is taken as it is, as jose4j's TypeValidator took it: white space or a control character
 * around it names no media type (RFC 9110 §5.6.2: a token holds neither). {@code String.trim()} would have dropped
 * every character up to U+0020 (NUL, ESC...) and let these pass.
 */
class TypHeaderAroundTest {

    @ParameterizedTest(name = "typ [{0}]")
    @ValueSource(strings = {"at+jwt\u0000", "\u0001at+jwt", "at+jwt\u001b", " at+jwt", "at+jwt\t"})
    void whenTypHoldsControlOrWhiteSpaceAroundItThenRefusedAsJose4jDid(String type) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", type);
        // What JwtGate ran before its own comparison: jose4j's TypeValidator (setExpectedType(true, "at+jwt")).
        assertNotNull(new TypeValidator(true, "at+jwt").validate(new JwtContext("unused", new JwtClaims(), List.of(jws))),
                "jose4j refused it");
        try (JwtVerifier verifier = JwtVerifierTest.hs256Verifier(ConfigKeys.JWT_TYPE, "at+jwt")) {
            assertAll(() -> assertEquals(null, JwtVerifier.TypeHeaderValidator.mediaType(type), "names no media type"),
                    () -> assertEquals(Rejection.TYPE_INVALID, JwtVerifierTest.rejectionOf(verifier,
                            JwtVerifierTest.hs256(JwtVerifierTest.valid(), j -> j.setHeader("typ", type)))));
        }
    }
}
