package org.jwtgate.bench;

import java.security.Key;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * One algorithm's key material: mints valid tokens and names the settings that make JwtGate accept
 * them. Keys are generated afresh for every instance (HS256 uses the tests' secret).
 */
public final class TokenSigner {

    /** The algorithms the benchmarks compare, by their JOSE names (also the JMH parameter values). */
    public static final List<String> ALGORITHMS = List.of("HS256", "RS256", "ES256", "EdDSA");

    /** Long enough for any benchmark run; well inside the default jwt.max-age-seconds (one day). */
    static final int TOKEN_LIFETIME_MINUTES = 180;

    private final String algorithm;
    private final Key signingKey;
    private final Map<String, String> keySettings;

    private TokenSigner(String algorithm, Key signingKey, Map<String, String> keySettings) {
        this.algorithm = algorithm;
        this.signingKey = signingKey;
        this.keySettings = Map.copyOf(keySettings);
    }

    /** @param algorithm one of {@link #ALGORITHMS} */
    public static TokenSigner create(String algorithm) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ConfigKeys.JWT_ALGORITHMS, algorithm);
        settings.put(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER);
        settings.put(ConfigKeys.JWT_AUDIENCE, TestTokens.AUDIENCE);
        Key key;
        switch (algorithm) {
            case "HS256" -> {
                key = TestTokens.hmacKey(TestTokens.SECRET);
                settings.put(ConfigKeys.JWT_SECRET, TestTokens.SECRET);
            }
            case "RS256", "ES256", "EdDSA" -> {
                KeyPair pair = switch (algorithm) {
                    case "RS256" -> TestTokens.rsaKeyPair();
                    case "ES256" -> TestTokens.ecKeyPair("secp256r1");
                    default -> TestTokens.ed25519KeyPair();
                };
                key = pair.getPrivate();
                settings.put(ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(pair));
            }
            default -> throw new IllegalArgumentException("Unknown algorithm [" + algorithm + "]; expected one of " + ALGORITHMS);
        }
        return new TokenSigner(algorithm, key, settings);
    }

    public String algorithm() {
        return algorithm;
    }

    /** jwt.algorithms, jwt.issuer, jwt.audience and the key (jwt.secret or jwt.public-key). */
    public Map<String, String> keySettings() {
        return keySettings;
    }

    /** A valid token for {@code subject} with a fresh jti. */
    public String mint(String subject) {
        JwtClaims claims = TestTokens.claims(subject, "user");
        claims.setExpirationTimeMinutesInTheFuture(TOKEN_LIFETIME_MINUTES);
        return TestTokens.sign(claims, algorithmIdentifier(), signingKey, jws -> { });
    }

    /** {@code count} distinct tokens (distinct subjects and jtis). */
    public List<String> mintPool(int count) {
        List<String> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tokens.add(mint("user-" + i));
        }
        return tokens;
    }

    private String algorithmIdentifier() {
        return switch (algorithm) {
            case "HS256" -> AlgorithmIdentifiers.HMAC_SHA256;
            case "RS256" -> AlgorithmIdentifiers.RSA_USING_SHA256;
            case "ES256" -> AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
            default -> AlgorithmIdentifiers.EDDSA;
        };
    }
}
