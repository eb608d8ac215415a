package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.RedisServerBinary;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.process.PortClaims;
import org.jwtgate.testkit.process.ServerProcesses;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Seeds that are of one cluster, or of none yet, are not taken for seeds of two (a review's cases): a node without
 * slots that knows no cluster (one redis-cli --cluster del-node reset, or one started for an add-node), which Jedis
 * passes over, and a node that has just met the cluster, whose handshake is not done.
 */
class SeedClustersIT {

    @RegisterExtension
    static final RedisClusterExtension A = new RedisClusterExtension(RedisCluster.builder().masters(1).replicasPerMaster(1));

    @TempDir
    Path dir;

    @Test
    void whenASeedIsANodeOfNoClusterThenItSplitsNothing() throws Exception {
        int port = freeNodePort();
        Process server = emptyClusterNode(port);
        try {
            HostAndPort lonely = awaitPing(port);
            Set<HostAndPort> seeds = new LinkedHashSet<>(List.of(A.cluster().masters().get(0).hostAndPort(), lonely));
            assertNull(SeedClusters.twoClusters(seeds, DefaultJedisClientConfig.builder().build()));
            Set<HostAndPort> reversed = new LinkedHashSet<>(List.of(lonely, A.cluster().masters().get(0).hostAndPort()));
            assertNull(SeedClusters.twoClusters(reversed, DefaultJedisClientConfig.builder().build()));
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(10));
        }
    }

    @Test
    void whenASeedHasJustMetTheClusterThenItIsOfTheSameCluster() throws Exception {
        int port = freeNodePort();
        Process server = emptyClusterNode(port);
        try {
            HostAndPort joining = awaitPing(port);
            HostAndPort master = A.cluster().masters().get(0).hostAndPort();
            Set<HostAndPort> seeds = new LinkedHashSet<>(List.of(A.cluster().replicas().get(0).hostAndPort(), joining));
            try (Jedis jedis = new Jedis(joining)) {
                jedis.clusterMeet(RedisCluster.HOST, master.getPort()); // redis-cli --cluster add-node's first step
            }
            assertNull(SeedClusters.twoClusters(seeds, DefaultJedisClientConfig.builder().build()), "right after MEET");
            Thread.sleep(3000);
            assertNull(SeedClusters.twoClusters(seeds, DefaultJedisClientConfig.builder().build()), "after gossip");
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(10));
        }
    }

    /**
     * A free port whose cluster bus port (port + 10000) is free and claimed too: a free port of [2000, 12000) has its bus
     * port among the test clusters' node ports, and a node whose bus port is taken does not start.
     */
    private static int freeNodePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ServerProcesses.freeLoopbackPort();
            try (ServerSocket bus = new ServerSocket()) {
                bus.setReuseAddress(true);
                bus.bind(new InetSocketAddress(RedisCluster.HOST, port + 10000), 1);
            } catch (IOException taken) {
                continue;
            }
            if (PortClaims.claim(port + 10000)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port whose cluster bus port is free too");
    }

    private Process emptyClusterNode(int port) throws Exception {
        return new ProcessBuilder(RedisServerBinary.locate().path().toString(), "--port", String.valueOf(port),
                "--bind", RedisCluster.HOST, "--protected-mode", "no", "--save", "", "--appendonly", "no",
                "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
                "--dir", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("log-" + port).toFile()).start();
    }

    private static HostAndPort awaitPing(int port) throws Exception {
        HostAndPort node = new HostAndPort(RedisCluster.HOST, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Jedis jedis = new Jedis(node)) {
                if ("PONG".equals(jedis.ping())) {
                    return node;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
