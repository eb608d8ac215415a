package org.jwtgate.internal.revocation.redis;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jwtgate.internal.revocation.nearcache.HeartbeatLedger;
import org.jwtgate.internal.revocation.nearcache.RevocationFeed;
import org.jwtgate.revocation.RevocationUnavailableException;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The near-cache's feed on Redis (cluster or one node), sharing the store's connections:
 * <ul>
 *   <li>announcements: {@code SPUBLISH} (else the classic publish script) on the master owning the
 *       events channel's slot, following MOVED, retried within the store's budget ({@link RedisCommandRunner});</li>
 *   <li>the subscription: its own RESP3 connection (not pooled) to that master; {@code SSUBSCRIBE} to the
 *       events channel, or {@code SUBSCRIBE} where the master predates sharded pub/sub;</li>
 *   <li>heartbeats: {@code EXISTS} of the channel's name on that same connection — answered in order after the
 *       messages delivered before, and only while the node serves the channel's slot; no publish, nothing on
 *       the cluster bus. On a single server {@code WAIT 0 0}, which only a master answers. A refused heartbeat
 *       (MOVED, CLUSTERDOWN, a replica's refusal) ends the subscription, as does the server's own
 *       {@code sunsubscribe} when the slot moves;</li>
 *   <li>scans: {@link KeyspaceScanner}.</li>
 * </ul>
 * Jedis exceptions leave only as the cause of a {@link RevocationUnavailableException}.
 */
final class RedisRevocationFeed implements RevocationFeed {

    /** One subscription: its connection, its node, its heartbeats awaiting answers. */
    private static final class Subscription {
        final HostAndPort node;
        final SubscriptionConnection connection;
        final HeartbeatLedger ledger = new HeartbeatLedger();
        volatile Mode mode;

        Subscription(HostAndPort node, SubscriptionConnection connection) {
            this.node = node;
            this.connection = connection;
        }
    }

    private final MasterConnections connections;
    private final RedisCommandRunner runner;
    private final JedisClientConfig subscriptionConfig;
    private final AnnouncementChannel channel;
    private final KeyspaceScanner scanner;
    private volatile Subscription current;
    private volatile HostAndPort lastNode;
    /** The subscription {@link #interrupt()} ended on purpose. */
    private volatile Subscription interrupted;
    private volatile boolean closed;
    /** The socket of the newest subscription connection, set before its handshake: {@link #close()} ends that wait. */
    private volatile Socket opening;
    private final int timeoutMs;
    private final boolean cluster;

    /** @param subscriptionReadTimeout how long the subscription may stay silent before its read fails */
    RedisRevocationFeed(MasterConnections connections, JedisClientSettings settings, boolean cluster,
                        Duration subscriptionReadTimeout) {
        this.connections = connections;
        this.timeoutMs = settings.timeoutMs();
        this.cluster = cluster;
        this.runner = new RedisCommandRunner(connections, settings);
        this.subscriptionConfig = settings.subscriptionConfig(subscriptionReadTimeout);
        this.channel = new AnnouncementChannel(settings.keyPrefix(), cluster);
        this.scanner = new KeyspaceScanner(connections, settings.keyPrefix(), channel.events(), cluster);
    }

    /**
     * A scan's read, or its wait for a pooled connection, lasts at most redis.timeout-ms (a heartbeat blocked in a write
     * is ended by close(), which disconnects the subscription).
     */
    @Override
    public Duration longestBlockingRead() {
        return Duration.ofMillis(timeoutMs);
    }

    @Override
    public void announce(String message) {
        runner.run("revocation announcement", channel.events(), connection -> channel.announce(connection, message));
        runner.metrics().announcementSent();
    }

    @Override
    public void listen(Listener listener) {
        HostAndPort node;
        SubscriptionConnection connection;
        try {
            node = connections.masterFor(channel.events());
        } catch (JedisException e) {
            throw new RevocationUnavailableException("no master known for " + channel.events() + ": " + e.getMessage(), e);
        }
        try {
            connection = new SubscriptionConnection(node, subscriptionConfig, this::opening);
        } catch (JedisException e) {
            if (closed) {
                return; // close() ended the handshake
            }
            connections.nodeFailed(node);
            throw new RevocationUnavailableException("cannot connect to " + node + ": " + e.getMessage(), e);
        }
        Subscription subscription = new Subscription(node, connection);
        lastNode = node;
        current = subscription;
        try {
            if (closed) {
                return;
            }
            subscription.mode = subscribe(connection);
            listener.subscribed(subscription.mode);
            deliver(subscription, listener);
        } catch (JedisMovedDataException e) {
            if (interrupted == subscription || closed) {
                return;
            }
            connections.slotsMoved();
            throw new RevocationUnavailableException(channel.events() + " moved from " + node + " to "
                    + e.getTargetNode(), e);
        } catch (JedisConnectionException e) {
            if (interrupted == subscription || closed) {
                return;
            }
            connections.nodeFailed(node);
            throw new RevocationUnavailableException("subscription on " + node + " ended: " + e.getMessage(), e);
        } catch (JedisException e) {
            if (interrupted == subscription || closed) {
                return;
            }
            throw new RevocationUnavailableException("subscription on " + node + " ended: " + e.getMessage(), e);
        } finally {
            if (current == subscription) {
                current = null;
            }
            connection.close();
        }
    }

    /** SSUBSCRIBE, or SUBSCRIBE on a node that does not know it; returns once the node confirmed. */
    private Mode subscribe(SubscriptionConnection connection) {
        try {
            connection.send(channel.shardedSubscribe());
            expectConfirmation(connection.read(), "ssubscribe");
            return Mode.SHARDED;
        } catch (JedisDataException e) {
            if (e instanceof JedisMovedDataException || !AnnouncementChannel.isUnknownCommand(e)) {
                throw e;
            }
        }
        connection.send(channel.classicSubscribe());
        expectConfirmation(connection.read(), "subscribe");
        return Mode.CLASSIC;
    }

    private void expectConfirmation(Object reply, String kind) {
        if (!(reply instanceof List<?> push) || push.isEmpty() || !kind.equals(text(push.get(0)))) {
            throw new JedisDataException("expected a " + kind + " confirmation, got " + describe(reply));
        }
    }

    /** Reads the subscription until it ends: announcements and heartbeat answers, in the node's order. */
    private void deliver(Subscription subscription, Listener listener) {
        while (true) {
            Object reply = subscription.connection.read();
            if (reply instanceof List<?> push && !push.isEmpty()) {
                String kind = text(push.get(0));
                switch (kind) {
                    case "smessage", "message" -> {
                        if (push.size() == 3 && channel.events().equals(text(push.get(1)))) {
                            listener.announcement(text(push.get(2)));
                        }
                    }
                    case "sunsubscribe", "unsubscribe" -> {
                        // The server ended it: the channel's slot moved (or was deleted) away from this node.
                        connections.slotsMoved();
                        throw new RevocationUnavailableException("the server ended the subscription on "
                                + subscription.node + " (" + kind + "): " + channel.events() + " is served elsewhere now");
                    }
                    default -> {
                        // Other pushes (subscription confirmations, client-side tracking) say nothing about freshness.
                    }
                }
            } else if (reply instanceof Long) {
                listener.heartbeatAnswered(subscription.ledger.answered());
            } else {
                throw new JedisDataException("unexpected reply on the subscription: " + describe(reply));
            }
        }
    }

    @Override
    public void heartbeat() {
        Subscription subscription = current;
        if (subscription == null || subscription.mode == null) {
            throw new RevocationUnavailableException("not subscribed");
        }
        if (!subscription.ledger.sending(System.nanoTime())) {
            throw new RevocationUnavailableException(subscription.node + " answers no heartbeat");
        }
        try {
            subscription.connection.send(channel.heartbeat());
        } catch (JedisException e) {
            subscription.ledger.notSent();
            throw new RevocationUnavailableException("heartbeat to " + subscription.node + " failed: " + e.getMessage(), e);
        }
    }

    /** In a cluster only: a single server has no replica an operator could promote behind the subscription's back. */
    @Override
    public boolean checksOwnership() {
        return cluster;
    }

    /**
     * Asks every other master the client knows ({@code CLUSTER NODES}, each within redis.timeout-ms) which master,
     * not failing, serves the channel's slot. Never the subscription's node: paused and resumed, it answers with its
     * own, old view until it hears of its replacement; and a layout read from it would not even list the promoted
     * replica. A node that does not answer is passed over; one that names another node (or none) ends it.
     *
     * <p>When the client knows no other master (a cluster of one master), the other nodes the subscription's node lists
     * are asked instead: its replicas, one of which an operator may have promoted. Its view may be stale about who is
     * master, but not about which nodes there are; each node asked answers with its own view. A cluster of that node
     * alone has nothing that could be promoted behind its back: confirmed without asking.
     */
    @Override
    public void confirmOwnership() {
        Subscription subscription = current;
        if (subscription == null) {
            throw new OwnershipNotAsked("not subscribed", null);
        }
        HostAndPort node = subscription.node;
        int slot = JedisClusterCRC16.getSlot(channel.events());
        List<HostAndPort> others = othersToAsk(node);
        if (others.isEmpty()) {
            return; // a cluster of that node alone: no replica to promote
        }
        int asked = 0;
        RuntimeException firstFailure = null;
        for (HostAndPort other : others) {
            if (closed) {
                throw new OwnershipNotAsked("closed", null); // each hung node would hold close() up for its timeout
            }
            String view;
            try {
                view = ClusterLayout.nodes(connections, other);
            } catch (JedisException e) {
                firstFailure = firstFailure == null ? e : firstFailure;
                continue;
            }
            asked++;
            String serving = ClusterLayout.masterServing(view, slot);
            if (serving == null || !ClusterLayout.names(serving, node)) {
                connections.slotsMoved(); // resubscribe where the slot lives now
                throw new RevocationUnavailableException(other + " sees slot " + slot + " of " + channel.events()
                        + " served by " + (serving == null ? "no master" : ClusterLayout.nodeAddress(serving))
                        + ", not by " + node);
            }
        }
        if (asked == 0) {
            throw new OwnershipNotAsked("no node other than " + node + " could be asked whether it still serves "
                    + channel.events() + (firstFailure == null ? "" : ": " + firstFailure.getMessage()), firstFailure);
        }
    }

    /**
     * The nodes to ask whether {@code node} still serves the channel: the other masters the client knows, else (a cluster
     * of one master) the other nodes {@code node}'s own view lists; empty for a cluster of that node alone.
     *
     * @throws OwnershipNotAsked when there is no one to ask although the cluster has other nodes
     */
    private List<HostAndPort> othersToAsk(HostAndPort node) {
        List<HostAndPort> others = new ArrayList<>();
        try {
            for (HostAndPort master : connections.masters()) {
                if (!master.equals(node)) {
                    others.add(master);
                }
            }
        } catch (JedisException e) {
            throw new OwnershipNotAsked("no master known to ask whether " + node + " serves " + channel.events()
                    + ": " + e.getMessage(), e);
        }
        if (!others.isEmpty()) {
            return others;
        }
        String view;
        try {
            view = ClusterLayout.nodes(connections, node);
        } catch (JedisException e) {
            throw new OwnershipNotAsked("no other master known, and " + node + " did not list the other nodes to"
                    + " ask whether it still serves " + channel.events() + ": " + e.getMessage(), e);
        }
        if (!ClusterLayout.listsOtherNodes(view)) {
            return others;
        }
        others = ClusterLayout.otherNodes(view, node);
        others.remove(node);
        if (others.isEmpty()) {
            // Listed, but none with an address to ask (noaddr, handshake): nothing confirms the node.
            throw new OwnershipNotAsked("no node other than " + node + " has an address to ask whether it still"
                    + " serves " + channel.events() + ", though its view lists others", null);
        }
        return others;
    }

    @Override
    public void interrupt() {
        Subscription subscription = current;
        if (subscription != null) {
            interrupted = subscription;
            try {
                // Closing the socket ends the blocking read at once, even when the node hangs.
                subscription.connection.forceDisconnect();
            } catch (IOException | RuntimeException e) {
                // Already closed.
            }
        }
    }

    @Override
    public void scan(EntrySink sink) {
        try {
            scanner.scan(sink);
        } catch (JedisException e) {
            throw new RevocationUnavailableException("scan failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describeSubscription() {
        HostAndPort node = lastNode;
        return channel.events() + " on " + (node == null ? "no node yet" : node);
    }

    @Override
    public String refusal(Throwable failure) {
        return AccessRefusal.of(failure);
    }

    /** A subscription connection's socket is connected: a hung node would keep its handshake waiting. */
    private void opening(Socket socket) {
        opening = socket;
        if (closed) {
            closeQuietly(socket); // close() came before this socket was known
        }
    }

    @Override
    public void close() {
        closed = true;
        Socket socket = opening;
        if (socket != null) {
            closeQuietly(socket); // a connection still in its handshake, which interrupt() cannot reach
        }
        interrupt();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static String describe(Object reply) {
        return reply == null ? "null" : reply.getClass().getSimpleName();
    }
}
