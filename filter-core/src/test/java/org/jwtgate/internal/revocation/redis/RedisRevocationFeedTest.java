package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.NearCacheSettings;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.internal.revocation.NoRevocationStore;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.internal.revocation.nearcache.NearCacheRevocationStore;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testing.HungNode;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;

/** The near-cache's feed on Redis, against a node that accepts connections and never answers (a hung node). */
class RedisRevocationFeedTest {

    /**
     * A near-cache closed (undeploy, reload) while its subscription connection waits for the node's answer to its
     * handshake: close() waited 2 s for the subscriber thread, then returned with it still waiting, up to the
     * subscription's read timeout (2 × max(2 × redis.timeout-ms, 10 × max-staleness): 20 s with a timeout of 5 s).
     * Tomcat then warns that the application started the thread jwtgate-near-cache-subscriber and failed to stop it.
     */
    @Test
    void whenClosedWhileTheSubscriptionConnectsToAHungNodeThenNoNearCacheThreadOutlivesClose() throws Exception {
        closeWhileConnectingToAHungNode(false);
    }

    /**
     * The same with {@code redis.ssl=true}: the connection waits for the node's answer to its TLS handshake, which
     * comes before HELLO.
     */
    @Test
    void whenClosedWhileTheSubscriptionsTlsHandshakeWaitsOnAHungNodeThenNoNearCacheThreadOutlivesClose()
            throws Exception {
        closeWhileConnectingToAHungNode(true);
    }

    private void closeWhileConnectingToAHungNode(boolean ssl) throws Exception {
        try (HungNode hung = new HungNode()) {
            List<Socket> accepted = hung.accepted();
            HostAndPort node = new HostAndPort("127.0.0.1", hung.port());
            MasterConnections connections = new StubMasterConnections() {
                @Override
                public HostAndPort masterFor(String key) {
                    return node;
                }

                @Override
                public Connection connect(HostAndPort target) {
                    throw new UnsupportedOperationException("not used by this test");
                }
            };
            JedisClientSettings settings = new JedisClientSettings(new RedisSettings(
                    List.of(new RedisNode(node.getHost(), node.getPort())), "jwtgate:", 5_000, 3, 4, null, null, ssl));
            RedisRevocationFeed feed = new RedisRevocationFeed(connections, settings, false, Duration.ofSeconds(20));
            Set<Thread> before = nearCacheThreads();
            NearCacheRevocationStore store = new NearCacheRevocationStore(new NoRevocationStore(), feed,
                    new RevocationKeys("jwtgate:"), new NearCacheSettings(true, 100, 1_000, 300), Duration.ofSeconds(1),
                    Duration.ofSeconds(10), Clock.systemUTC());
            try {
                store.isRevoked(new TokenRef("https://issuer", "alice", "j1", Instant.now(), Instant.now().plusSeconds(60)));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (accepted.isEmpty() && System.nanoTime() - deadline < 0) {
                    Thread.sleep(10);
                }
                assertTrue(!accepted.isEmpty(), "the subscriber connected");
                // It sent its HELLO, or the first message of the TLS handshake before it: it waits for the answer.
                while (!sentSomething(accepted)) {
                    assertTrue(System.nanoTime() - deadline < 0,
                            "the subscriber sent nothing: neither HELLO nor a TLS handshake");
                    Thread.sleep(10);
                }
            } finally {
                store.close();
            }
            Set<Thread> left = nearCacheThreads();
            left.removeAll(before);
            assertTrue(left.isEmpty(), "alive after close(): " + left.stream().map(Thread::getName).toList());
        }
    }

    /** Whether the node received a byte on one of the connections it accepted. */
    private static boolean sentSomething(List<Socket> accepted) throws IOException {
        for (Socket socket : accepted) {
            if (socket.getInputStream().available() > 0) {
                return true;
            }
        }
        return false;
    }

    private static Set<Thread> nearCacheThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("jwtgate-near-cache") && thread.isAlive())
                .collect(Collectors.toSet());
    }
}
