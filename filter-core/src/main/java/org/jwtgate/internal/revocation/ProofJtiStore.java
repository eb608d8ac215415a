package org.jwtgate.internal.revocation;

import java.time.Duration;

/**
 * Remembers which DPoP proofs were used (RFC 9449 §11.1), in the same store as the revocations
 * ({@code revocation.store}), so a proof used on one instance is refused on every other one. A
 * record lives for the proof's acceptance window and is keyed by {@link RevocationKeys#proofKey}.
 * Thread-safe; throws only {@link org.jwtgate.revocation.RevocationUnavailableException}.
 */
public interface ProofJtiStore extends AutoCloseable {

    /**
     * Records the proof as used, unless it already was.
     *
     * @param subject       the user the proof acts for (the record lives in that user's slot)
     * @param keyThumbprint the thumbprint of the proof's key
     * @param proofId       the proof's {@code jti}
     * @param window        how long the record must outlive now: as long as the proof could be accepted
     * @return true for the first use anywhere; false when the proof was used before
     * @throws org.jwtgate.revocation.RevocationUnavailableException when the store cannot answer in time
     */
    boolean firstUse(String subject, String keyThumbprint, String proofId, Duration window);

    /**
     * Records a token request's proof as used, unless it already was: keyed by the proof's key alone
     * ({@link RevocationKeys#tokenRequestProofKey}), whatever user the request names.
     *
     * @return true for the first use anywhere; false when the proof was used before
     * @throws org.jwtgate.revocation.RevocationUnavailableException when the store cannot answer in time
     */
    boolean firstTokenRequestUse(String keyThumbprint, String proofId, Duration window);

    /**
     * Why the store refuses to record proofs now, as far as a probe can tell without recording one (Redis: the
     * configured user's ACL refusing the record's script, its commands or its keys, or its password), in words fit
     * for a public health answer; null when nothing refuses. A store that does not answer is not refusing when it
     * shares the revocation store's connections (health learns that from the revocation store); with connections of
     * its own (the revocation store is the application's) nothing else probes them, so it answers that it does not
     * answer. May take the store's timeout; never throws.
     */
    default String probeRefusal() {
        return null;
    }

    /** Releases what this store alone owns (a store sharing the revocation store's connections owns none). */
    @Override
    void close();
}
