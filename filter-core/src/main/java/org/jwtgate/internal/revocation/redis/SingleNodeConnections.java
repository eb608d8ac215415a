package org.jwtgate.internal.revocation.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.util.Pool;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.internal.log.Log;

/**
 * Connections to one Redis node through Jedis 8's {@link RedisClient} (built by
 * {@link RedisClient#builder()}), whose pool is bounded like the cluster's. The pool connects
 * lazily, so a node that is down at start-up only delays service.
 */
final class SingleNodeConnections implements MasterConnections {

    private static final Log LOG = Log.of(SingleNodeConnections.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final HostAndPort node;
    private final JedisClientSettings settings;
    private final RedisClient client;
    private volatile boolean warnedAtStart;
    private volatile boolean closed;

    SingleNodeConnections(JedisClientSettings settings) {
        this.node = settings.nodes().iterator().next();
        this.settings = settings;
        this.client = RedisClient.builder()
                .hostAndPort(node)
                .clientConfig(settings.clientConfig())
                .poolConfig(settings.poolConfig())
                .build();
    }

    @Override
    public HostAndPort masterFor(String key) {
        return node;
    }

    @Override
    public Connection connect(HostAndPort target) {
        if (!node.equals(target)) {
            // Only a cluster redirects; a single node that does is misconfigured (redis.nodes names a cluster).
            throw new IllegalStateException("Redis node " + node + " redirected to " + target
                    + ": it is a cluster node; use revocation.store=redis-cluster");
        }
        if (closed) {
            throw MasterConnections.closedFailure(); // not the closed pool's "Could not get a resource from the pool"
        }
        try {
            return pool().getResource();
        } catch (RuntimeException e) {
            throw closed ? MasterConnections.closedFailure() : e; // closed while waiting for a connection
        }
    }

    @Override
    public CompletableFuture<Void> slotsMoved() {
        return DONE;
    }

    @Override
    public CompletableFuture<Void> nodeFailed(HostAndPort failed) {
        pool().clear(); // a restarted node left every idle connection dead
        return DONE;
    }

    @Override
    public CompletableFuture<Void> clusterDown() {
        return DONE;
    }

    @Override
    public RuntimeException probe(IntFunction<CommandObject<?>> readInSlot) {
        try (Connection connection = pool().getResource()) {
            connection.executeCommand(readInSlot.apply(0)); // one node: any slot
            return null;
        } catch (RuntimeException e) {
            LOG.debug("Redis {} did not answer the health probe: {}", node, e.toString());
            return e;
        }
    }

    @Override
    public RuntimeException probeEveryMaster(IntFunction<CommandObject<?>> readInSlot) {
        RuntimeException failure = probe(readInSlot);
        if (failure != null && AccessRefusal.of(failure) == null && !warnedAtStart) {
            // Once: with DPoP the start-up check asks twice. The pool connects lazily, so nothing else says it.
            warnedAtStart = true;
            if (failure instanceof JedisRedirectionException) {
                // A node of a Redis Cluster (MOVED): no wait helps, the setting must change.
                LOG.warn("Redis {} answered the start-up check with a redirection ({}): {} names a node of a Redis "
                        + "Cluster; use {}=redis-cluster", node, failure.getMessage(), ConfigKeys.REDIS_NODES,
                        ConfigKeys.REVOCATION_STORE);
            } else if (failure instanceof JedisDataException) {
                // It answered (LOADING after a restart, BUSY...): no network fault to look for.
                LOG.warn("Redis {} answered the start-up check with an error ({}): it is up but does not serve the "
                        + "checks yet; requests answer per {} until it does", node, failure.getMessage(),
                        ConfigKeys.REVOCATION_FAILURE_MODE);
            } else if (SslMismatch.refusedByTls(failure)) {
                // Reached, but TLS refused it: "not reachable" sent operators after a network fault.
                LOG.warn("Redis {} refused by TLS at start-up ({}=true: {}); check the JVM's trust store and that its "
                        + "certificate names the address {} gives (docs/revocation.md, Redis over TLS); requests answer "
                        + "per {} until it is accepted", node, ConfigKeys.REDIS_SSL, failure.getMessage(),
                        ConfigKeys.REDIS_NODES, ConfigKeys.REVOCATION_FAILURE_MODE);
            } else {
                LOG.warn("Redis {} not reachable at start-up ({}{}); requests answer per {} until it answers", node,
                        failure.getMessage(), SslMismatch.hint(failure, List.of(node), settings),
                        ConfigKeys.REVOCATION_FAILURE_MODE);
            }
        }
        return failure;
    }

    private Pool<Connection> pool() {
        return client.getPool();
    }

    @Override
    public String describe() {
        return "redis(" + node + ", Jedis RedisClient)";
    }

    @Override
    public void close() {
        closed = true;
        client.close();
        PoolEvictorExit.await(); // its thread ends before close() returns, as the container checks right after
    }
}
