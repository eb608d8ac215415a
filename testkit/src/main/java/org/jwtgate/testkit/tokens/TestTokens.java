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

    /** The {@code iss} of every token minted here, and the {@code jwt.issuer} of {@link #settings()}. */
    public static final String ISSUER = "https://issuer.example";
    /** The {@code aud} of every token minted here, and the {@code jwt.audience} of {@link #settings()}. */
    public static final String AUDIENCE = "jwtgate-tests";
    /** 32 bytes: the minimum for HS256. Public, so never use it outside tests. */
    public static final String SECRET = "test-secret-0123456789abcdefghij";

    private TestTokens() {
    }

    /**
     * Claims of a valid token for {@code subject}, issued now, living 10 minutes, with a fresh jti.
     *
     * @param subject the {@code sub} claim
     * @param groups  the {@code groups} claim, which JwtGate reads roles from by default ({@code claims.roles});
     *                an empty array when none are given
     * @return new claims with {@link #ISSUER} and {@link #AUDIENCE}, free to change before signing
     */
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

    /**
     * An HS256 token for {@code subject} signed with {@link #SECRET}.
     *
     * @param subject the {@code sub} claim
     * @param groups  the {@code groups} claim (roles)
     * @return a compact JWS of {@link #claims}, which a filter configured with {@link #settings()} accepts for 10
     *         minutes
     */
    public static String hs256(String subject, String... groups) {
        return sign(claims(subject, groups), AlgorithmIdentifiers.HMAC_SHA256, hmacKey(SECRET), jws -> { });
    }

    /**
     * Signs {@code claims} with jose4j, as an issuer would. Key validation is off, so a key too short or too weak
     * for the algorithm still signs, for tests of what the verifier refuses.
     *
     * @param claims    the payload
     * @param algorithm the JOSE algorithm (jose4j's {@code AlgorithmIdentifiers}), also the {@code alg} header
     * @param key       the private key, or an HMAC key such as {@link #hmacKey}
     * @param headers   sets other headers ({@code kid}, {@code typ}, ...) before signing; {@code jws -> { }} for none
     * @return the compact JWS
     * @throws IllegalStateException when jose4j cannot sign: an unknown algorithm, or a key it cannot use
     */
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

    /**
     * An HS256 token of {@code claims}, signed with {@link #SECRET}.
     *
     * @param claims the payload, e.g. {@link #claims} changed by the test
     * @return the compact JWS, its header {@code {"alg":"HS256"}}
     */
    public static String hs256(JwtClaims claims) {
        return sign(claims, AlgorithmIdentifiers.HMAC_SHA256, hmacKey(SECRET), jws -> { });
    }

    /**
     * An HMAC key of {@code secret}'s UTF-8 bytes: what {@code jwt.secret} set to that text verifies.
     *
     * @param secret the secret as text
     * @return a key for {@link #sign} with HS256, HS384 or HS512
     */
    public static Key hmacKey(String secret) {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * A time relative to now, for {@code exp}, {@code nbf} or {@code iat}.
     *
     * @param seconds how far ahead; negative for the past
     * @return a new date, to the second
     */
    public static NumericDate secondsFromNow(long seconds) {
        NumericDate date = NumericDate.now();
        date.addSeconds(seconds);
        return date;
    }

    /**
     * A new RSA 2048 key pair, e.g. for RS256 or PS256 tokens ({@link #pem} gives its {@code jwt.public-key}).
     *
     * @return a fresh pair on each call; generating one is slow, so reuse it across tests
     */
    public static KeyPair rsaKeyPair() {
        return generate("RSA", null, 2048);
    }

    /**
     * A new EC key pair.
     *
     * @param curve the JDK's name: {@code secp256r1} (ES256), {@code secp384r1} (ES384) or {@code secp521r1} (ES512)
     * @return a fresh pair on each call
     * @throws IllegalStateException for a curve the JDK does not know
     */
    public static KeyPair ecKeyPair(String curve) {
        return generate("EC", curve, 0);
    }

    /**
     * A new Ed25519 key pair, for EdDSA tokens.
     *
     * @return a fresh pair on each call
     */
    public static KeyPair ed25519KeyPair() {
        return generate("Ed25519", null, 0);
    }

    /**
     * PEM text of a public key, as an administrator would paste it into jwt.public-key.
     *
     * @param pair the key pair whose public key is written
     * @return a {@code PUBLIC KEY} (SubjectPublicKeyInfo) block, lines of 64 characters, ending with a newline
     */
    public static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /**
     * Base64url without padding, as in a compact JWS.
     *
     * @param text encoded as UTF-8
     * @return the encoded text, e.g. a token segment built by hand
     */
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

    /**
     * The init-params of a filter that accepts {@link #hs256} tokens, with an in-memory revocation store.
     *
     * @return a new, modifiable map on each call ({@code jwt.secret}, {@code jwt.issuer}, {@code jwt.audience},
     *         {@code revocation.store=memory}): a test changes or adds its own settings
     */
    public static java.util.Map<String, String> settings() {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("jwt.secret", SECRET);
        settings.put("jwt.issuer", ISSUER);
        settings.put("jwt.audience", AUDIENCE);
        settings.put("revocation.store", "memory");
        return settings;
    }
}
