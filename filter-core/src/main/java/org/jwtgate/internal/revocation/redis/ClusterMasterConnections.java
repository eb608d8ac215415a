package org.jwtgate.internal.revocation.redis;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisClusterInfoCache;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.thread.DaemonThreads;

/**
 * Connections to the masters of a Redis Cluster, through Jedis 8's cluster API:
 * {@link RedisClusterClient#builder()} builds the client on a {@link ClusterConnectionProvider} we
 * keep a hand on. The client owns the slot map and one bounded pool per node; commands go over a
 * connection borrowed for the slot's master rather than through {@code client.executeCommand},
 * because a write and its {@code WAIT} must share one connection (a WAIT on another pooled
 * connection counts nothing: jedis #1867).
 *
 * <p>Topology discovery (slot map refresh after MOVED, a dead node or CLUSTERDOWN, and the first
 * connection when the cluster was down at start-up) runs on one background thread, coalesced:
 * discovery may have to time out on several hung nodes one after the other, and no request thread
 * may wait that long. Callers wait for it only as long as they choose.
 *
 * <p>A refresh asks the nodes of the current slot map first (masters, then the others), and the seeds only when none of
 * them answers: Jedis alone would ask the seeds first, in order, and take the map of the first that answers, and a seed
 * that has left the cluster and joined another (an address re-used), or a seed of another cluster that was down at
 * start, would move a running instance to that other cluster while its own still answered.
 */
final class ClusterMasterConnections implements MasterConnections {

    private static final Log LOG = Log.of(ClusterMasterConnections.class);

    private final Set<HostAndPort> seeds;
    private final JedisClientConfig clientConfig;
    private final ConnectionPoolConfig poolConfig;
    private final JedisClientSettings settings;
    private final ExecutorService discovery;
    private final Object lock = new Object();
    private volatile Client client;
    private CompletableFuture<Void> discovering;
    private volatile boolean closed;
    /** The discovery executor's threads, joined by close(). */
    private final Queue<Thread> discoveryThreads = new ConcurrentLinkedQueue<>();
    /** Why the last attempt to reach the cluster failed, for the "not connected" failure. */
    private volatile Failure lastFailure = new Failure("no attempt yet", null);
    /** The masters the start-up check has warned about. */
    private final Set<String> warnedAtStart = ConcurrentHashMap.newKeySet();
    /** Seeds of two clusters met by a first connection after the start (warned about once each). */
    private final Set<String> warnedTwoClusters = ConcurrentHashMap.newKeySet();

    /** The Jedis client and its provider, built together once the cluster answered. */
    private record Client(RedisClusterClient cluster, ClusterConnectionProvider provider) {
    }

    /**
     * A failed attempt: its message, and the node's own answer behind it (WRONGPASS, NOPERM...) as the cause, by which
     * callers tell configuration errors. One object, so that a reader never pairs one attempt's message with another's cause.
     */
    private record Failure(String message, Throwable cause) {

        /** Jedis puts the first node's failure (refused, WRONGPASS...) in a suppressed exception. */
        static Failure of(RuntimeException e) {
            Throwable[] suppressed = e.getSuppressed();
            if (suppressed.length > 0 && suppressed[0] != null) {
                return new Failure(e.getMessage() + " " + suppressed[0].getMessage(), suppressed[0]);
            }
            return new Failure(String.valueOf(e.getMessage()), e);
        }

        boolean isRefusal() {
            return AccessRefusal.of(cause) != null;
        }

        JedisConnectionException notConnected(Set<HostAndPort> seeds) {
            return new JedisConnectionException("Not connected to Redis Cluster " + seeds + " yet (" + message + ")", cause);
        }
    }

    ClusterMasterConnections(JedisClientSettings settings) {
        this.settings = settings;
        this.seeds = settings.nodes();
        this.clientConfig = settings.clientConfig();
        this.poolConfig = settings.poolConfig();
        this.discovery = Executors.newSingleThreadExecutor(
                DaemonThreads.named("jwtgate-redis-cluster-discovery", discoveryThreads));
        try {
            client = connect();
            String twoClusters = SeedClusters.twoClusters(seeds, clientConfig);
            if (twoClusters != null) {
                close();
                throw new ConfigurationException("Illegal value for setting [" + ConfigKeys.REDIS_NODES + "]: " + seeds
                        + " names nodes of two Redis Clusters (" + twoClusters + "): Jedis would use the cluster of "
                        + "whichever it asked first, and revocations written to one are not seen by instances using the "
                        + "other; give nodes of one cluster only");
            }
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            // Start anyway: requests answer per revocation.failure-mode until the cluster answers. (A refusal of the
            // configured user is not "not reachable": RedisRevocationStores' first probe throws it, naming redis.user.)
            Failure failure = Failure.of(e);
            if (!failure.isRefusal()) {
                // Whichever seed Jedis asked first failed (down, or TLS refused it): another may refuse the user.
                failure = aSeedsRefusalOr(failure);
            }
            if (!failure.isRefusal()) {
                warnNotConnectedAtStart(failure); // a refusal is not: the start's check throws it, naming redis.user
            }
            lastFailure = failure;
        }
    }

    private void warnNotConnectedAtStart(Failure failure) {
        String noCluster;
        if (SslMismatch.refusedByTls(failure.cause())) {
            // Reached, but TLS refused it (untrusted CA, a certificate that does not name the node): not a network fault.
            LOG.warn("Redis Cluster {} refused by TLS at start-up ({}=true: {}); check the JVM's trust store and that "
                    + "each node's certificate names the address it announces (docs/revocation.md, Redis over TLS); "
                    + "will keep trying in the background", seeds, ConfigKeys.REDIS_SSL, failure.message());
        } else if (failure.cause() instanceof JedisClusterOperationException
                && (noCluster = ofNoCluster()) != null) {
            warnOfNoCluster(noCluster);
        } else if (failure.cause() instanceof JedisClusterOperationException) {
            // A seed answered CLUSTER SLOTS, but Jedis takes no map with a slot that no master serves.
            LOG.warn("Redis Cluster {} answered at start-up, but its slot map leaves slots to no master ({}); "
                    + "no check is served until every slot has one (CLUSTER ADDSLOTS, or redis-cli --cluster "
                    + "fix); will keep trying in the background", seeds, failure.message());
        } else if (isWithoutClusterMode(failure.message())) {
            // It answered: a server without cluster mode, which no retry changes (the converse: SingleNodeConnections).
            LOG.warn("Redis {} answered at start-up as a server without cluster mode ({}): {} names a single Redis "
                    + "server; use {}=redis (no check is served meanwhile)", seeds, failure.message(),
                    ConfigKeys.REDIS_NODES, ConfigKeys.REVOCATION_STORE);
        } else {
            LOG.warn("Redis Cluster {} not reachable at start-up ({}{}); will keep trying in the background",
                    seeds, failure.message(), SslMismatch.hint(failure.cause(), seeds, settings));
        }
    }

    /** The seeds of no cluster (each knows only itself and serves no slot), when every seed that answers is one. */
    private String ofNoCluster() {
        return SeedClusters.ofNoCluster(seeds, clientConfig);
    }

    /**
     * A seed that left its cluster (redis-cli --cluster del-node resets it) serves no slot and knows no other node:
     * giving it slots (CLUSTER ADDSLOTS) would make a new, empty cluster of it, which the other instances do not use.
     */
    private void warnOfNoCluster(String noCluster) {
        LOG.warn("Redis Cluster {} answered at start-up, but {} belongs to no cluster: it knows no other node and serves "
                + "no slot (it left its cluster, as redis-cli --cluster del-node leaves a node, or was never added to "
                + "one); no check is served; {} should name nodes of the cluster the other instances use (do not give "
                + "this node slots: that would make a new, empty cluster of it); will keep trying in the background",
                seeds, noCluster, ConfigKeys.REDIS_NODES);
    }

    private Client connect() {
        ClusterConnectionProvider provider = new ClusterConnectionProvider(seeds, clientConfig, poolConfig);
        try {
            RedisClusterClient cluster = RedisClusterClient.builder()
                    .nodes(seeds)
                    .clientConfig(clientConfig)
                    .poolConfig(poolConfig)
                    .connectionProvider(provider)
                    .maxAttempts(settings.maxAttempts())
                    .maxTotalRetriesDuration(settings.retryBudget())
                    .build();
            return new Client(cluster, provider);
        } catch (RuntimeException e) {
            provider.close();
            throw e;
        }
    }

    @Override
    public HostAndPort masterFor(String key) {
        Client c = requireClient();
        int slot = JedisClusterCRC16.getSlot(key);
        HostAndPort master = c.provider().getNode(slot);
        if (master == null) {
            rediscover();
            throw new JedisClusterOperationException("No master known for slot " + slot + " yet");
        }
        return master;
    }

    @Override
    public List<HostAndPort> masters() {
        return masters(requireClient());
    }

    @Override
    public Connection connect(HostAndPort node) {
        // Sets up a pool for a node the slot map does not know yet (a MOVED/ASK target).
        try {
            return requireClient().provider().getConnection(node);
        } catch (RuntimeException e) {
            throw closed ? MasterConnections.closedFailure() : e; // its pool closed under it
        }
    }

    @Override
    public CompletableFuture<Void> slotsMoved() {
        return rediscover();
    }

    @Override
    public CompletableFuture<Void> nodeFailed(HostAndPort node) {
        Client c = client;
        if (c != null && node != null) {
            ConnectionPool pool = c.provider().getNodes().get(JedisClusterInfoCache.getNodeKey(node));
            if (pool != null) {
                // The node died or restarted: its idle connections are dead too; do not hand them out one by one.
                pool.clear();
            }
        }
        return rediscover();
    }

    @Override
    public CompletableFuture<Void> clusterDown() {
        return rediscover();
    }

    /** Refreshes the slot map (or connects for the first time) on the discovery thread; coalesced. */
    private CompletableFuture<Void> rediscover() {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            if (discovering == null || discovering.isDone()) {
                try {
                    discovering = CompletableFuture.runAsync(this::discover, discovery);
                } catch (RejectedExecutionException e) {
                    return CompletableFuture.completedFuture(null);
                }
            }
            return discovering;
        }
    }

    private void discover() {
        try {
            Client c = client;
            if (c == null) {
                Client fresh = connect();
                // The first map since the start failed: no cluster known yet, so the seeds must be of one (the start's
                // check, which then could not ask them).
                String twoClusters = SeedClusters.twoClusters(seeds, clientConfig);
                if (twoClusters != null) {
                    fresh.cluster().close();
                    String message = ConfigKeys.REDIS_NODES + " " + seeds + " names nodes of two Redis Clusters ("
                            + twoClusters + "); neither is used: give nodes of one cluster only";
                    if (warnedTwoClusters.add(twoClusters)) {
                        LOG.warn("Redis Cluster {}: {}; the checks answer per {} meanwhile", seeds, message,
                                ConfigKeys.REVOCATION_FAILURE_MODE);
                    }
                    lastFailure = new Failure(message, null);
                    return;
                }
                synchronized (lock) {
                    if (closed) {
                        fresh.cluster().close();
                        return;
                    }
                    client = fresh;
                }
                LOG.info("Connected to Redis Cluster {}", seeds);
            } else {
                refresh(c);
            }
        } catch (RuntimeException e) {
            Failure failure = Failure.of(e);
            if (lastFailure.isRefusal() && !failure.isRefusal() && !closed) {
                // A seed refused the user before; if one still does, that stays the failure, whatever seed Jedis asked
                // first. Else the start's check, asking right after this, found "not reachable" and let a wrong
                // password start, by chance.
                failure = aSeedsRefusalOr(failure);
            }
            lastFailure = failure;
            LOG.debug("Redis Cluster topology discovery failed: {}", failure.message());
        }
    }

    /**
     * Refreshes the slot map from a node of the cluster this instance uses: the masters of the current map first, then
     * its other nodes, then the seeds (Jedis would ask the seeds first). Never throws.
     */
    private void refresh(Client c) {
        Set<HostAndPort> candidates = new LinkedHashSet<>(masters(c));
        for (String node : c.provider().getNodes().keySet()) {
            candidates.add(HostAndPort.from(node));
        }
        candidates.addAll(seeds);
        String firstFailure = null;
        for (HostAndPort node : candidates) {
            if (closed) {
                return;
            }
            try (Connection connection = new Connection(node, clientConfig)) {
                if (!takesItsSlotMap(connection)) {
                    // A map Jedis refuses (a slot no master serves): it would ask the seeds instead.
                    firstFailure = firstFailure != null ? firstFailure : node + ": its slot map leaves slots to no master";
                    continue;
                }
                c.provider().renewSlotCache(connection);
                return;
            } catch (RuntimeException e) {
                firstFailure = firstFailure != null ? firstFailure : node + ": " + e.getMessage();
            }
        }
        LOG.debug("Redis Cluster topology refresh found no node that answers: {}", firstFailure);
    }

    /**
     * Whether Jedis takes the node's slot map ({@code CLUSTER SLOTS}): not an empty one nor one with holes (a slot no
     * master serves), unless {@code jedis.cluster.initNoError} is set. Given one it refuses, Jedis would ask the seeds.
     */
    private static boolean takesItsSlotMap(Connection connection) {
        List<Object> slots = connection.executeCommand(new CommandObject<>(new CommandArguments(Protocol.Command.CLUSTER)
                .add(Protocol.ClusterKeyword.SLOTS), BuilderFactory.RAW_OBJECT_LIST));
        long served = 0;
        for (Object range : slots) {
            List<?> info = (List<?>) range;
            served += (Long) info.get(1) - (Long) info.get(0) + 1;
        }
        return (!slots.isEmpty() && served == Protocol.CLUSTER_HASHSLOTS)
                || System.getProperty("jedis.cluster.initNoError") != null;
    }

    private static List<HostAndPort> masters(Client c) {
        Set<HostAndPort> masters = new LinkedHashSet<>();
        for (int slot = 0; slot < Protocol.CLUSTER_HASHSLOTS; slot++) {
            HostAndPort master = c.provider().getNode(slot);
            if (master != null) {
                masters.add(master);
            }
        }
        return List.copyOf(masters);
    }

    private Client requireClient() {
        Client c = client;
        if (c == null) {
            if (closed) {
                throw MasterConnections.closedFailure(); // not "not connected yet": close() let the client go
            }
            rediscover();
            throw lastFailure.notConnected(seeds);
        }
        return c;
    }

    /**
     * Jedis asks the seeds in random order and keeps only the first one's failure: a seed that is down would hide the
     * others' refusal of the configured user (WRONGPASS), and the start's check would find it or not by chance. So
     * when no seed answered, each is asked once more, in order, whether it refuses the user (its AUTH, then the
     * discovery's CLUSTER SLOTS); the first refusal is the failure, else a seed's answer that it runs without cluster
     * mode (also hidden by a seed that is down), else {@code failure} as it was.
     */
    private Failure aSeedsRefusalOr(Failure failure) {
        Failure noClusterMode = null;
        for (HostAndPort seed : seeds) {
            try (Connection connection = new Connection(seed, clientConfig)) {
                connection.executeCommand(new CommandObject<>(new CommandArguments(Protocol.Command.CLUSTER)
                        .add(Protocol.ClusterKeyword.SLOTS), BuilderFactory.RAW_OBJECT));
            } catch (RuntimeException e) {
                if (AccessRefusal.of(e) != null) {
                    return new Failure(String.valueOf(e.getMessage()), e);
                }
                if (noClusterMode == null && isWithoutClusterMode(e.getMessage())) {
                    noClusterMode = new Failure(seed + ": " + e.getMessage(), e); // said whichever seed Jedis asked first
                }
            }
        }
        return noClusterMode != null ? noClusterMode : failure;
    }

    private static boolean isWithoutClusterMode(String message) {
        return String.valueOf(message).contains("cluster support disabled");
    }

    @Override
    public RuntimeException probe(IntFunction<CommandObject<?>> readInSlot) {
        return probe(readInSlot, false);
    }

    @Override
    public RuntimeException probeEveryMaster(IntFunction<CommandObject<?>> readInSlot) {
        return probe(readInSlot, true);
    }

    /** With {@code everyMaster}, goes on past a master that does not answer, returning a refusal found later first. */
    private RuntimeException probe(IntFunction<CommandObject<?>> readInSlot, boolean everyMaster) {
        Client c = client;
        if (c == null) {
            if (closed) {
                return MasterConnections.closedFailure(); // health after close(): "closed", not "not connected yet"
            }
            rediscover();
            return lastFailure.notConnected(seeds);
        }
        RuntimeException firstFailure = null;
        int firstUnserved = -1;
        Map<String, Integer> slotOfMaster = new LinkedHashMap<>();
        for (int slot = 0; slot < Protocol.CLUSTER_HASHSLOTS; slot++) {
            HostAndPort master = c.provider().getNode(slot);
            if (master == null) {
                rediscover(); // a slot no master serves: its checks fail
                if (!everyMaster) {
                    return new JedisClusterOperationException("No master known for slot " + slot + " yet");
                }
                if (firstFailure == null) {
                    firstFailure = new JedisClusterOperationException("No master known for slot " + slot + " yet");
                    firstUnserved = slot;
                }
                continue;
            }
            slotOfMaster.putIfAbsent(JedisClusterInfoCache.getNodeKey(master), slot);
        }
        if (firstUnserved >= 0) {
            if (slotOfMaster.isEmpty()) {
                // No slot has a master: no node gave a map (jedis.cluster.initNoError builds the client without one).
                warnNotAnsweringAtStart("Redis Cluster " + seeds, firstFailure);
            } else if (warnedAtStart.add("Redis Cluster " + seeds)) {
                String noCluster = ofNoCluster();
                if (noCluster != null) {
                    warnOfNoCluster(noCluster); // ADDSLOTS on a seed that left its cluster would make a new one
                } else {
                    // The nodes answered: their slot map leaves this slot (and maybe others) to no master.
                    LOG.warn("Redis Cluster {} answered the start-up check, but its slot map leaves slot {} to no "
                            + "master (CLUSTER ADDSLOTS, or redis-cli --cluster fix); the checks of its keys answer "
                            + "per {} until one serves it", seeds, firstUnserved, ConfigKeys.REVOCATION_FAILURE_MODE);
                }
            }
        }
        Map<String, ConnectionPool> pools = c.provider().getNodes();
        for (Map.Entry<String, Integer> master : slotOfMaster.entrySet()) {
            ConnectionPool pool = pools.get(master.getKey());
            if (pool == null) {
                rediscover();
                RuntimeException e = new JedisClusterOperationException("No connection pool for Redis master "
                        + master.getKey() + " yet");
                if (!everyMaster) {
                    return e;
                }
                firstFailure = firstFailure == null ? e : firstFailure;
                continue;
            }
            try (Connection connection = pool.getResource()) {
                connection.executeCommand(readInSlot.apply(master.getValue()));
            } catch (JedisRedirectionException e) {
                // Past the ACL (checked first): the checks follow the redirection; the slot map is stale.
                slotsMoved();
            } catch (RuntimeException e) {
                LOG.debug("Redis master {} did not answer the health probe: {}", master.getKey(), e.toString());
                if (e instanceof JedisConnectionException || e instanceof JedisClusterException) {
                    rediscover(); // unreachable, or CLUSTERDOWN: a failover may be under way (not after NOPERM)
                }
                if (!everyMaster || AccessRefusal.of(e) != null) {
                    return e;
                }
                warnNotAnsweringAtStart("Redis master " + master.getKey(), e);
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        return firstFailure;
    }

    /** The start-up WARN for a master that does not answer (once per master: with DPoP the check asks twice). */
    private void warnNotAnsweringAtStart(String what, RuntimeException e) {
        if (!warnedAtStart.add(what)) {
            return;
        }
        if (e instanceof JedisClusterException) {
            // It answered: no network fault to look for, the cluster says it does not serve every slot.
            LOG.warn("{} answered the start-up check with CLUSTERDOWN ({}): the cluster does not serve every slot (a "
                    + "master down and no replica promoted yet, or cluster-require-full-coverage); the checks answer "
                    + "per {} until it does", what, e.getMessage(), ConfigKeys.REVOCATION_FAILURE_MODE);
        } else {
            LOG.warn("{} did not answer the start-up check ({}); the checks of its slots answer per {} until it does",
                    what, e.getMessage(), ConfigKeys.REVOCATION_FAILURE_MODE);
        }
    }

    @Override
    public String describe() {
        return "redis-cluster(" + seeds.size() + " seed nodes, Jedis RedisClusterClient)";
    }

    @Override
    public void close() {
        Client c;
        synchronized (lock) {
            closed = true;
            c = client;
            client = null;
        }
        discovery.shutdownNow();
        int knownNodes = 0;
        if (c != null) {
            knownNodes = c.provider().getNodes().size();
            c.cluster().close(); // closes the provider and every node's pool
        }
        try {
            // Its thread ends before close() returns: a container stops the application's class loader right after.
            // On hung nodes, a discovery asks each seed and known node in turn, each up to its connect and read
            // timeouts, which no interrupt shortens: waited for, beyond 2 s (at most a minute).
            long waitMillis = Math.min(60_000, 2_000 + 2L * settings.timeoutMs() * (seeds.size() + knownNodes));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            discovery.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
            for (Thread thread : discoveryThreads) {
                if (thread != Thread.currentThread()) {
                    // An executor terminates just before its thread has ended; within the same minute at most.
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (c != null) {
            // A refresh under way when the client was closed may have renewed its slot map since, making pools anew.
            c.cluster().close();
        }
        PoolEvictorExit.await(); // so does the pools' evictor
    }
}
