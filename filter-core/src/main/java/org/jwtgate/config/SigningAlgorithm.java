package org.jwtgate.config;

import java.util.Locale;

/**
 * The JWS algorithms JwtGate can accept. {@code none} is deliberately absent.
 *
 * <pre>{@code
 * SigningAlgorithm.byJoseName("ES256").family();   // EC
 * SigningAlgorithm.HS256.minimumSecretBytes();      // 32
 * }</pre>
 *
 * @since 1.0.0
 */
public enum SigningAlgorithm {
    HS256(Family.HMAC, 32), HS384(Family.HMAC, 48), HS512(Family.HMAC, 64),
    RS256(Family.RSA, 0), RS384(Family.RSA, 0), RS512(Family.RSA, 0),
    PS256(Family.RSA, 0), PS384(Family.RSA, 0), PS512(Family.RSA, 0),
    ES256(Family.EC, 0), ES384(Family.EC, 0), ES512(Family.EC, 0),
    EdDSA(Family.EDDSA, 0);

    /** Key families: an allowlist never mixes HMAC with a public-key family. */
    public enum Family { HMAC, RSA, EC, EDDSA }

    private final Family family;
    private final int minimumSecretBytes;

    SigningAlgorithm(Family family, int minimumSecretBytes) {
        this.family = family;
        this.minimumSecretBytes = minimumSecretBytes;
    }

    public Family family() {
        return family;
    }

    public boolean isHmac() {
        return family == Family.HMAC;
    }

    /** RFC 7518 §3.2: an HMAC key must be at least as long as the hash output. */
    public int minimumSecretBytes() {
        return minimumSecretBytes;
    }

    /** The JOSE name, exact case ({@code EdDSA}); null for an unknown name. */
    public static SigningAlgorithm byJoseName(String name) {
        for (SigningAlgorithm algorithm : values()) {
            if (algorithm.name().equals(name)) {
                return algorithm;
            }
        }
        return null;
    }

    /** Case-insensitive lookup, for configuration only (JOSE headers are matched exactly). */
    public static SigningAlgorithm byConfiguredName(String name) {
        for (SigningAlgorithm algorithm : values()) {
            if (algorithm.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return algorithm;
            }
        }
        return null;
    }
}
