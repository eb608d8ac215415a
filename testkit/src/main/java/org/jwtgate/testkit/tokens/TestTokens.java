package org.jwtgate.testkit.tokens;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Mints real signed tokens for tests. Defaults match {@link #settings()}: issuer, audience,
 * HS256 secret; every claim and header can be changed per token.
 */
public final class TestTokens {

    public static final String ISSUER = "https://issuer.example";
    public static final String AUDIENCE = "jwtgate-tests";
    /** 32 bytes: the minimum for HS256. */
    public static final String SECRET = "test-secret-0123456789abcdefghij";

    private TestTokens() {
    }

    /** Claims of a valid token for {@code sub}, issued now, living 10 minutes, with a fresh jti. */
    public static JwtClaims claims(String subject, String... groups) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setStringListClaim("groups", List.of(groups));
        return claims;
    }

    /** An HS256 token for {@code sub} signed with {@link #SECRET}. */
    public static String hs256(String subject, String... groups) {
        return sign(claims(subject, groups), AlgorithmIdentifiers.HMAC_SHA256, hmacKey(SECRET), jws -> { });
    }

    public static String sign(JwtClaims claims, String algorithm, Key key, Consumer<JsonWebSignature> headers) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        headers.accept(jws);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hs256(JwtClaims claims) {
        return sign(claims, AlgorithmIdentifiers.HMAC_SHA256, hmacKey(SECRET), jws -> { });
    }

    public static Key hmacKey(String secret) {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public static NumericDate secondsFromNow(long seconds) {
        NumericDate date = NumericDate.now();
        date.addSeconds(seconds);
        return date;
    }

    public static KeyPair rsaKeyPair() {
        return generate("RSA", null, 2048);
    }

    public static KeyPair ecKeyPair(String curve) {
        return generate("EC", curve, 0);
    }

    public static KeyPair ed25519KeyPair() {
        return generate("Ed25519", null, 0);
    }

    /** PEM text of a public key, as an administrator would paste it into jwt.public-key. */
    public static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** Base64url without padding, as in a compact JWS. */
    public static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair generate(String algorithm, String curve, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                generator.initialize(new ECGenParameterSpec(curve));
            } else if (bits > 0) {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The init-params of a filter that accepts {@link #hs256} tokens, with an in-memory revocation store. */
    public static java.util.Map<String, String> settings() {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("jwt.secret", SECRET);
        settings.put("jwt.issuer", ISSUER);
        settings.put("jwt.audience", AUDIENCE);
        settings.put("revocation.store", "memory");
        return settings;
    }
}
