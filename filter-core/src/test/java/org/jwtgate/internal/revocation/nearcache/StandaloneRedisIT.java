package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.RedisServerBinary;
import org.jwtgate.testkit.process.ServerProcesses;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;

/**
 * {@code revocation.store=redis} on a plain Redis server — not cluster mode, as most single-node users run it,
 * where {@code ASKING} and the {@code CLUSTER} commands are refused — with the near-cache on: revocations are
 * stored, announced (sharded pub/sub on Redis 7, the classic publish script on the embedded 6.2) and refused
 * by another instance from its near-cache, and loaded by a third instance's scan. Both server versions
 * when the machine has a Redis 7 on its PATH.
 */
class StandaloneRedisIT {

    /** The servers' directories: JUnit deletes it after the test (each server is stopped in the test's finally). */
    @TempDir
    Path servers;

    static Stream<RedisServerBinary> binaries() {
        RedisServerBinary found = RedisServerBinary.locate();
        RedisServerBinary embedded = RedisServerBinary.embedded();
        return found.path().equals(embedded.path()) ? Stream.of(embedded) : Stream.of(found, embedded);
    }

    @ParameterizedTest(name = "redis-server {0}")
    @MethodSource("binaries")
    void whenOnePlainServerThenRevocationsAreStoredAnnouncedAndRefusedFromOtherInstancesNearCaches(
            RedisServerBinary binary) throws Exception {
        int port = ServerProcesses.freeLoopbackPort();
        Process server = startServer(servers, binary, port);
        try {
            Map<String, String> settings = settings(port);
            String live = TestTokens.hs256("live-" + UUID.randomUUID());
            String token = TestTokens.hs256("standalone-" + UUID.randomUUID());
            String sub = "standalone-user-" + UUID.randomUUID();
            String older = TestTokens.hs256(sub);
            try (JettyApp a = JettyApp.start(settings); JettyApp b = JettyApp.start(settings)) {
                NearCacheApps.awaitFresh(b, live);
                assertEquals(200, NearCacheApps.statusAnsweredLocally(b, token));

                RevocationService service = a.filter().revocationService();
                JwtPrincipal principal = ClusterApps.principal(a, token);
                service.revoke(principal); // throws if the announcement failed
                service.revokeUser(sub);

                assertEquals(401, a.getWithToken("/api", token).statusCode());
                assertEquals(401, NearCacheApps.statusAnsweredLocally(b, token), "announced to B");
                assertEquals(401, NearCacheApps.statusAnsweredLocally(b, older), "announced to B");
                assertEquals(200, NearCacheApps.statusAnsweredLocally(b, live));
                String mode = NearCacheApps.nearCache(b).stats().pubSubMode();
                assertEquals(binary.majorVersion() >= 7 ? "sharded" : "classic", mode);

                try (JettyApp c = JettyApp.start(settings)) {
                    NearCacheApps.awaitFresh(c, live);
                    assertEquals(401, NearCacheApps.statusAnsweredLocally(c, token), "loaded by C's scan");
                    assertEquals(401, NearCacheApps.statusAnsweredLocally(c, older), "loaded by C's scan");
                }
            }
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(10));
        }
    }

    /**
     * A server demoted by {@code REPLICAOF} keeps its subscribers, and answers reads: its subscribers would count
     * as fresh while announcements go to the new master (here, with the replication link down, never to them).
     * The heartbeat only a master answers makes them stop answering locally.
     */
    @ParameterizedTest(name = "redis-server {0}")
    @MethodSource("binaries")
    void whenTheServerIsDemotedToAReplicaThenTheNearCacheStopsAnsweringLocally(RedisServerBinary binary)
            throws Exception {
        int port = ServerProcesses.freeLoopbackPort();
        Process server = startServer(servers, binary, port);
        try (JettyApp b = JettyApp.start(settings(port))) {
            NearCacheApps.awaitFresh(b, TestTokens.hs256("live-" + UUID.randomUUID()));
            try (Jedis jedis = new Jedis(RedisCluster.HOST, port)) {
                // A master that is not there: the link stays down, as while a new master is being promoted.
                jedis.replicaof(RedisCluster.HOST, ServerProcesses.freeLoopbackPort());
            }
            NearCacheApps.await("B to stop answering locally", Duration.ofSeconds(5),
                    () -> !NearCacheApps.nearCache(b).isFresh());
            Thread.sleep(1_000); // and to stay so: resubscribing to the replica does not make it fresh again
            assertFalse(NearCacheApps.nearCache(b).isFresh(), NearCacheApps.nearCache(b).stats().toString());
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(10));
        }
    }

    private static Process startServer(Path parent, RedisServerBinary binary, int port) throws Exception {
        Path dir = Files.createTempDirectory(parent, "redis");
        Process server = new ProcessBuilder(binary.path().toString(), "--port", String.valueOf(port),
                "--bind", RedisCluster.HOST, "--protected-mode", "no", "--save", "", "--appendonly", "no",
                "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            NearCacheApps.await("the server to answer PING", Duration.ofSeconds(20), () -> {
                try (Jedis jedis = new Jedis(RedisCluster.HOST, port)) {
                    return "PONG".equals(jedis.ping());
                } catch (RuntimeException e) {
                    return false;
                }
            });
        } catch (RuntimeException | Error e) {
            ServerProcesses.stop(server, Duration.ofSeconds(10));
            throw e;
        }
        return server;
    }

    private static Map<String, String> settings(int port) {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put("revocation.store", "redis");
        settings.put("redis.nodes", RedisCluster.HOST + ":" + port);
        settings.put("revocation.min-replicas", "0");
        return settings;
    }
}
