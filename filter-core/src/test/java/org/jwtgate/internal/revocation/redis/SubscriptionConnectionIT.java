package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The near-cache's subscription connection on a real node: once closed (the subscription ended, or was
 * interrupted), a heartbeat sent at that moment fails instead of Jedis opening a new socket for it — a
 * connection nobody reads, authenticates or closes.
 */
class SubscriptionConnectionIT {

    private static final String CLIENT_NAME = "jwtgate-subscription-connection-it";

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void whenClosedThenASendFailsAndOpensNoNewConnection() throws Exception {
        RedisCluster.Node node = REDIS.cluster().masters().get(0);
        int others = clients(node);
        SubscriptionConnection connection = new SubscriptionConnection(node.hostAndPort(),
                DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).clientName(CLIENT_NAME).build());
        try {
            connection.send(exists());
            assertEquals(0L, connection.read(), "the connection works");
            assertEquals(others + 1, clients(node), "one connection more while open");

            connection.forceDisconnect(); // what RedisRevocationFeed.interrupt does
            assertThrows(JedisConnectionException.class, () -> connection.send(exists()));

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (clients(node) != others && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            // Counted whatever their name: a reopened socket would be unnamed (no HELLO, no CLIENT SETNAME).
            assertEquals(others, clients(node), "no connection left or opened after the close");
        } finally {
            connection.close();
        }
    }

    private static CommandArguments exists() {
        return new CommandArguments(Protocol.Command.EXISTS).key("subscription-connection-it");
    }

    /** The node's client connections, this inspecting one left out (replicas' links included: they stay). */
    private static int clients(RedisCluster.Node node) {
        try (Jedis jedis = node.connect()) {
            return (int) jedis.clientList().lines().filter(line -> !line.contains(" cmd=client|list ")).count();
        }
    }
}
