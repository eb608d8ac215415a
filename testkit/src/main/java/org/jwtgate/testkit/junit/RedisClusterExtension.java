package org.jwtgate.testkit.junit;

import java.util.function.Supplier;
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
 */
public final class RedisClusterExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private final Supplier<RedisCluster> starter;
    private final ExtensionContext.Namespace namespace;
    private volatile RedisCluster cluster;

    /** 3 masters, 1 replica each: {@link RedisCluster#start()}. */
    public RedisClusterExtension() {
        this(RedisCluster.builder());
    }

    /** A cluster with other options, e.g. {@code new RedisClusterExtension(RedisCluster.builder().masters(1))}. */
    public RedisClusterExtension(RedisCluster.Builder options) {
        this.starter = options::start;
        this.namespace = ExtensionContext.Namespace.create(RedisClusterExtension.class, this);
    }

    /** The running cluster; only valid while the test class runs. */
    public RedisCluster cluster() {
        RedisCluster current = cluster;
        if (current == null) {
            throw new IllegalStateException("No cluster yet: register the extension with @RegisterExtension and use it from tests");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        obtain(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        obtain(context); // finds the class's cluster; starts one only for an instance-field registration
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return obtain(context);
    }

    /** The store looks up parent contexts first, so every context below the starting one shares its cluster. */
    private RedisCluster obtain(ExtensionContext context) {
        RedisCluster current = context.getStore(namespace).computeIfAbsent("cluster", key -> starter.get(), RedisCluster.class);
        cluster = current;
        return current;
    }
}
