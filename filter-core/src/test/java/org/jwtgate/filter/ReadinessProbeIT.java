package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.engine.Health;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * docs/monitoring.md's Kubernetes readiness probe while a Redis master hangs (a network partition, a long pause; no
 * failover yet): the near-cache stays fresh, requests are served, health says DEGRADED (200), and every health call
 * must answer within the probe's {@code timeoutSeconds}. A call that finds no answer younger than a second probes Redis
 * and waits for the hung master's timeouts; past the timeout Kubernetes counts a failure, and after
 * {@code failureThreshold} of them takes the pod out of the Service: every pod at once, since all see the same master.
 */
class ReadinessProbeIT {

    /** No failover while the master hangs: the state a failover ends is the one to probe. */
    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(
            RedisCluster.builder().nodeTimeout(Duration.ofSeconds(60)));

    private static final Path PAGE = Path.of("..", "docs", "monitoring.md");
    /** Kubernetes' timeoutSeconds when a probe does not set it. */
    private static final int KUBERNETES_DEFAULT_TIMEOUT_SECONDS = 1;

    @Test
    void whenAMasterHangsThenEachHealthCallAnswersDegradedWithinTheDocumentedProbeTimeout() throws Exception {
        long timeoutMillis = documentedProbeTimeoutSeconds() * 1000L;
        RedisCluster cluster = REDIS.cluster();
        // Not the master of the near-cache's channel: its heartbeats keep it fresh, and checks are answered locally.
        RedisCluster.Node channel = cluster.masterForKey(ClusterApps.PREFIX + "events");
        RedisCluster.Node hung = cluster.masters().stream().filter(master -> master != channel).findFirst().orElseThrow();
        // With DPoP health asks each master two things (the checks' read, the proof record's probe): the slowest case.
        try (JettyApp app = JettyApp.startNamed("readiness-hung-master", ClusterApps.settings(cluster.nodesSpec(),
                "dpop.mode", "allowed"))) {
            assertEquals(200, app.getWithToken("/api", TestTokens.hs256("rita")).statusCode()); // starts the near-cache
            awaitStatus(app, Health.Status.UP);
            hung.pause();
            try {
                for (int call = 0; call < 4; call++) {
                    Thread.sleep(1_200); // past the reuse of the last answer, as every probe periodSeconds apart is
                    long start = System.nanoTime();
                    Health health = app.filter().health();
                    long tookMillis = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(Health.Status.DEGRADED, health.status(), health.toString());
                    assertTrue(tookMillis < timeoutMillis, "health took " + tookMillis + " ms, past the documented "
                            + "readiness probe's timeoutSeconds (" + timeoutMillis + " ms): " + health);
                    assertEquals(200, app.getWithToken("/api", TestTokens.hs256("rita-" + call)).statusCode());
                }
            } finally {
                hung.resume();
            }
        }
    }

    /** The {@code timeoutSeconds} of the page's readinessProbe example; Kubernetes' default when it sets none. */
    private static int documentedProbeTimeoutSeconds() throws Exception {
        List<String> lines = Files.readAllLines(PAGE);
        int start = lines.indexOf("readinessProbe:");
        assertTrue(start > 0, "docs/monitoring.md's readinessProbe example");
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("timeoutSeconds:")) {
                return Integer.parseInt(line.substring("timeoutSeconds:".length()).strip());
            }
        }
        return KUBERNETES_DEFAULT_TIMEOUT_SECONDS;
    }

    private static void awaitStatus(JettyApp app, Health.Status status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && app.filter().health().status() != status) {
            Thread.sleep(50);
        }
        assertEquals(status, app.filter().health().status(), app.filter().health().toString());
    }
}
