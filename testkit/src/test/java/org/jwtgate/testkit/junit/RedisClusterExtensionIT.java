package org.jwtgate.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.jwtgate.testkit.RedisCluster;

/**
 * The extension under JUnit's parallel execution, as an application's suite may run it: two test classes that share
 * one extension instance (a static field of their base class) run at once, each with a cluster of its own, and
 * {@code REDIS.cluster()} in each test is that test's cluster. Runs the two classes below through the JUnit Platform
 * launcher with parallel classes.
 */
class RedisClusterExtensionIT {

    /** Holds both classes' tests until both classes have their cluster (and again until both asked from a thread). */
    private static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);

    @Test
    void whenTwoClassesSharingTheExtensionRunInParallelThenEachTestSeesItsOwnClassesCluster() {
        assertAllPassed(2, execute(PARALLEL_CLASSES, FirstParallelClass.class, SecondParallelClass.class));
    }

    /**
     * Another class's tests ran on a test's thread in the middle of that test, as in JUnit's work-stealing pool, where
     * a thread waiting for forked tasks (concurrent methods) runs other classes' tasks meanwhile; here a nested
     * launcher run makes it happen on purpose. Back in its test, {@code REDIS.cluster()} answers that test's cluster,
     * not the other class's, nor refuses because a third class runs at the same time.
     */
    @Test
    void whenAnotherClassRanOnTheTestsThreadThenClusterStillAnswersTheTestsOwnCluster() {
        assertAllPassed(2, execute(PARALLEL_CLASSES, HostClass.class, BystanderClass.class));
    }

    private static final Map<String, String> PARALLEL_CLASSES = Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "same_thread",
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "2");

    /** Runs {@code classes} through the JUnit Platform launcher; with no parameters, one after the other on this thread. */
    private static TestExecutionSummary execute(Map<String, String> parameters, Class<?>... classes) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(classes).map(DiscoverySelectors::selectClass).toList())
                .configurationParameters(parameters)
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        return listener.getSummary();
    }

    private static void assertAllPassed(int tests, TestExecutionSummary summary) {
        String failures = summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                .collect(Collectors.joining("\n"));
        assertEquals(tests, summary.getTestsStartedCount(), failures);
        assertEquals(0, summary.getTotalFailureCount(), failures);
    }

    /** What an application's integration tests share: one cluster per class, declared once. */
    abstract static class SharedClusterBase {
        @RegisterExtension
        static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(1).replicasPerMaster(0));

        @Test
        void theExtensionsClusterIsThisClassesCluster(RedisCluster cluster) throws Exception {
            BOTH_RUNNING.await(60, TimeUnit.SECONDS);
            assertSame(cluster, REDIS.cluster(), "REDIS.cluster() in " + getClass().getSimpleName()
                    + " answered another class's cluster");

            // A thread of the test's own cannot tell which class it serves: it is told to take the parameter.
            FutureTask<RedisCluster> fromOwnThread = new FutureTask<>(REDIS::cluster);
            new Thread(fromOwnThread, "own-thread-of-" + getClass().getSimpleName()).start();
            ExecutionException refused = assertThrows(ExecutionException.class, () -> fromOwnThread.get(60, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof IllegalStateException
                    && refused.getCause().getMessage().contains("take the cluster as a test parameter"), refused.toString());
            BOTH_RUNNING.await(60, TimeUnit.SECONDS); // both asked while both clusters ran
        }
    }

    static final class FirstParallelClass extends SharedClusterBase {
    }

    static final class SecondParallelClass extends SharedClusterBase {
    }

    /** Holds the host's and the bystander's tests until both classes have their cluster, and until the host checked. */
    private static final CyclicBarrier HOST_AND_BYSTANDER = new CyclicBarrier(2);

    /** Classes of their own extension instance, apart from the ones above. */
    abstract static class InterleavedBase {
        @RegisterExtension
        static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(1).replicasPerMaster(0));
    }

    static final class HostClass extends InterleavedBase {
        @Test
        void theTestsOwnClusterAfterAGuestClassRanOnThisThread(RedisCluster cluster) throws Exception {
            HOST_AND_BYSTANDER.await(60, TimeUnit.SECONDS);
            try {
                assertAllPassed(1, execute(Map.of(), GuestClass.class));

                assertSame(cluster, REDIS.cluster(), "REDIS.cluster() after the guest class answered another cluster");
            } finally {
                HOST_AND_BYSTANDER.await(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Runs its cluster while the host checks: two running clusters leave cluster() only the thread to go by. */
    static final class BystanderClass extends InterleavedBase {
        @Test
        void runsWhileTheHostChecks(RedisCluster cluster) throws Exception {
            HOST_AND_BYSTANDER.await(60, TimeUnit.SECONDS);
            HOST_AND_BYSTANDER.await(60, TimeUnit.SECONDS);
        }
    }

    static final class GuestClass extends InterleavedBase {
        @Test
        void runsOnTheHostsThread(RedisCluster cluster) {
            assertSame(cluster, REDIS.cluster());
        }
    }
}
