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

    /** {@code b64url(header).b64url(payload)}: the JWS signing input. */
    public static String signingInput(String headerJson, String payloadJson) {
        return b64(headerJson) + "." + b64(payloadJson);
    }

    /** A token signed with HMAC ({@code HmacSHA256/384/512}) keyed by {@code key}. */
    public static String hmac(String javaAlgorithm, byte[] key, String headerJson, String payloadJson) {
        String input = signingInput(headerJson, payloadJson);
        return input + "." + B64URL.encodeToString(hmac(javaAlgorithm, key, input));
    }

    /** A token signed with HmacSHA256 keyed by the UTF-8 bytes of {@link TestTokens#SECRET}. */
    public static String hs256(String headerJson, String payloadJson) {
        return hmac("HmacSHA256", TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), headerJson, payloadJson);
    }

    /** A token signed with an RSA private key ({@code SHA256withRSA}). */
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

    /** A token whose third segment is exactly {@code signatureBytes}. */
    public static String withSignature(String headerJson, String payloadJson, byte[] signatureBytes) {
        return signingInput(headerJson, payloadJson) + "." + B64URL.encodeToString(signatureBytes);
    }

    /** A JSON string literal of any text, control characters, quotes and backslashes escaped. */
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

    public static String b64(String text) {
        return B64URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String b64(byte[] bytes) {
        return B64URL.encodeToString(bytes);
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
