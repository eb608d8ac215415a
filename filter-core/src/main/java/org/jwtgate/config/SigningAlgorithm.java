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
    /** HMAC with SHA-256; a secret of at least 32 bytes. */
    HS256(Family.HMAC, 32),
    /** HMAC with SHA-384; a secret of at least 48 bytes. */
    HS384(Family.HMAC, 48),
    /** HMAC with SHA-512; a secret of at least 64 bytes. */
    HS512(Family.HMAC, 64),
    /** RSASSA-PKCS1-v1_5 with SHA-256, an RSA key. */
    RS256(Family.RSA, 0),
    /** RSASSA-PKCS1-v1_5 with SHA-384, an RSA key. */
    RS384(Family.RSA, 0),
    /** RSASSA-PKCS1-v1_5 with SHA-512, an RSA key. */
    RS512(Family.RSA, 0),
    /** RSASSA-PSS with SHA-256 and MGF1 with SHA-256, an RSA key. */
    PS256(Family.RSA, 0),
    /** RSASSA-PSS with SHA-384 and MGF1 with SHA-384, an RSA key. */
    PS384(Family.RSA, 0),
    /** RSASSA-PSS with SHA-512 and MGF1 with SHA-512, an RSA key. */
    PS512(Family.RSA, 0),
    /** ECDSA on P-256 with SHA-256. */
    ES256(Family.EC, 0),
    /** ECDSA on P-384 with SHA-384. */
    ES384(Family.EC, 0),
    /** ECDSA on P-521 with SHA-512. */
    ES512(Family.EC, 0),
    /** EdDSA (RFC 8037) with an Edwards-curve key, such as Ed25519. */
    EdDSA(Family.EDDSA, 0);

    /** Key families: an allowlist never mixes HMAC with a public-key family. */
    public enum Family {
        /** A shared secret ({@code HS*}). */
        HMAC,
        /** An RSA public key ({@code RS*}, {@code PS*}). */
        RSA,
        /** An elliptic-curve public key ({@code ES*}). */
        EC,
        /** An Edwards-curve public key ({@code EdDSA}). */
        EDDSA
    }

    private final Family family;
    private final int minimumSecretBytes;

    SigningAlgorithm(Family family, int minimumSecretBytes) {
        this.family = family;
        this.minimumSecretBytes = minimumSecretBytes;
    }

    /**
     * The kind of key this algorithm verifies with.
     *
     * @return the key family; never null
     */
    public Family family() {
        return family;
    }

    /**
     * Whether this algorithm verifies with a shared secret rather than a public key.
     *
     * @return {@code true} for {@code HS256}, {@code HS384} and {@code HS512}
     */
    public boolean isHmac() {
        return family == Family.HMAC;
    }

    /**
     * RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.
     *
     * @return the shortest secret accepted, in bytes (32, 48 or 64); {@code 0} for a public-key algorithm
     */
    public int minimumSecretBytes() {
        return minimumSecretBytes;
    }

    /**
     * Looks an algorithm up by the name a JOSE header carries, in its exact case.
     *
     * @param name an {@code alg} value, such as {@code EdDSA}
     * @return the algorithm, or {@code null} for an unknown name (also {@code none}, or another case)
     */
    public static SigningAlgorithm byJoseName(String name) {
        for (SigningAlgorithm algorithm : values()) {
            if (algorithm.name().equals(name)) {
                return algorithm;
            }
        }
        return null;
    }

    /**
     * Case-insensitive lookup, for configuration only (JOSE headers are matched exactly).
     *
     * @param name an algorithm as a setting names it, such as {@code es256}
     * @return the algorithm, or {@code null} for an unknown name
     */
    public static SigningAlgorithm byConfiguredName(String name) {
        for (SigningAlgorithm algorithm : values()) {
            if (algorithm.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return algorithm;
            }
        }
        return null;
    }
}
