package org.jwtgate.internal.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * SHA-256 digests shared by the threads that serve requests. Not one per thread: a container that runs each
 * request on a new virtual thread (Tomcat 11 {@code useVirtualThreads}, Jetty 12 {@code VirtualThreadPool}) would
 * build a digest for every request, which costs as much as the rest of a cached token's check. A thread borrows
 * the digest of its slot (by thread id) and puts it back; two threads on one slot at once get a new one for the
 * second, and only one of the two is kept: at most {@link #SLOTS} digests are held.
 */
final class Sha256Digests {

    /** A power of two, a few per core: request threads on different cores rarely meet on one slot. */
    static final int SLOTS = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 8 - 1) * 2;

    /** Array elements between two slots: each slot on a cache line of its own, so threads on two cores never share one. */
    private static final int SPACING = 16;

    private static final AtomicReferenceArray<MessageDigest> FREE = new AtomicReferenceArray<>(SLOTS * SPACING);

    private Sha256Digests() {
    }

    /** The SHA-256 of {@code input}. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and the two are the same number
    static byte[] digest(byte[] input) {
        int slot = ((int) Thread.currentThread().getId() & (SLOTS - 1)) * SPACING;
        MessageDigest digest = FREE.getAndSet(slot, null);
        if (digest == null) {
            digest = newDigest();
        }
        byte[] hash = digest.digest(input); // digest() leaves it reset for the next borrower
        FREE.set(slot, digest);
        return hash;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
