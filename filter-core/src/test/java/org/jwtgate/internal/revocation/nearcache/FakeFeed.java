package org.jwtgate.internal.revocation.nearcache;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;

/**
 * A feed and a store on one in-memory "node": what is published while subscribed is delivered in
 * order, what is published while not is lost, like Redis pub/sub; a heartbeat is answered in the same
 * stream, after what was delivered before it. Heartbeats can be made to fail.
 */
final class FakeFeed implements RevocationFeed {

    private record Message(boolean announcement, String text, long sentAtNanos) {
    }

    private record Stored(String value, long expiresAtMillis) {
    }

    private final BlockingQueue<Message> delivery = new LinkedBlockingQueue<>();
    private final Map<String, Stored> stored = new ConcurrentHashMap<>();

    /** An operator's {@code DEL} of a stored revocation; whether it was there. */
    boolean deleteByHand(String key) {
        return stored.remove(key) != null;
    }
    private final RevocationKeys keys = new RevocationKeys("jwtgate:");
    private volatile boolean listening;
    private volatile boolean interrupted;
    volatile boolean heartbeatsFail;
    /** Heartbeats are neither sent nor answered while set, without failing: a silence, as of a paused node. */
    volatile boolean heartbeatsLost;
    /**
     * As a Redis Cluster's feed: answers after a silence ask for an ownership check ({@link #checksOwnership()}, read
     * when the near-cache is made), which {@link #confirmOwnership()} confirms, counting it.
     */
    volatile boolean cluster;
    final AtomicInteger ownershipChecks = new AtomicInteger();
    final AtomicInteger scans = new AtomicInteger();
    /** Scans fail while set, as a load on a just-restarted master does (CLUSTERDOWN). */
    volatile boolean scansFail;
    /**
     * For the next subscription only: heartbeat answers are held back this long after it starts, then delivered
     * together, as after a pause of the node or of this JVM.
     */
    volatile long holdFirstAnswersMillis;
    /** For the next subscription only: its confirmation comes this much later, as from a slow node. */
    volatile long delayFirstSubscribeMillis;
    /** Where the next call throws an Error, once: {@code listen}, {@code heartbeat} or {@code scan}. */
    final java.util.Set<String> errorOnce = ConcurrentHashMap.newKeySet();
    /** Whether that Error's message and description throw too, as after an out-of-memory error with the heap full. */
    volatile boolean undescribableErrors;
    /** How long each scan stays blocked, deaf to interrupts, as a socket read on a hung node is; 0: not at all. */
    volatile long scanBlocksMillis;
    /** Counted down when a scan starts. */
    final CountDownLatch scanStarted = new CountDownLatch(1);
    /** Run once, at the end of the next scan: what happens after the scan read every key, before the load ends. */
    final AtomicReference<Runnable> afterNextScan = new AtomicReference<>();

    @Override
    public synchronized void announce(String message) {
        if (listening) {
            delivery.add(new Message(true, message, 0));
        }
    }

    @Override
    public void listen(Listener listener) {
        throwErrorOnce("listen");
        synchronized (this) {
            interrupted = false;
            listening = true;
            delivery.clear();
        }
        try {
            Thread.sleep(delayFirstSubscribeMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        delayFirstSubscribeMillis = 0;
        long holdUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(holdFirstAnswersMillis);
        holdFirstAnswersMillis = 0;
        java.util.List<Message> held = new java.util.ArrayList<>();
        listener.subscribed(Mode.SHARDED);
        try {
            while (!interrupted) {
                Message message = delivery.poll(5, TimeUnit.MILLISECONDS);
                if (System.nanoTime() - holdUntil >= 0 && !held.isEmpty()) {
                    held.forEach(answer -> listener.heartbeatAnswered(answer.sentAtNanos()));
                    held.clear();
                }
                if (message != null) {
                    if (message.announcement()) {
                        listener.announcement(message.text());
                    } else if (System.nanoTime() - holdUntil < 0) {
                        held.add(message);
                    } else {
                        listener.heartbeatAnswered(message.sentAtNanos());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            listening = false;
        }
    }

    @Override
    public synchronized void heartbeat() {
        throwErrorOnce("heartbeat");
        if (heartbeatsFail) {
            throw new RevocationUnavailableException("node down");
        }
        if (listening && !heartbeatsLost) {
            delivery.add(new Message(false, null, System.nanoTime()));
        }
    }

    @Override
    public boolean checksOwnership() {
        return cluster;
    }

    @Override
    public void confirmOwnership() {
        ownershipChecks.incrementAndGet();
    }

    @Override
    public void interrupt() {
        interrupted = true;
    }

    @Override
    public void scan(EntrySink sink) {
        scans.incrementAndGet();
        scanStarted.countDown();
        long blockedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(scanBlocksMillis);
        boolean interrupted = false;
        while (System.nanoTime() - blockedUntil < 0) {
            LockSupport.parkNanos(blockedUntil - System.nanoTime());
            interrupted |= Thread.interrupted(); // deaf to it, as a socket read is; cleared, or park would spin
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        throwErrorOnce("scan");
        if (scansFail) {
            throw new RevocationUnavailableException("scan failed: CLUSTERDOWN The cluster is down");
        }
        long now = System.currentTimeMillis();
        stored.forEach((key, entry) -> sink.accept(key, entry.value(), entry.expiresAtMillis() - now));
        Runnable after = afterNextScan.getAndSet(null);
        if (after != null) {
            after.run();
        }
    }

    @Override
    public Duration longestBlockingRead() {
        return Duration.ofMillis(scanBlocksMillis);
    }

    @Override
    public String describeSubscription() {
        return "fake";
    }

    @Override
    public void close() {
        interrupt();
    }

    private void throwErrorOnce(String where) {
        if (errorOnce.remove(where)) {
            throw undescribableErrors ? new UndescribableError() : new OutOfMemoryError("injected by the test in " + where);
        }
    }

    /** Its message and description cannot be built either. */
    static final class UndescribableError extends Error {
        private static final long serialVersionUID = 1L;

        UndescribableError() {
            super(null, null, false, false);
        }

        @Override
        public String getMessage() {
            throw new UndescribableError();
        }

        @Override
        public String toString() {
            throw new UndescribableError();
        }
    }

    /** Stores a token revocation as the Redis store would, without announcing it. */
    void storeRevocation(TokenRef token) {
        stored.put(keys.tokenKey(token), new Stored("1", System.currentTimeMillis() + 600_000));
    }

    /** The "Redis" behind the feed, read directly. */
    RevocationStore directStore(AtomicInteger reads) {
        return new RevocationStore() {
            @Override
            public boolean isRevoked(TokenRef token) {
                reads.incrementAndGet();
                return stored.containsKey(keys.tokenKey(token));
            }

            @Override
            public RevocationResult revokeToken(TokenRef token, Duration ttl) {
                storeRevocation(token);
                return RevocationResult.local();
            }

            @Override
            public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
                throw new UnsupportedOperationException();
            }

            @Override
            public RevocationResult register(TokenRef token, Duration ttl) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String describe() {
                return "fake";
            }

            @Override
            public void close() {
            }
        };
    }
}
