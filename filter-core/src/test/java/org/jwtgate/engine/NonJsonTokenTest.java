package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testkit.tokens.RawJws;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;

/**
 * docs/security.md ("One token form only"): headers or payloads that are not JSON objects are refused
 * ({@code Rejection.MALFORMED}). jose4j's parser treats ',' and ':' almost as whitespace, takes invalid escapes, raw
 * control characters and numbers with leading zeros, and decodes bytes that are not UTF-8 as U+FFFD: a token signed
 * over such text was accepted.
 */
class NonJsonTokenTest {

    private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private static String claims(String between) {
        long now = System.currentTimeMillis() / 1000;
        return "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE + "\",\"sub\":\"alice\","
                + "\"iat\":" + now + ",\"exp\":" + (now + 600) + between + "\"jti\":\"j-1\"}";
    }

    private static String outcome(String header, String payload) {
        return outcomeOf(RawJws.hs256(header, payload));
    }

    private static String outcomeOf(String token) {
        Map<String, String> settings = new HashMap<>();
        settings.put(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER);
        settings.put(ConfigKeys.JWT_AUDIENCE, TestTokens.AUDIENCE);
        settings.put(ConfigKeys.JWT_SECRET, TestTokens.SECRET);
        settings.put(ConfigKeys.REVOCATION_STORE, "none");
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings))) {
            JwtPrincipal principal = gate.verify(token);
            return "accepted as " + principal.getName() + " with claims " + principal.claims();
        } catch (InvalidTokenException e) {
            return e.rejection().name();
        }
    }

    @ParameterizedTest(name = "payload with {0} between two members")
    @ValueSource(strings = {
        " ",            // missing comma
        ",,",           // empty member
        ", ,",
    })
    void whenThePayloadIsNotJsonThenTheTokenIsRefused(String separator) {
        assertEquals("MALFORMED", outcome(HEADER, claims(separator)));
    }

    @ParameterizedTest(name = "payload {0}")
    @ValueSource(strings = {
        "missing colon", "trailing comma", "leading comma", "invalid escape", "raw tab", "leading zero"
    })
    void whenThePayloadIsNotJsonThenTheTokenIsRefusedToo(String what) {
        String valid = claims(",");
        String payload = switch (what) {
            case "missing colon" -> valid.replace("\"sub\":\"alice\"", "\"sub\" \"alice\"");
            case "trailing comma" -> valid.replace("}", ",}");
            case "leading comma" -> valid.replaceFirst("\\{", "{,");
            case "invalid escape" -> valid.replace("\"j-1\"", "\"j\\x1\"");
            case "raw tab" -> valid.replace("\"j-1\"", "\"j\t1\"");
            case "leading zero" -> valid.replace("}", ",\"n\":007}");
            default -> throw new IllegalArgumentException(what);
        };
        assertEquals("MALFORMED", outcome(HEADER, payload));
    }

    @Test
    void whenThePayloadIsNotUtf8ThenTheTokenIsRefused() {
        byte[] claims = claims(",\"name\":\"caf\u00e9\",").getBytes(StandardCharsets.UTF_8);
        int e = indexOf(claims, (byte) 0xA9); // the second byte of é: its first alone is no UTF-8
        byte[] broken = new byte[claims.length - 1];
        System.arraycopy(claims, 0, broken, 0, e);
        System.arraycopy(claims, e + 1, broken, e, claims.length - e - 1);
        String signingInput = RawJws.b64(HEADER) + "." + RawJws.b64(broken);
        assertEquals("MALFORMED", outcomeOf(signingInput + "." + RawJws.b64(RawJws.hs256Signature(signingInput))));
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    @ParameterizedTest(name = "header {0}")
    @ValueSource(strings = {"{\"alg\":\"HS256\",}", "{\"alg\" \"HS256\"}", "{\"alg\":\"HS256\" \"typ\":\"JWT\"}"})
    void whenTheHeaderIsNotJsonThenTheTokenIsRefused(String header) {
        assertEquals("MALFORMED", outcome(header, claims(",")));
    }
}
