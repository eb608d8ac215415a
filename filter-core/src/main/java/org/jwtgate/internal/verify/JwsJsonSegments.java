package org.jwtgate.internal.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jose4j.jws.JsonWebSignature;

/**
 * Whether the header and payload of a JWS are UTF-8 JSON text (RFC 7515 §7.1, RFC 8259), checked before jose4j's
 * parser reads them: that parser is lenient, and took a header or claims set without its colons or commas, with
 * trailing commas, invalid escapes, raw control characters or leading zeros, and bytes that are no UTF-8 as U+FFFD —
 * claims another reader of the same signed token would refuse, or read otherwise.
 */
final class JwsJsonSegments {

    private JwsJsonSegments() {
    }

    /**
     * As a token's key is resolved ({@link JwtVerifier}), before its signature is checked. The payload of a nested
     * token ({@code cty} JWT) is a token, not JSON: the header rules refuse it as such.
     *
     * @throws NotJson when the header or payload is not JSON text
     */
    static void requireJson(JsonWebSignature jws) {
        Object type = jws.getHeaders().getObjectHeaderValue("cty");
        boolean nested = type instanceof String cty && (cty.equalsIgnoreCase("JWT") || cty.equalsIgnoreCase("application/jwt"));
        if (!isJson(jws.getHeaders().getEncodedHeader()) || (!nested && !isJson(jws.getEncodedPayload()))) {
            throw new NotJson();
        }
    }

    /** @param compact three non-empty segments of base64url characters (the caller checked the form) */
    static boolean areJson(String compact) {
        int first = compact.indexOf('.');
        int second = compact.indexOf('.', first + 1);
        return isJson(compact.substring(0, first)) && isJson(compact.substring(first + 1, second));
    }

    private static boolean isJson(String base64url) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(base64url);
            JsonSyntax.check(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
            return true;
        } catch (IllegalArgumentException | IOException e) { // not base64url, not UTF-8, not JSON
            return false;
        }
    }

    /** Thrown out of jose4j's processing to stop it early; found among the causes by {@link JwtVerifier}. */
    static final class NotJson extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotJson() {
            super("a JWS header or payload that is not JSON text", null, false, false);
        }
    }
}
