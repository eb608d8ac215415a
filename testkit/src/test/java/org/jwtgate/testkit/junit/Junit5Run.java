package org.jwtgate.testkit.junit;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.jwtgate.testkit.RedisCluster;
import redis.clients.jedis.Jedis;

/**
 * Run by {@link RedisClusterExtensionOnJunit5IT} in a JVM whose only JUnit is an older one: runs {@link Fixture}
 * through that JUnit's launcher and prints one line saying what ran, what failed, and whether the class's cluster was
 * closed when the class ended.
 */
final class Junit5Run {

    private Junit5Run() {
    }

    public static void main(String[] args) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(Fixture.class)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        String failures = summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                .collect(Collectors.joining("; "));
        boolean closed = Fixture.seen != null && Fixture.seen.nodes().stream().noneMatch(RedisCluster.Node::isAlive);
        boolean junit6Api = Arrays.stream(ExtensionContext.Store.class.getMethods())
                .anyMatch(m -> m.getName().equals("computeIfAbsent"));
        System.out.println("jupiter=" + ExtensionContext.class.getProtectionDomain().getCodeSource().getLocation());
        System.out.println("junit6Api=" + junit6Api + " started=" + summary.getTestsStartedCount()
                + " succeeded=" + summary.getTestsSucceededCount() + " closed=" + closed + " failures=[" + failures + "]");
    }

    /** What an application's test class does with the kit. */
    static final class Fixture {
        @RegisterExtension
        static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(1).replicasPerMaster(0));

        static volatile RedisCluster seen;

        @Test
        void theClassHasARunningCluster(RedisCluster cluster) {
            seen = cluster;
            if (REDIS.cluster() != cluster) {
                throw new AssertionError("REDIS.cluster() is not the parameter's cluster");
            }
            try (Jedis jedis = cluster.masters().get(0).connect()) {
                if (!"PONG".equals(jedis.ping())) {
                    throw new AssertionError("no PONG");
                }
            }
        }
    }
}
