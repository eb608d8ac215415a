package org.jwtgate.internal.revocation.redis;

import java.io.IOException;
import java.util.UUID;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.internal.revocation.nearcache.RevocationFeed;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/**
 * The near-cache's feed on Redis (cluster or one node), sharing the store's connections:
 * <ul>
 *   <li>announcements: the publish script on the master owning the events channel's slot, following MOVED,
 *       retried within the store's budget ({@link RedisCommandRunner});</li>
 *   <li>the subscription: its own connection (not pooled) to that master, SUBSCRIBE to the events channel and
 *       this instance's heartbeat channel;</li>
 *   <li>heartbeats: the publish script on the subscription's node only — not following MOVED, so a heartbeat
 *       that arrives proves that node still owned the channel;</li>
 *   <li>scans: {@link KeyspaceScanner}.</li>
 * </ul>
 * Jedis exceptions leave only as the cause of a {@link RevocationUnavailableException}.
 */
final class RedisRevocationFeed implements RevocationFeed {

    private final MasterConnections connections;
    private final RedisCommandRunner runner;
    private final JedisClientConfig clientConfig;
    private final AnnouncementChannel channel;
    private final KeyspaceScanner scanner;
    private volatile Connection subscription;
    private volatile HostAndPort subscribedNode;
    /** The subscription connection {@link #interrupt()} closed on purpose. */
    private volatile Connection interrupted;
    private volatile boolean closed;

    RedisRevocationFeed(MasterConnections connections, JedisClientSettings settings, boolean cluster) {
        this.connections = connections;
        this.runner = new RedisCommandRunner(connections, settings.maxAttempts(), settings.retryBudget(),
                settings.timeoutMs());
        this.clientConfig = settings.clientConfig();
        this.channel = new AnnouncementChannel(settings.keyPrefix(), UUID.randomUUID().toString());
        this.scanner = new KeyspaceScanner(connections, settings.keyPrefix(), channel.events(), cluster);
    }

    @Override
    public void announce(String message) {
        runner.run("revocation announcement", channel.events(), connection -> connection.executeCommand(
                channel.announce(message)));
    }

    @Override
    public void listen(Listener listener) {
        HostAndPort node;
        Connection connection;
        try {
            node = connections.masterFor(channel.events());
        } catch (JedisException e) {
            throw new RevocationUnavailableException("no master known for " + channel.events() + ": " + e.getMessage(), e);
        }
        try {
            connection = new Connection(node, clientConfig);
        } catch (JedisException e) {
            connections.nodeFailed(node);
            throw new RevocationUnavailableException("cannot connect to " + node + ": " + e.getMessage(), e);
        }
        subscribedNode = node;
        subscription = connection;
        try {
            if (closed) {
                return;
            }
            new JedisPubSub() {
                @Override
                public void onSubscribe(String subscribed, int count) {
                    if (count == 2) {
                        listener.subscribed();
                    }
                }

                @Override
                public void onMessage(String from, String message) {
                    if (channel.events().equals(from)) {
                        listener.announcement(message);
                    } else if (channel.heartbeats().equals(from)) {
                        listener.heartbeat(message);
                    }
                }
            }.proceed(connection, channel.channels().toArray(new String[0]));
        } catch (JedisException e) {
            if (interrupted == connection || closed) {
                return;
            }
            if (e instanceof JedisConnectionException) {
                connections.nodeFailed(node);
            }
            throw new RevocationUnavailableException("subscription on " + node + " ended: " + e.getMessage(), e);
        } finally {
            subscription = null;
            connection.close();
        }
    }

    @Override
    public void heartbeat(String message) {
        HostAndPort node = subscribedNode;
        if (node == null) {
            throw new RevocationUnavailableException("not subscribed");
        }
        try (Connection connection = connections.connect(node)) {
            connection.executeCommand(channel.heartbeat(message));
        } catch (JedisMovedDataException e) {
            connections.slotsMoved();
            throw new RevocationUnavailableException(channel.events() + " moved from " + node + " to "
                    + e.getTargetNode(), e);
        } catch (JedisConnectionException e) {
            connections.nodeFailed(node);
            throw new RevocationUnavailableException("heartbeat through " + node + " failed: " + e.getMessage(), e);
        } catch (JedisException e) {
            throw new RevocationUnavailableException("heartbeat through " + node + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void interrupt() {
        Connection connection = subscription;
        if (connection != null) {
            interrupted = connection;
            try {
                // Closing the socket ends the blocking read at once, even when the node hangs.
                connection.forceDisconnect();
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
        HostAndPort node = subscribedNode;
        return channel.events() + " on " + (node == null ? "no node yet" : node);
    }

    @Override
    public void close() {
        closed = true;
        interrupt();
    }
}
