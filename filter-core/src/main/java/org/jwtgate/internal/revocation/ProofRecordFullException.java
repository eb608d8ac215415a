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

    /** Which record is full, in words for health; null: the store's own (the in-memory record, or Redis). */
    private final String record;

    public ProofRecordFullException(String message) {
        this(message, (String) null);
    }

    public ProofRecordFullException(String message, Throwable cause) {
        super(message, cause);
        this.record = null;
    }

    /** @param record which record is full, in a few words for health (another than the store's own) */
    public ProofRecordFullException(String message, String record) {
        super(message);
        this.record = record;
    }

    /** Which record is full, in a few words for health; null when it is the store's own. */
    public String record() {
        return record;
    }
}
