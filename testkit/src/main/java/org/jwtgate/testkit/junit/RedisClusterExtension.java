package org.jwtgate.testkit.junit;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.jwtgate.testkit.RedisCluster;

/**
 * Starts one {@link RedisCluster} for a test class and closes it afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisClusterExtension REDIS = new RedisClusterExtension();
 *
 * @Test
 * void works(RedisCluster cluster) { ... }      // or REDIS.cluster()
 * }</pre>
 *
 * <p>The cluster lives in the class's {@link ExtensionContext.Store}, which closes it (it is
 * {@link AutoCloseable}) when the class is done, whatever happened; {@code @Nested} classes share it.
 * Registered on an instance field instead, it starts one cluster per test. Data is not flushed between
 * tests: call {@code REDIS.cluster().flushAll()} where a test needs a clean slate.
 *
 * <p>Parallel execution: each test class has a cluster of its own, also when several classes share one extension
 * instance (a static field of a common base class) and run at once; so many classes at once mean many clusters
 * (6 {@code redis-server} processes each by default). {@link #cluster()} then answers the cluster of the test
 * running on the calling thread; from a thread of the test's own, or in an {@code @AfterAll} method, take the
 * cluster as a parameter ({@code RedisCluster cluster}), which JUnit resolves for the right class.
 */
public final class RedisClusterExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

    /** Store key of what the thread held before a class's or test's callbacks; that class or test puts it back. */
    private static final String THREADS_PREVIOUS = "previous cluster of this thread";

    private final Supplier<RedisCluster> starter;
    private final ExtensionContext.Namespace namespace;
    /**
     * The cluster of the innermost class or test running on this thread (test bodies run on their callbacks' thread).
     * Set by the before-callbacks, put back by the after-callbacks: in JUnit's parallel pool a thread runs other
     * classes' tasks in the middle of one of its own, and must not keep their cluster when it returns.
     */
    private final ThreadLocal<RedisCluster> clusterOfThisThread = new ThreadLocal<>();
    /** Every cluster this extension has running: one per test class at a time, several with parallel classes. */
    private final Set<RedisCluster> running = ConcurrentHashMap.newKeySet();

    /** 3 masters, 1 replica each: {@link RedisCluster#start()}. */
    public RedisClusterExtension() {
        this(RedisCluster.builder());
    }

    /**
     * A cluster with other options, e.g. {@code new RedisClusterExtension(RedisCluster.builder().masters(1))}.
     *
     * @param options the builder each test class's cluster is started from; read at every start, so it is not to be
     *                changed afterwards
     */
    public RedisClusterExtension(RedisCluster.Builder options) {
        this.starter = options::start;
        this.namespace = ExtensionContext.Namespace.create(RedisClusterExtension.class, this);
    }

    /**
     * The running cluster of the test class on the calling thread, or else the only one running; only valid while the
     * test class runs. Throws when another thread asks while several classes run at once (see the class description).
     *
     * @return the running cluster, not to be closed by the test: the extension closes it when the class ends
     * @throws IllegalStateException when no cluster of this extension runs, or several do and the calling thread runs
     *                               none of their tests
     */
    public RedisCluster cluster() {
        RedisCluster ofThisThread = clusterOfThisThread.get();
        if (ofThisThread != null && running.contains(ofThisThread)) {
            return ofThisThread;
        }
        List<RedisCluster> candidates = List.copyOf(running);
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("No cluster yet: register the extension with @RegisterExtension and use it from tests");
        }
        throw new IllegalStateException(candidates.size() + " test classes run a cluster of this extension at once (parallel"
                + " execution), and this thread runs none of their tests: take the cluster as a test parameter (RedisCluster cluster)");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        rememberThreadsCluster(context);
        obtain(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        rememberThreadsCluster(context);
        obtain(context); // finds the class's cluster; starts one only for an instance-field registration
    }

    @Override
    public void afterEach(ExtensionContext context) {
        restoreThreadsCluster(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        restoreThreadsCluster(context);
    }

    /** Kept in the context's own store: JUnit calls the after-callback even when another extension's before failed. */
    private void rememberThreadsCluster(ExtensionContext context) {
        context.getStore(namespace).put(THREADS_PREVIOUS, new Previous(clusterOfThisThread.get()));
    }

    private void restoreThreadsCluster(ExtensionContext context) {
        Previous previous = context.getStore(namespace).remove(THREADS_PREVIOUS, Previous.class); // this context's only
        if (previous == null) {
            return; // its before-callback did not run
        }
        if (previous.cluster() == null) {
            clusterOfThisThread.remove();
        } else {
            clusterOfThisThread.set(previous.cluster());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return obtain(context);
    }

    /**
     * The store looks up parent contexts first, so every context below the starting one shares its cluster. JUnit 6
     * deprecates getOrComputeIfAbsent for computeIfAbsent, which 5.13 and 5.14 do not have: the kit supports both.
     */
    @SuppressWarnings("deprecation")
    private RedisCluster obtain(ExtensionContext context) {
        RedisCluster current = context.getStore(namespace).getOrComputeIfAbsent("cluster", key -> new Running(starter.get()),
                Running.class).cluster();
        clusterOfThisThread.set(current);
        return current;
    }

    /** What a thread held before a class's or test's callbacks (possibly nothing). */
    private record Previous(RedisCluster cluster) {
    }

    /** A started cluster, counted as running until the store closes it with its context. */
    private final class Running implements AutoCloseable {
        private final RedisCluster cluster;

        Running(RedisCluster cluster) {
            this.cluster = cluster;
            running.add(cluster);
        }

        RedisCluster cluster() {
            return cluster;
        }

        @Override
        public void close() {
            running.remove(cluster);
            cluster.close();
        }
    }
}
