package org.jwtgate.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Turns the {@code jwt.secret} setting into HMAC key bytes.
 *
 * <pre>{@code
 * byte[] key = SecretKeys.decode("base64:q83vEjRWeJA…");   // or plain text: its UTF-8 bytes
 * }</pre>
 *
 * @since 1.0.0
 */
public final class SecretKeys {

    public static final String BASE64_PREFIX = "base64:";

    private SecretKeys() {
    }

    /**
     * Text is taken as its UTF-8 bytes; {@code base64:…} is decoded (standard or URL-safe alphabet; line breaks and
     * spaces in it are ignored).
     *
     * @throws IllegalArgumentException when the base64 form does not decode, or its prefix is not in lower case, or
     *                                  the text is a PEM block (the message never holds the value)
     */
    public static byte[] decode(String secret) {
        if (!secret.startsWith(BASE64_PREFIX)) {
            if (secret.regionMatches(true, 0, BASE64_PREFIX, 0, BASE64_PREFIX.length())) {
                // "Base64:…" taken as text would pass the length check, and then every token would be refused.
                throw new IllegalArgumentException("the prefix base64: must be written in lower case");
            }
            if (secret.contains("-----BEGIN ")) {
                // A public key or certificate pasted where the secret goes: its text, public, would sign HS256 tokens.
                throw new IllegalArgumentException("it holds a PEM block (a key or a certificate), which is no shared "
                        + "secret; a public key is set with [" + ConfigKeys.JWT_PUBLIC_KEY + "]");
            }
            return secret.getBytes(StandardCharsets.UTF_8);
        }
        // A secret may span lines (a web.xml value, a file of wrapped base64): the breaks are not base64 text.
        String encoded = secret.substring(BASE64_PREFIX.length()).replaceAll("\\s+", "");
        try {
            return encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(encoded)
                    : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the base64: value is not valid base64");
        }
    }
}
