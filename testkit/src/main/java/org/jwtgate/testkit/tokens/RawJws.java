package org.jwtgate.testkit.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds compact JWS strings byte by byte, for tokens no well-behaved library would produce:
 * duplicate member names, non-JSON payloads, {@code alg} spellings of {@code none}, HMAC keyed
 * with a public key's bytes. The header and payload are taken verbatim.
 */
public final class RawJws {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private RawJws() {
    }

    /**
     * {@code b64url(header).b64url(payload)}: the JWS signing input.
     *
     * @param headerJson  the header, verbatim (encoded as UTF-8)
     * @param payloadJson the payload, verbatim: it need not be JSON
     * @return the first two segments; add {@code "."} for an unsigned ({@code none}) token
     */
    public static String signingInput(String headerJson, String payloadJson) {
        return b64(headerJson) + "." + b64(payloadJson);
    }

    /**
     * A token signed with HMAC ({@code HmacSHA256/384/512}) keyed by {@code key}.
     *
     * @param javaAlgorithm the JDK's MAC name, whatever {@code alg} the header claims
     * @param key           the key's raw bytes, of any length but 0 (e.g. a public key's, for key confusion)
     * @param headerJson    the header, verbatim
     * @param payloadJson   the payload, verbatim
     * @return the compact JWS
     * @throws IllegalStateException when the JDK knows no such MAC
     * @throws IllegalArgumentException when {@code key} is empty
     */
    public static String hmac(String javaAlgorithm, byte[] key, String headerJson, String payloadJson) {
        String input = signingInput(headerJson, payloadJson);
        return input + "." + B64URL.encodeToString(hmac(javaAlgorithm, key, input));
    }

    /**
     * A token signed with HmacSHA256 keyed by the UTF-8 bytes of {@link TestTokens#SECRET}.
     *
     * @param headerJson  the header, verbatim
     * @param payloadJson the payload, verbatim
     * @return the compact JWS, whose signature a filter configured with {@link TestTokens#settings()} verifies
     */
    public static String hs256(String headerJson, String payloadJson) {
        return hmac("HmacSHA256", TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), headerJson, payloadJson);
    }

    /**
     * A token signed with an RSA private key ({@code SHA256withRSA}).
     *
     * @param key         an RSA private key
     * @param headerJson  the header, verbatim
     * @param payloadJson the payload, verbatim
     * @return the compact JWS
     * @throws IllegalStateException when {@code key} is not an RSA private key
     */
    public static String rs256(PrivateKey key, String headerJson, String payloadJson) {
        String input = signingInput(headerJson, payloadJson);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A token whose third segment is exactly {@code signatureBytes}.
     *
     * @param headerJson     the header, verbatim
     * @param payloadJson    the payload, verbatim
     * @param signatureBytes any bytes (all zeros, a DER signature where JWS wants R‖S, ...); empty leaves the third
     *                       segment empty
     * @return the compact JWS
     */
    public static String withSignature(String headerJson, String payloadJson, byte[] signatureBytes) {
        return signingInput(headerJson, payloadJson) + "." + B64URL.encodeToString(signatureBytes);
    }

    /**
     * A JSON string literal of any text, control characters, quotes and backslashes escaped.
     *
     * @param text any text, e.g. a hostile {@code kid} with a NUL character
     * @return the literal, quotes included, each escaped character written as <code>&#92;u00XX</code>: for a header
     *         written by hand
     */
    public static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * Base64url without padding of {@code text}'s UTF-8 bytes: one segment of a compact JWS.
     *
     * @param text a header, a payload, anything
     * @return the segment
     */
    public static String b64(String text) {
        return B64URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Base64url without padding: one segment of a compact JWS.
     *
     * @param bytes e.g. a signature made by hand
     * @return the segment
     */
    public static String b64(byte[] bytes) {
        return B64URL.encodeToString(bytes);
    }

    /**
     * The HS256 signature of a signing input, keyed as {@link #hs256}: for a token whose segments are made by hand
     * (a payload that is no UTF-8, say).
     *
     * @param signingInput the first two segments and the dot between them
     * @return the signature's bytes
     */
    public static byte[] hs256Signature(String signingInput) {
        return hmac("HmacSHA256", TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), signingInput);
    }

    private static byte[] hmac(String javaAlgorithm, byte[] key, String input) {
        try {
            Mac mac = Mac.getInstance(javaAlgorithm);
            mac.init(new SecretKeySpec(key, javaAlgorithm));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
