package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.internal.revocation.nearcache.RevocationFeed;
import org.jwtgate.testkit.RedisServerBinary;
import org.jwtgate.testkit.process.ServerProcesses;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * RedisRevocationFeed.confirmOwnership in a cluster of one master (the client knows no other master): the node's own
 * view lists whom to ask. The subscription is real (a plain redis-server takes SSUBSCRIBE); the CLUSTER NODES answers are
 * written here. Only a view of that node alone confirms without asking; one listing other nodes none of which can be
 * asked (noaddr, handshake, unreachable) confirms nothing (a review found noaddr and handshake confirmed).
 */
class OwnershipCheckOneMasterIT {

    @TempDir
    Path dir;

    private Process redis;
    private HostAndPort node;
    private final List<HostAndPort> asked = new CopyOnWriteArrayList<>();
    private volatile String view;
    private RedisRevocationFeed feed;
    private Thread listener;

    @BeforeEach
    void start() throws Exception {
        int port = ServerProcesses.freeLoopbackPort();
        redis = new ProcessBuilder(RedisServerBinary.locate().path().toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        node = new HostAndPort("127.0.0.1", port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket ignored = new Socket(node.getHost(), port)) {
                break;
            } catch (java.io.IOException e) {
                assertTrue(System.nanoTime() < deadline, "redis-server did not start");
                Thread.sleep(20);
            }
        }
        MasterConnections connections = new StubMasterConnections() {
            @Override
            public HostAndPort masterFor(String key) {
                return node;
            }

            @Override
            public List<HostAndPort> masters() {
                return List.of(node); // a cluster of one master, as the client knows it
            }

            @Override
            public Connection connect(HostAndPort target) {
                asked.add(target);
                if (!target.equals(node)) {
                    throw new JedisConnectionException("unreachable " + target);
                }
                return new Connection() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T executeCommand(CommandObject<T> command) {
                        return (T) view;
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
        JedisClientSettings settings = new JedisClientSettings(new RedisSettings(
                List.of(new RedisNode(node.getHost(), node.getPort())), "jwtgate:", 1_000, 3, 4, null, null, false));
        feed = new RedisRevocationFeed(connections, settings, true, Duration.ofSeconds(20));
        CountDownLatch subscribed = new CountDownLatch(1);
        listener = new Thread(() -> {
            try {
                feed.listen(new RevocationFeed.Listener() {
                    @Override
                    public void subscribed(RevocationFeed.Mode mode) {
                        subscribed.countDown();
                    }

                    @Override
                    public void announcement(String message) {
                    }

                    @Override
                    public void heartbeatAnswered(long sentAtNanos) {
                    }
                });
            } catch (RuntimeException e) {
                // closed
            }
        }, "ownership-test-listener");
        listener.setDaemon(true);
        listener.start();
        assertTrue(subscribed.await(10, TimeUnit.SECONDS), "subscribed");
    }

    @AfterEach
    void stop() throws Exception {
        if (feed != null) {
            feed.close();
        }
        if (listener != null) {
            listener.join(5_000);
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The view lists that node alone: nothing could be promoted behind its back, so it is confirmed without asking. */
    @Test
    void whenTheViewListsThatNodeAloneThenConfirmed() {
        view = "a1 127.0.0.1:" + node.getPort() + "@1 myself,master - 0 0 1 connected 0-16383\n";
        feed.confirmOwnership();
        assertTrue(asked.equals(List.of(node)), "asked: " + asked);
    }

    /**
     * The view lists a replica, without an address (noaddr: Redis clears a node's address when a PONG from it came with
     * another node id). No node could be asked: nothing confirms the node.
     */
    @Test
    void whenTheViewListsAReplicaWithoutAddressThenNothingConfirmsTheNode() {
        view = "a1 127.0.0.1:" + node.getPort() + "@1 myself,master - 0 0 1 connected 0-16383\n"
                + "b2 :0@0 slave,noaddr a1 0 0 1 disconnected\n";
        assertThrows(RevocationFeed.OwnershipNotAsked.class, feed::confirmOwnership,
                () -> "a replica is listed, no node but the subscription's own was asked (asked: " + asked + "), yet it was confirmed");
    }

    /** The same with a replica the node still handshakes with. */
    @Test
    void whenTheViewListsAReplicaInHandshakeThenNothingConfirmsTheNode() {
        view = "a1 127.0.0.1:" + node.getPort() + "@1 myself,master - 0 0 1 connected 0-16383\n"
                + "e5 127.0.0.1:7005@17005 handshake - 0 0 0 disconnected\n";
        assertThrows(RevocationFeed.OwnershipNotAsked.class, feed::confirmOwnership,
                () -> "a node is listed, no node but the subscription's own was asked (asked: " + asked + "), yet it was confirmed");
    }

    /** A listed replica that cannot be reached: nothing confirms the node. */
    @Test
    void whenTheListedReplicaIsUnreachableThenNotAsked() {
        view = "a1 127.0.0.1:" + node.getPort() + "@1 myself,master - 0 0 1 connected 0-16383\n"
                + "b2 127.0.0.1:1@2 slave a1 0 0 1 connected\n";
        assertThrows(RevocationFeed.OwnershipNotAsked.class, feed::confirmOwnership, () -> "asked: " + asked);
    }
}
