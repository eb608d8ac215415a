package org.jwtgate.internal.revocation.nearcache;

import java.time.Duration;
import org.jwtgate.revocation.RevocationUnavailableException;

/**
 * What the near-cache needs from the revocation store's server: announce a revocation, listen to
 * announcements, prove that the subscription is current with heartbeats answered in the same
 * ordered stream, and read every stored revocation. The Redis implementation lives with the Redis
 * stores; methods throw only {@link org.jwtgate.revocation.RevocationUnavailableException} (or runtime
 * exceptions of the listener).
 *
 * <p>The near-cache's staleness bound rests on one property: announcements are executed by the node
 * the listener is subscribed to, and a heartbeat's answer reaches the listener after every message
 * that node delivered before it. A heartbeat is answered only while that node still serves the
 * announcement channel; otherwise the subscription ends.
 */
public interface RevocationFeed extends AutoCloseable {

    /** How announcements travel. */
    enum Mode {
        /** Sharded pub/sub (Redis 7+): SPUBLISH / SSUBSCRIBE, inside the channel's shard only. */
        SHARDED("sharded"),
        /** Classic pub/sub (Redis 6): PUBLISH on the channel's master, broadcast over the cluster bus. */
        CLASSIC("classic");

        // A constant, not name().toLowerCase(): the statistics ask for it on every read (JMX, status pages).
        private final String label;

        Mode(String label) {
            this.label = label;
        }

        /** {@code sharded} or {@code classic}, for logs and statistics. */
        public String label() {
            return label;
        }
    }

    /**
     * Announces an event ({@link RevocationEvent#encode()}) through the node that owns the announcement
     * channel; returns once that node has executed it.
     */
    void announce(String message);

    /**
     * Subscribes, on the node that owns the announcement channel, to the announcements, and delivers
     * them and the answers to this subscription's heartbeats to {@code listener} on the calling thread,
     * in the order the node sent them, until the subscription ends. Returns when {@link #interrupt()}
     * ended it; throws when it failed, a heartbeat was refused, or the server ended it (the channel's
     * slot moved).
     */
    void listen(Listener listener);

    /**
     * Sends one heartbeat on the current subscription; its answer comes through
     * {@link Listener#heartbeatAnswered(long)}. Costs one command on the subscription's node and
     * nothing else: no publish, nothing on the cluster bus.
     *
     * @throws org.jwtgate.revocation.RevocationUnavailableException when not subscribed or the send failed
     */
    void heartbeat();

    /**
     * Whether {@link #confirmOwnership()} has something to check: a Redis Cluster, where an operator's forced failover
     * can replace the subscription's node while it is paused for less than the watchdog. Not a single server.
     */
    default boolean checksOwnership() {
        return false;
    }

    /**
     * Checks, without asking the node of the current subscription (whose own view may be the stale one), that the
     * other nodes still see it serving the announcement channel. Called off the subscriber thread, only after a
     * heartbeat answer came after a silence; may block up to {@link #longestBlockingRead()} per node asked.
     *
     * @throws OwnershipNotAsked when no node could be asked (or there is no subscription): nothing is known either way
     * @throws RevocationUnavailableException when another node names another server of the
     *         channel
     */
    default void confirmOwnership() {
    }

    /** {@link #confirmOwnership()} asked no node (none answered, none known, or no subscription): nothing was learnt. */
    final class OwnershipNotAsked extends RevocationUnavailableException {

        private static final long serialVersionUID = 1L;

        public OwnershipNotAsked(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Ends the current subscription now, from any thread; {@link #listen} then returns. */
    void interrupt();

    /** Reads every revocation stored now; throws when not all of them could be read consistently. */
    void scan(EntrySink sink);

    /**
     * The longest a {@link #scan} or {@link #heartbeat} can stay blocked in one read that no interrupt reaches (a
     * socket read waiting on a hung node): how long a closing near-cache waits for its threads, beyond a margin.
     */
    default Duration longestBlockingRead() {
        return Duration.ZERO;
    }

    /** Where the node of the current or last subscription is, for logs. */
    String describeSubscription();

    /**
     * The server's refusal of the configured user in {@code failure} or its causes (a password, or ACL rights such
     * as the channel's), in its words, for a log: null when it did not refuse access (down, closed, moved).
     */
    default String refusal(Throwable failure) {
        return null;
    }

    @Override
    void close();

    /** Receives a subscription's messages, in the order the node sent them. */
    interface Listener {

        /** The subscription is in place: everything announced from now on is delivered. */
        void subscribed(Mode mode);

        void announcement(String message);

        /** The answer to the heartbeat sent at {@code sentAtNanos} ({@link System#nanoTime()}) arrived. */
        void heartbeatAnswered(long sentAtNanos);
    }

    /** Receives stored revocations: the key, its value, and its remaining lifetime (-1: none). */
    @FunctionalInterface
    interface EntrySink {
        void accept(String key, String value, long ttlMillis);
    }
}
