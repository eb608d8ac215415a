package org.jwtgate.internal.revocation;

import org.jwtgate.revocation.RevocationUnavailableException;

/**
 * The in-memory record of used DPoP proofs is full. Unlike a Redis outage, anyone with a key can cause this, so
 * {@code revocation.failure-mode=open} never lets such a proof pass unrecorded: that would open a replay window
 * for every client on the attacker's say-so.
 */
public final class ProofRecordFullException extends RevocationUnavailableException {

    private static final long serialVersionUID = 1L;

    public ProofRecordFullException(String message) {
        super(message);
    }
}
