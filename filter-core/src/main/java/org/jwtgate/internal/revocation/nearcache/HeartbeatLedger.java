package org.jwtgate.internal.revocation.nearcache;

import java.security.SecureRandom;

/**
 * The heartbeats this instance sent, so one that comes back can be matched to its send time. A
 * heartbeat carries the subscription generation, a sequence number and a random nonce
 * ({@code <generation>:<seq>:<nonce>}): only one this instance sent, on the current subscription, is
 * believed — a forged or replayed message on the channel cannot make stale state look fresh.
 */
final class HeartbeatLedger {

    private static final int SLOTS = 64;

    private final SecureRandom random = new SecureRandom();
    private final long[] sequences = new long[SLOTS];
    private final long[] nonces = new long[SLOTS];
    private final long[] generations = new long[SLOTS];
    private final long[] sentNanos = new long[SLOTS];
    private long nextSequence = 1;

    /** Records a heartbeat about to be sent and returns its message. */
    synchronized String record(long generation, long sentAtNanos) {
        long sequence = nextSequence++;
        long nonce = random.nextLong();
        int slot = (int) (sequence % SLOTS);
        sequences[slot] = sequence;
        nonces[slot] = nonce;
        generations[slot] = generation;
        sentNanos[slot] = sentAtNanos;
        return generation + ":" + sequence + ":" + Long.toHexString(nonce);
    }

    /**
     * The send time ({@link System#nanoTime()}) of a heartbeat of {@code generation} that this instance
     * recorded recently, or empty (as {@code null}) for anything else.
     */
    synchronized Long sentAt(String message, long generation) {
        String[] parts = message.split(":", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            long messageGeneration = Long.parseLong(parts[0]);
            long sequence = Long.parseLong(parts[1]);
            long nonce = Long.parseUnsignedLong(parts[2], 16);
            int slot = (int) (sequence % SLOTS);
            if (sequence <= 0 || messageGeneration != generation || sequences[slot] != sequence
                    || nonces[slot] != nonce || generations[slot] != generation) {
                return null;
            }
            return sentNanos[slot];
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
