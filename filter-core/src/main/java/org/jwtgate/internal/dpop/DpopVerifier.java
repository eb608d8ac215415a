package org.jwtgate.internal.dpop;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import org.jwtgate.config.DpopSettings;
import org.jwtgate.dpop.DpopProof;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.internal.revocation.ProofJtiStore;
import org.jwtgate.internal.verify.DpopProofParser;
import org.jwtgate.internal.verify.VerifiedTokenCache;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/**
 * Checks a DPoP proof as RFC 9449 §4.3 lists, cheapest first, so a proof that fails a cheap check
 * never costs a signature verification or a Redis round trip:
 * <ol>
 *   <li>form, {@code typ}, {@code alg}, {@code jwk} (public, fit for the alg), claims present ({@link DpopProofParser});</li>
 *   <li>{@code htm} is the request's method; {@code htu} its URI ({@link TargetUri}; with
 *       {@code dpop.public-base-url}, that origin plus the request's path);</li>
 *   <li>{@code iat} no older than {@code dpop.proof-max-age-seconds}, no further ahead than the clock skew;</li>
 *   <li>with an access token: {@code ath} is its SHA-256, base64url; without one (a token request): no {@code ath};</li>
 *   <li>with {@code dpop.nonce=required}: a nonce this cluster issued, still valid ({@link DpopNonces});</li>
 *   <li>with an access token: its {@code cnf.jkt} is the thumbprint of the proof's key
 *       ({@link Rejection#DPOP_KEY_MISMATCH}, an {@code invalid_token} answer as RFC 9449 §7.1 shows);</li>
 *   <li>the signature, with the proof's own {@code jwk};</li>
 *   <li>first use anywhere: the {@code jti} recorded in the store, per user and key (a token request's: per
 *       key alone, since its user is only what the caller claims), for the whole window
 *       in which the proof could be accepted ({@code max-age + 2 × skew}, so instances whose clocks
 *       differ by the skew still find the record).</li>
 * </ol>
 * Thread-safe.
 */
public final class DpopVerifier {

    private final DpopSettings settings;
    private final DpopProofParser parser;
    private final DpopNonces nonces;
    private final ProofJtiStore usedProofs;
    private final long maxAgeSeconds;
    private final long skewSeconds;
    private final Duration recordWindow;
    private final Clock clock;

    /** @param usedProofs where proofs are recorded as used; shared by every instance for cluster-wide one-time use */
    public DpopVerifier(DpopSettings settings, int clockSkewSeconds, ProofJtiStore usedProofs, Clock clock) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("dpop.mode is off");
        }
        this.settings = settings;
        this.parser = new DpopProofParser(settings.algorithms());
        this.nonces = settings.nonceRequired()
                ? new DpopNonces(settings.nonceSecret(), settings.nonceLifetimeSeconds(), clockSkewSeconds, clock)
                : null;
        this.usedProofs = Objects.requireNonNull(usedProofs, "usedProofs");
        this.maxAgeSeconds = settings.proofMaxAgeSeconds();
        this.skewSeconds = clockSkewSeconds;
        this.recordWindow = Duration.ofSeconds(maxAgeSeconds + 2L * clockSkewSeconds + 1);
        this.clock = clock;
    }

    /**
     * A proof sent with an access token to a protected resource (RFC 9449 §7).
     *
     * @param token the verified access token (its {@code cnf.jkt} must be the proof key's thumbprint)
     * @throws InvalidDpopProofException the proof is refused (its {@link DpopRejection})
     * @throws InvalidTokenException     {@link Rejection#DPOP_KEY_MISMATCH}: the token is not bound to the proof's key
     * @throws org.jwtgate.revocation.RevocationUnavailableException the store could not record the proof
     */
    public DpopProof verify(String proof, String method, URI requestUri, String accessToken, JwtPrincipal token) {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(token, "token");
        if (token.subject() == null || token.subject().isEmpty()) {
            throw new InvalidTokenException(Rejection.CLAIM_MISSING); // the proof's record lives in the user's slot
        }
        return check(proof, method, requestUri,
                new ResourceRequest(accessToken, token.dpopThumbprint().orElse(null), token.subject()));
    }

    /**
     * A proof sent to a token endpoint (RFC 9449 §5): no access token, no {@code ath}; the proof's key is
     * the one the issued tokens will be bound to. Its one-time record is keyed by that key, not by the user
     * the request names (which the caller chooses).
     */
    public DpopProof verify(String proof, String method, URI requestUri) {
        return check(proof, method, requestUri, null);
    }

    /** A nonce to hand out now; null when {@code dpop.nonce=off}. */
    public String newNonce() {
        return nonces == null ? null : nonces.issue();
    }

    /**
     * What a proof to a protected resource is checked against: the access token it must hash ({@code ath}), the key
     * that token is bound to ({@code cnf.jkt}, null when it names none), and the user whose slot keeps the record.
     */
    private record ResourceRequest(String accessToken, String boundThumbprint, String subject) {
    }

    /** @param resource null for a token request's proof (RFC 9449 §5) */
    private DpopProof check(String text, String method, URI requestUri, ResourceRequest resource) {
        DpopProofParser.Proof proof = parser.parse(text);
        if (method == null || !method.equals(proof.htm())) {
            throw new InvalidDpopProofException(DpopRejection.METHOD_MISMATCH);
        }
        // The filter refuses such paths before this; an application calling JwtGate directly may not have.
        String rawPath = requestUri == null ? null : requestUri.getRawPath(); // null for an opaque URI (urn:x)
        // An opaque URI names no resource: behind dpop.public-base-url its missing path was taken for "/".
        String expected = requestUri == null || requestUri.isOpaque()
                || rawPath != null && TargetUri.isAmbiguousPath(rawPath) ? null : TargetUri.normalize(effective(requestUri));
        String claimed = TargetUri.normalize(proof.htu());
        if (expected == null || !expected.equals(claimed)) {
            throw new InvalidDpopProofException(DpopRejection.URI_MISMATCH);
        }
        long now = clock.millis() / 1000;
        if (proof.issuedAt() > now + skewSeconds) {
            throw new InvalidDpopProofException(DpopRejection.ISSUED_IN_FUTURE);
        }
        if (proof.issuedAt() < now - maxAgeSeconds) {
            throw new InvalidDpopProofException(DpopRejection.TOO_OLD);
        }
        if (resource != null && (proof.ath() == null || !MessageDigest.isEqual(proof.ath().getBytes(StandardCharsets.US_ASCII),
                tokenHash(resource.accessToken()).getBytes(StandardCharsets.US_ASCII)))) {
            throw new InvalidDpopProofException(DpopRejection.TOKEN_HASH_MISMATCH);
        }
        if (resource == null && proof.ath() != null) {
            // A token request presents no access token: a proof naming one was made for a resource request, and
            // is recorded there (per user), so accepting it here too would let it be used twice.
            throw new InvalidDpopProofException(DpopRejection.TOKEN_HASH_MISMATCH);
        }
        String nextNonce = checkNonce(proof.nonce());
        if (resource != null && (resource.boundThumbprint() == null || !MessageDigest.isEqual(
                resource.boundThumbprint().getBytes(StandardCharsets.UTF_8), proof.thumbprint().getBytes(StandardCharsets.UTF_8)))) {
            throw new InvalidTokenException(Rejection.DPOP_KEY_MISMATCH);
        }
        proof.verifySignature();
        boolean first = resource == null
                ? usedProofs.firstTokenRequestUse(proof.thumbprint(), proof.jti(), recordWindow)
                : usedProofs.firstUse(resource.subject(), proof.thumbprint(), proof.jti(), recordWindow);
        if (!first) {
            throw new InvalidDpopProofException(DpopRejection.REPLAYED);
        }
        return new DpopProof(proof.thumbprint(), proof.jti(), Instant.ofEpochSecond(proof.issuedAt()), nextNonce);
    }

    /** @return a fresh nonce when the presented one should be renewed, else null */
    private String checkNonce(String nonce) {
        if (nonces == null) {
            return null;
        }
        return switch (nonces.check(nonce)) {
            case FRESH -> null;
            case RENEW -> nonces.issue();
            case MISSING -> throw new InvalidDpopProofException(DpopRejection.NONCE_MISSING, nonces.issue());
            case STALE -> throw new InvalidDpopProofException(DpopRejection.NONCE_STALE, nonces.issue());
            case INVALID -> throw new InvalidDpopProofException(DpopRejection.NONCE_INVALID, nonces.issue());
        };
    }

    /** The request's URI as the client addressed it: with {@code dpop.public-base-url}, that origin and the request's path. */
    private String effective(URI requestUri) {
        if (requestUri == null) {
            return null;
        }
        URI base = settings.publicBaseUrl();
        if (base == null) {
            return requestUri.toString();
        }
        String path = requestUri.getRawPath();
        return base.toString() + (path == null || path.isEmpty() ? "/" : path);
    }

    /** RFC 9449 §4.2: {@code ath} = base64url(SHA-256(ASCII(access token))), no padding. */
    static String tokenHash(String accessToken) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(VerifiedTokenCache.sha256(accessToken));
    }
}
