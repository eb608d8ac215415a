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
 * @param algorithms            {@code jwt.algorithms} in effect (configured or inferred from the key): the exact
 *                              allowlist
 * @param secret                the HMAC key ({@code jwt.secret}'s bytes), or {@code null} for a public key or JWKS
 * @param publicKey             {@code jwt.public-key}'s key, or {@code null} for a secret or JWKS
 * @param jwksUri               {@code jwt.jwks-uri}, or {@code null} for a secret or public key
 * @param jwksRefreshSeconds    {@code jwt.jwks-refresh-seconds}: period of the scheduled JWKS refresh once a fetch
 *                              succeeded
 * @param jwksMinRefreshSeconds {@code jwt.jwks-min-refresh-seconds}: the least interval before an unknown
 *                              {@code kid} refreshes the set, and the delay of the next scheduled try after a
 *                              failed fetch
 * @param issuer                {@code jwt.issuer}: the exact {@code iss} a token must carry
 * @param audiences             {@code jwt.audience}: one of these must be in {@code aud}; empty: {@code aud} is not
 *                              checked
 * @param clockSkewSeconds      {@code jwt.clock-skew-seconds}: leeway for {@code exp}, {@code nbf} and {@code iat}
 * @param maxAgeSeconds         {@code jwt.max-age-seconds}: the longest lifetime or age a token may have
 * @param requiredClaims        {@code jwt.required-claims}: the claims every token must carry
 * @param type                  {@code jwt.type}: the media type {@code typ} must name, or {@code null} when not
 *                              checked
 * @since 1.0.0
 */
public record VerificationSettings(Set<SigningAlgorithm> algorithms, byte[] secret, PublicKey publicKey,
                                   URI jwksUri, int jwksRefreshSeconds, int jwksMinRefreshSeconds,
                                   String issuer, List<String> audiences, int clockSkewSeconds,
                                   int maxAgeSeconds, Set<String> requiredClaims, String type) {

    /**
     * Copies the collections and the secret, so later changes to the arguments do not reach these settings.
     *
     * @param algorithms            the exact algorithm allowlist
     * @param secret                the HMAC key, or {@code null}
     * @param publicKey             the public key, or {@code null}
     * @param jwksUri               the JWKS URL, or {@code null}
     * @param jwksRefreshSeconds    period of the scheduled JWKS refresh
     * @param jwksMinRefreshSeconds least interval before an unknown {@code kid} refreshes the set
     * @param issuer                the exact expected {@code iss}
     * @param audiences             accepted {@code aud} values; empty: not checked
     * @param clockSkewSeconds      leeway for {@code exp}, {@code nbf} and {@code iat}
     * @param maxAgeSeconds         the longest lifetime or age a token may have
     * @param requiredClaims        the claims every token must carry
     * @param type                  the media type {@code typ} must name, or {@code null}
     * @throws NullPointerException when {@code algorithms}, {@code audiences} or {@code requiredClaims} is null
     */
    public VerificationSettings {
        algorithms = Set.copyOf(algorithms);
        secret = secret == null ? null : secret.clone();
        audiences = List.copyOf(audiences);
        requiredClaims = Set.copyOf(requiredClaims);
    }

    /**
     * The HMAC key.
     *
     * @return a fresh copy of the secret's bytes, or {@code null} for a public key or JWKS
     */
    @Override
    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    /**
     * The key source as the start-up log shows it, without key material.
     *
     * @return {@code secret(<n> bytes)}, {@code public-key(<key type>)} (the key's JCA algorithm, such as {@code RSA}
     *         or {@code EC}, not the JWS one) or {@code jwks(<URL>)}, the URL's user part, query values and fragment
     *         masked
     */
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
