package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.NearCacheStats;
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
        Path dir = Files.createTempDirectory("jwtgate-standalone-redis");
        Process server = new ProcessBuilder(binary.path().toString(), "--port", String.valueOf(port),
                "--bind", RedisCluster.HOST, "--protected-mode", "no", "--save", "", "--appendonly", "no",
                "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            await("the server to answer PING", () -> {
                try (Jedis jedis = new Jedis(RedisCluster.HOST, port)) {
                    return "PONG".equals(jedis.ping());
                } catch (RuntimeException e) {
                    return false;
                }
            });
            Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
            settings.put("revocation.store", "redis");
            settings.put("redis.nodes", RedisCluster.HOST + ":" + port);
            settings.put("revocation.min-replicas", "0");
            String live = TestTokens.hs256("live-" + UUID.randomUUID());
            String token = TestTokens.hs256("standalone-" + UUID.randomUUID());
            String sub = "standalone-user-" + UUID.randomUUID();
            String older = TestTokens.hs256(sub);
            try (JettyApp a = JettyApp.start(settings); JettyApp b = JettyApp.start(settings)) {
                awaitFresh(b, live);
                assertEquals(200, answeredLocally(b, token));

                RevocationService service = a.filter().revocationService();
                JwtPrincipal principal = ClusterApps.principal(a, token);
                service.revoke(principal); // throws if the announcement failed
                service.revokeUser(sub);

                assertEquals(401, a.getWithToken("/api", token).statusCode());
                assertEquals(401, answeredLocally(b, token), "announced to B");
                assertEquals(401, answeredLocally(b, older), "announced to B");
                assertEquals(200, answeredLocally(b, live));
                String mode = b.filter().revocationService().nearCacheStats().orElseThrow().pubSubMode();
                assertEquals(binary.majorVersion() >= 7 ? "sharded" : "classic", mode);

                try (JettyApp c = JettyApp.start(settings)) {
                    awaitFresh(c, live);
                    assertEquals(401, answeredLocally(c, token), "loaded by C's scan");
                    assertEquals(401, answeredLocally(c, older), "loaded by C's scan");
                }
            }
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(10));
        }
    }

    private static void awaitFresh(JettyApp app, String anyToken) throws Exception {
        app.getWithToken("/api", anyToken);
        await("the near-cache to be fresh", () -> stats(app).fresh());
    }

    /** The status of a request whose revocation check the near-cache answered (repeated while it lapses). */
    private static int answeredLocally(JettyApp app, String token) throws Exception {
        List<NearCacheStats> seen = new ArrayList<>();
        for (int attempt = 0; attempt < 10; attempt++) {
            await("the near-cache to be fresh", () -> stats(app).fresh());
            NearCacheStats before = stats(app);
            int status = app.getWithToken("/api", token).statusCode();
            NearCacheStats after = stats(app);
            seen.add(after);
            if (after.localChecks() == before.localChecks() + 1 && after.roundTripChecks() == before.roundTripChecks()) {
                return status;
            }
        }
        throw new AssertionError("no check was answered locally in 10 attempts: " + seen);
    }

    private static NearCacheStats stats(JettyApp app) {
        return app.filter().revocationService().nearCacheStats().orElseThrow();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not " + what + " within 20 s");
            }
            Thread.sleep(10);
        }
    }
}
