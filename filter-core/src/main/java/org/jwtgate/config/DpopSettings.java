package org.jwtgate.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * DPoP (RFC 9449): whether sender-constrained tokens are accepted or required, which proofs are
 * acceptable, and the server-issued nonces. {@link #toString()} never shows the nonce secret.
 *
 * <pre>{@code
 * DpopSettings dpop = config.dpop();
 * dpop.mode();                 // OFF unless dpop.mode is set
 * dpop.algorithms();           // [ES256, EdDSA, RS256, PS256] by default: the algs of a DPoP challenge
 * dpop.proofMaxAgeSeconds();   // 60
 * dpop.nonceRequired();        // dpop.nonce=required
 * }</pre>
 *
 * @param mode                 {@code dpop.mode}
 * @param algorithms           {@code dpop.algorithms}, in the configured order (public-key algorithms only)
 * @param proofMaxAgeSeconds   {@code dpop.proof-max-age-seconds}: how old a proof's {@code iat} may be
 * @param nonceRequired        {@code dpop.nonce=required}
 * @param nonceSecret          {@code dpop.nonce-secret} (a copy), or {@code null} when nonces are off
 * @param nonceLifetimeSeconds {@code dpop.nonce-lifetime-seconds}
 * @param publicBaseUrl        {@code dpop.public-base-url}: {@code scheme://host[:port]} the clients call, or {@code null}
 * @since 1.0.0
 */
public record DpopSettings(Mode mode, List<SigningAlgorithm> algorithms, int proofMaxAgeSeconds, boolean nonceRequired,
                           byte[] nonceSecret, int nonceLifetimeSeconds, URI publicBaseUrl) {

    /** {@code dpop.mode}. */
    public enum Mode {
        /** No DPoP: the {@code DPoP} scheme is not recognised, {@code cnf} is ignored. */
        OFF,
        /** DPoP-bound tokens need the DPoP scheme and a valid proof; plain bearer tokens still pass. */
        ALLOWED,
        /** Only DPoP-bound tokens with a valid proof pass. */
        REQUIRED
    }

    /** DPoP off: what a configuration without any {@code dpop.*} key produces. */
    public static final DpopSettings OFF = new DpopSettings(Mode.OFF,
            List.of(SigningAlgorithm.ES256, SigningAlgorithm.EdDSA, SigningAlgorithm.RS256, SigningAlgorithm.PS256),
            60, false, null, 300, null);

    /**
     * Copies the algorithms and the nonce secret, so later changes to the arguments do not reach these settings.
     *
     * @param mode                 {@code dpop.mode}
     * @param algorithms           {@code dpop.algorithms}, in the configured order
     * @param proofMaxAgeSeconds   {@code dpop.proof-max-age-seconds}
     * @param nonceRequired        {@code dpop.nonce=required}
     * @param nonceSecret          {@code dpop.nonce-secret}'s bytes, or {@code null} when nonces are off
     * @param nonceLifetimeSeconds {@code dpop.nonce-lifetime-seconds}
     * @param publicBaseUrl        {@code dpop.public-base-url}, or {@code null}
     * @throws NullPointerException when {@code mode} or {@code algorithms} is null
     */
    public DpopSettings {
        Objects.requireNonNull(mode, "mode");
        algorithms = List.copyOf(algorithms);
        nonceSecret = nonceSecret == null ? null : nonceSecret.clone();
    }

    /**
     * Whether the DPoP scheme is recognised at all.
     *
     * @return {@code true} for {@code allowed} and {@code required}
     */
    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /**
     * The nonce HMAC key.
     *
     * @return a fresh copy of {@code dpop.nonce-secret}'s bytes, or {@code null} when nonces are off
     */
    @Override
    public byte[] nonceSecret() {
        return nonceSecret == null ? null : nonceSecret.clone();
    }

    /**
     * The {@code algs} value of a DPoP challenge (RFC 9449 §7.1).
     *
     * @return the algorithms' JOSE names, space-separated, in the configured order, e.g. {@code ES256 EdDSA}
     */
    public String challengeAlgorithms() {
        return String.join(" ", algorithms.stream().map(Enum::name).toList());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DpopSettings that && mode == that.mode && algorithms.equals(that.algorithms)
                && proofMaxAgeSeconds == that.proofMaxAgeSeconds && nonceRequired == that.nonceRequired
                && java.util.Arrays.equals(nonceSecret, that.nonceSecret)
                && nonceLifetimeSeconds == that.nonceLifetimeSeconds && Objects.equals(publicBaseUrl, that.publicBaseUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, algorithms, proofMaxAgeSeconds, nonceRequired, nonceLifetimeSeconds, publicBaseUrl);
    }

    @Override
    public String toString() {
        return "DpopSettings[mode=" + mode + ", algorithms=" + algorithms + ", proofMaxAgeSeconds=" + proofMaxAgeSeconds
                + ", nonceRequired=" + nonceRequired + ", nonceSecret=" + (nonceSecret == null ? "none" : "****")
                + ", nonceLifetimeSeconds=" + nonceLifetimeSeconds + ", publicBaseUrl=" + publicBaseUrl + "]";
    }
}
