package org.jwtgate.internal.revocation;

import org.jwtgate.revocation.RevocationUnavailableException;

/**
 * The record of used DPoP proofs is full: the in-memory one at its capacity, or a Redis master at its
 * {@code maxmemory} refusing the write ({@code OOM}). Unlike an outage, anyone with a key can cause this by sending
 * proofs, so {@code revocation.failure-mode=open} never lets such a proof pass unrecorded: that would open a replay
 * window for every client on the attacker's say-so.
 */
public final class ProofRecordFullException extends RevocationUnavailableException {

    private static final long serialVersionUID = 1L;

    public ProofRecordFullException(String message) {
        super(message);
    }

    public ProofRecordFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
