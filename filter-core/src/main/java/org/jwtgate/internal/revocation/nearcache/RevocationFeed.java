package org.jwtgate.internal.revocation.nearcache;

/**
 * What the near-cache needs from the revocation store's server: announce a revocation, listen to
 * announcements, pass heartbeats through the same ordered stream, and read every stored revocation.
 * The Redis implementation lives with the Redis stores; methods throw only
 * {@link org.jwtgate.revocation.RevocationUnavailableException} (or runtime exceptions of the listener).
 *
 * <p>The near-cache's staleness bound rests on one property: announcements and heartbeats are
 * executed, in one order, by the node the listener is subscribed to, and reach the listener in that order.
 */
public interface RevocationFeed extends AutoCloseable {

    /**
     * Announces an event ({@link RevocationEvent#encode()}) through the node that owns the announcement
     * channel; returns once that node has executed it.
     */
    void announce(String message);

    /**
     * Subscribes, on the node that owns the announcement channel, to the announcements and to this
     * instance's heartbeats, and delivers messages to {@code listener} on the calling thread until the
     * subscription ends. Returns when {@link #interrupt()} ended it; throws when it failed.
     */
    void listen(Listener listener);

    /**
     * Publishes a heartbeat through the node of the current subscription, if that node still owns the
     * announcement channel.
     *
     * @throws org.jwtgate.revocation.RevocationUnavailableException when it failed, or the node no longer
     *         owns the channel (the subscription should be dropped)
     */
    void heartbeat(String message);

    /** Ends the current subscription now, from any thread; {@link #listen} then returns. */
    void interrupt();

    /** Reads every revocation stored now; throws when not all of them could be read consistently. */
    void scan(EntrySink sink);

    /** Where the node of the current or last subscription is, for logs. */
    String describeSubscription();

    @Override
    void close();

    /** Receives a subscription's messages, in the order the node executed them. */
    interface Listener {

        /** The subscription is in place: everything announced from now on is delivered. */
        void subscribed();

        void announcement(String message);

        void heartbeat(String message);
    }

    /** Receives stored revocations: the key, its value, and its remaining lifetime (-1: none). */
    @FunctionalInterface
    interface EntrySink {
        void accept(String key, String value, long ttlMillis);
    }
}
