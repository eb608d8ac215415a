package org.jwtgate.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

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

    /**
     * Marks a secret written in base64, {@code base64:q83v…}; only in lower case ({@code Base64:…} is refused, not
     * taken as text). A value without it is text.
     */
    public static final String BASE64_PREFIX = "base64:";
    private static final Pattern JWK_MEMBER = Pattern.compile("\"kty\"\\s*:");
    private SecretKeys() {
    }

    /**
     * {@code text} with every secret written as {@code base64:…} replaced by {@code base64:****}: a message quoting a
     * value given in the wrong place (a secret pasted as {@code jwt.algorithms}, as a file name, as a CLI option) must
     * not print it, wrapped or spaced as {@link #decode} takes it either. A secret written as plain text cannot be told
     * from other text; only its own key masks it.
     *
     * <pre>{@code
     * SecretKeys.hidden("Illegal value for setting [jwt.algorithms]: [base64:q83vEjRWeJASNFZ4kKvN7w==]");
     * // Illegal value for setting [jwt.algorithms]: [base64:****]
     * }</pre>
     *
     * @param text a message or a value; null stays null
     * @return the text, each {@code base64:} secret in it masked
     * @since 1.1.0
     */
    public static String hidden(String text) {
        return text == null ? null : WrittenSecrets.masked(text);
    }

    /**
     * Text is taken as its UTF-8 bytes; {@code base64:…} is decoded (standard or URL-safe alphabet; line breaks and
     * spaces in it are ignored).
     *
     * @param secret {@code jwt.secret}'s value: text, or {@code base64:} and the key in base64
     * @return the HMAC key's bytes (a new array); not checked against an algorithm's minimum length
     * @throws IllegalArgumentException when the base64 form does not decode, or its prefix is not in lower case, or
     *                                  the text is a PEM block, a public key or certificate in base64, or a JWK
     *                                  or JWK set, as text or in base64 (the message never holds the value)
     */
    public static byte[] decode(String secret) {
        if (!secret.startsWith(BASE64_PREFIX)) {
            if (secret.regionMatches(true, 0, BASE64_PREFIX, 0, BASE64_PREFIX.length())) {
                // "Base64:…" taken as text would pass the length check, and then every token would be refused.
                throw new IllegalArgumentException("the prefix base64: must be written in lower case");
            }
            refusePublishedText(secret);
            byte[] decoded = null;
            try {
                decoded = Base64.getDecoder().decode(secret.replaceAll("\\s+", ""));
            } catch (IllegalArgumentException notBase64) {
                // text, as it should be
            }
            if (decoded != null) {
                // The base64 of a PEM or a JWK (a Kubernetes secret's data value, base64 -w0 public.pem) is as
                // public: anyone holding the key's text computes it.
                refuseKeyMaterial(decoded);
                refusePublishedText(new String(decoded, StandardCharsets.ISO_8859_1));
            }
            return secret.getBytes(StandardCharsets.UTF_8);
        }
        // A secret may span lines (a web.xml value, a file of wrapped base64): the breaks are not base64 text.
        String encoded = secret.substring(BASE64_PREFIX.length()).replaceAll("\\s+", "");
        boolean urlSafe = encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0;
        byte[] key;
        try {
            key = urlSafe ? Base64.getUrlDecoder().decode(encoded) : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the base64: value is not valid base64");
        }
        // java.util.Base64 drops the bits of a last character that no byte uses: a key cut short by a character or two
        // in a copy decoded to another, shorter key, which the start took and every token then failed against.
        String canonical = (urlSafe ? Base64.getUrlEncoder() : Base64.getEncoder()).withoutPadding().encodeToString(key);
        if (!canonical.equals(encoded.replaceFirst("=+$", ""))) {
            throw new IllegalArgumentException("the base64: value is not valid base64: its last character holds bits no "
                    + "byte uses (was it cut short?)");
        }
        refuseKeyMaterial(key);
        refusePublishedText(new String(key, StandardCharsets.ISO_8859_1));
        return key;
    }

    /** A PEM block or a JWK (set): text a key server or a certificate store shows anyone. */
    private static void refusePublishedText(String text) {
        if (text.contains("-----BEGIN ")) {
            // A public key or certificate pasted where the secret goes: its text, public, would sign HS256 tokens.
            throw new IllegalArgumentException("it holds a PEM block (a key or a certificate), which is no shared "
                    + "secret; a public key is set with [" + ConfigKeys.JWT_PUBLIC_KEY + "]");
        }
        refuseJsonWebKey(text);
    }

    /**
     * A JWK or a JWK set (a JSON object with a {@code kty} member), as {@code jwt.jwks-uri} answers anyone: its text is
     * as public as a PEM, and anyone could sign HS256 tokens with it. A symmetric JWK's secret is its {@code k}.
     */
    private static void refuseJsonWebKey(String text) {
        if (text.strip().startsWith("{") && JWK_MEMBER.matcher(text).find()) {
            throw new IllegalArgumentException("it is a JSON Web Key (a JWK or a JWK set, as a key server publishes), "
                    + "which is no shared secret; a key server's keys are set with [" + ConfigKeys.JWT_JWKS_URI
                    + "], a public key with [" + ConfigKeys.JWT_PUBLIC_KEY + "] (of a symmetric JWK, write its k as "
                    + "base64:…)");
        }
    }

    /**
     * A PEM's body without its armour (how Keycloak publishes a realm's public key), taken as text or decoded, is
     * as public as the PEM: anyone could sign HS256 tokens with it. Refused when it is a DER public key or
     * certificate; a random secret never is one.
     */
    private static void refuseKeyMaterial(byte[] der) {
        if (der.length == 0 || der[0] != 0x30) {
            return; // not a DER SEQUENCE
        }
        String kind = PemKeys.certificateKeyOrNull(der) != null ? "certificate"
                : PemKeys.decodePublicKey(der) != null ? "public key" : null;
        if (kind != null) {
            throw new IllegalArgumentException("it is a " + kind + " in base64 (a PEM's body), which is no shared "
                    + "secret; a public key is set with [" + ConfigKeys.JWT_PUBLIC_KEY + "]");
        }
    }
}
