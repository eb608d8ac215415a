package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.engine.Health;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * What a caller racing with the stop sees: requests the filter still serves after {@code destroy()} (in flight when the
 * container stopped it) and revocations sent through a closed gate fail as "unavailable", saying that JwtGate was
 * closed, not that Redis is unreachable (which sent operators looking for an outage at every redeploy under load).
 */
class ShutdownUnderLoadIT {

    /** One master, which owns every slot: also a plain server for {@code revocation.store=redis}. */
    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(1));

    /**
     * Before, a check said {@code JedisConnectionException: Not connected to Redis Cluster [...] yet (no attempt yet)}
     * with {@code redis-cluster}, and {@code Could not get a resource from the pool} (pool exhaustion) with
     * {@code redis}, after three "attempts".
     */
    @Test
    void whenTheGateIsClosedThenChecksAndRevocationsFailSayingItIsClosed() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        List<Map<String, String>> stores = List.of(
                ClusterApps.settings(cluster.nodesSpec()),
                ClusterApps.settings(cluster.masters().get(0).hostAndPort().toString(), "revocation.store", "redis",
                        "revocation.near-cache", "false"));
        for (Map<String, String> settings : stores) {
            JwtGate gate = JwtGate.start(JwtGateConfig.load(settings, ConfigSources.none()));
            JwtPrincipal user = gate.verify(TestTokens.hs256("closing"));
            assertFalse(gate.revocation().isRevoked(user), "served while open");
            ExecutorService closers = Executors.newFixedThreadPool(2);
            List<Future<?>> closes = List.of(closers.submit(gate::close), closers.submit(gate::close));
            for (Future<?> close : closes) {
                close.get(30, TimeUnit.SECONDS); // closed twice at once, without an error
            }
            closers.shutdown();
            gate.close(); // and once more
            assertEquals(Health.Status.DOWN, gate.health().status(), "health answers, as down");
            for (Runnable call : List.<Runnable>of(() -> gate.revocation().isRevoked(user),
                    () -> gate.revocation().revokeToken(TokenRef.of(user)),
                    () -> gate.revocation().revokeUser("closing"))) {
                RevocationUnavailableException e = assertThrows(RevocationUnavailableException.class, call::run,
                        settings.get("revocation.store"));
                assertTrue(e.getMessage().contains("JwtGate was closed"), e.getMessage());
            }
        }
    }

    /**
     * Requests the filter serves after destroy() get 503 (never a 500 from a closed pool) or pass from the
     * near-cache while it is still fresh; the one WARN says the filter stopped; nothing is left once it returned.
     */
    @Test
    void whenTheFilterIsDestroyedUnderLoadThenRequestsGet503AndTheLogSaysItStopped() throws Exception {
        Set<String> threadsBefore = jwtgateThreads();
        int clientsBefore = clients();
        try (CapturedLog log = CapturedLog.standardError()) {
            JettyApp app = ClusterApps.start(REDIS.cluster(), "revocation.near-cache", "false");
            try {
                assertEquals(200, app.getWithToken("/api", TestTokens.hs256("loaded")).statusCode());
                Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
                AtomicBoolean destroyed = new AtomicBoolean();
                ExecutorService clients = Executors.newFixedThreadPool(4);
                List<Future<?>> load = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String subject = "loaded" + i;
                    load.add(clients.submit(() -> {
                        // Until some requests were answered after the stop: their check met the closed store.
                        for (int after = 0; after < 20; ) {
                            boolean stopped = destroyed.get();
                            int status = app.getWithToken("/api", TestTokens.hs256(subject)).statusCode();
                            statuses.merge(status, 1, Integer::sum);
                            after += stopped ? 1 : 0;
                        }
                        return null;
                    }));
                }
                while (statuses.values().stream().mapToInt(Integer::intValue).sum() < 40) {
                    Thread.onSpinWait();
                }
                app.filter().destroy();
                destroyed.set(true);
                for (Future<?> each : load) {
                    each.get(30, TimeUnit.SECONDS);
                }
                clients.shutdown();
                assertEquals(Set.of(200, 503), statuses.keySet(), "statuses: " + statuses);
                app.filter().destroy(); // a second destroy() does nothing
            } finally {
                app.close();
            }
            List<String> unavailable = log.warnings().stream().filter(l -> l.contains("Answering 503")).toList();
            assertFalse(unavailable.isEmpty(), log.text());
            assertTrue(unavailable.stream().allMatch(l -> l.contains("JwtGate was closed")), String.join("\n", unavailable));
        }
        assertEquals(threadsBefore, jwtgateThreads(), "no thread of JwtGate left");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); // a node sees a closed socket a moment later
        while (clients() != clientsBefore && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        assertEquals(clientsBefore, clients(), "no connection to the cluster left (CLIENT LIST on every node)");
    }

    private static Set<String> jwtgateThreads() {
        Set<String> names = new java.util.TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("jwtgate-") || thread.getName().contains("pool-evictor")) {
                names.add(thread.getName());
            }
        }
        return names;
    }

    /** Connections open on the cluster's nodes, this count's own excluded. */
    private static int clients() {
        int count = 0;
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                count += jedis.clientList().split("\n").length - 1;
            }
        }
        return count;
    }
}
