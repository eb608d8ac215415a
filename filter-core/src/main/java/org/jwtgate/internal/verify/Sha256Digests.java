package org.jwtgate.internal.verify;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * SHA-256 digests for the threads that serve requests. A platform thread keeps its own, as a pooled request thread
 * serves many requests. A virtual thread (Tomcat 11 {@code useVirtualThreads}, Jetty 12 {@code VirtualThreadPool}:
 * a new one per request) would build a digest per request, which costs as much as the rest of a cached token's
 * check: it borrows the digest of its slot (by thread id) and puts it back; two threads on one slot at once get a
 * new one for the second, and only one of the two is kept: at most {@link #SLOTS} digests are held. Not lent to
 * platform threads too: with two threads hashing at once, lending cost up to twice the hash itself in some JVM runs
 * ({@code DigestBenchmark -t 2}).
 */
final class Sha256Digests {

    /** A power of two, a few per core: request threads on different cores rarely meet on one slot. */
    static final int SLOTS = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 8 - 1) * 2;

    /** Array elements between two slots: each slot on a cache line of its own, so threads on two cores never share one. */
    private static final int SPACING = 16;

    private static final AtomicReferenceArray<MessageDigest> FREE = new AtomicReferenceArray<>(SLOTS * SPACING);

    private static final ThreadLocal<MessageDigest> PER_THREAD = ThreadLocal.withInitial(Sha256Digests::newDigest);

    /** {@code Thread.isVirtual()}, JDK 21+; null before, where every thread is a platform thread. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private Sha256Digests() {
    }

    /** The SHA-256 of {@code input}. */
    static byte[] digest(byte[] input) {
        if (isVirtual(Thread.currentThread())) {
            return lent(input);
        }
        return PER_THREAD.get().digest(input); // digest() leaves it reset for the thread's next request
    }

    /** The SHA-256 of {@code input} with a digest lent for the call. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and the two are the same number
    static byte[] lent(byte[] input) {
        int slot = ((int) Thread.currentThread().getId() & (SLOTS - 1)) * SPACING;
        MessageDigest digest = FREE.getAndSet(slot, null);
        if (digest == null) {
            digest = newDigest();
        }
        byte[] hash = digest.digest(input); // digest() leaves it reset for the next borrower
        FREE.set(slot, digest);
        return hash;
    }

    /** Digests held for lending now, and none after (for tests). */
    static int takeLendable() {
        int held = 0;
        for (int slot = 0; slot < FREE.length(); slot += SPACING) {
            held += FREE.getAndSet(slot, null) == null ? 0 : 1;
        }
        return held;
    }

    private static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual() failed", e); // it declares nothing and throws nothing
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
