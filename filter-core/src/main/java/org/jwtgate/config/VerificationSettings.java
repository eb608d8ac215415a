package org.jwtgate.config;

import java.net.URI;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jwtgate.internal.log.MaskedUrl;

/**
 * What a token must satisfy, and the one key source (secret, public key or JWKS) that verifies it.
 * {@link #toString()} never shows the secret.
 *
 * <pre>{@code
 * VerificationSettings verification = config.verification();
 * verification.issuer();        // what an issuer must put in iss
 * verification.algorithms();    // e.g. [HS256]
 * verification.secret();        // a copy of the HMAC key, or null for a public key or JWKS
 * }</pre>
 *
 * @since 1.0.0
 */
public record VerificationSettings(Set<SigningAlgorithm> algorithms, byte[] secret, PublicKey publicKey,
                                   URI jwksUri, int jwksRefreshSeconds, int jwksMinRefreshSeconds,
                                   String issuer, List<String> audiences, int clockSkewSeconds,
                                   int maxAgeSeconds, Set<String> requiredClaims, String type) {

    public VerificationSettings {
        algorithms = Set.copyOf(algorithms);
        secret = secret == null ? null : secret.clone();
        audiences = List.copyOf(audiences);
        requiredClaims = Set.copyOf(requiredClaims);
    }

    @Override
    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    public String keySourceDescription() {
        if (secret != null) {
            return "secret(" + secret.length + " bytes)";
        }
        if (publicKey != null) {
            return "public-key(" + publicKey.getAlgorithm() + ")";
        }
        return "jwks(" + MaskedUrl.of(jwksUri) + ")";
    }

    /** The secret's bytes, not the copy each instance holds (a record would compare the arrays' identities). */
    @Override
    public boolean equals(Object other) {
        return other instanceof VerificationSettings that && algorithms.equals(that.algorithms)
                && Arrays.equals(secret, that.secret) && Objects.equals(publicKey, that.publicKey)
                && Objects.equals(jwksUri, that.jwksUri) && jwksRefreshSeconds == that.jwksRefreshSeconds
                && jwksMinRefreshSeconds == that.jwksMinRefreshSeconds && Objects.equals(issuer, that.issuer)
                && audiences.equals(that.audiences) && clockSkewSeconds == that.clockSkewSeconds
                && maxAgeSeconds == that.maxAgeSeconds && requiredClaims.equals(that.requiredClaims)
                && Objects.equals(type, that.type);
    }

    /** Without the secret, as {@link DpopSettings#hashCode()}. */
    @Override
    public int hashCode() {
        return Objects.hash(algorithms, publicKey, jwksUri, jwksRefreshSeconds, jwksMinRefreshSeconds, issuer, audiences,
                clockSkewSeconds, maxAgeSeconds, requiredClaims, type);
    }

    @Override
    public String toString() {
        return "VerificationSettings[algorithms=" + algorithms + ", key=" + keySourceDescription()
                + ", issuer=" + issuer + ", audiences=" + audiences + ", clockSkewSeconds=" + clockSkewSeconds
                + ", maxAgeSeconds=" + maxAgeSeconds + ", requiredClaims=" + requiredClaims + ", type=" + type + "]";
    }
}
