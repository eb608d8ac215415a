package org.jwtgate.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster of separate {@code redis-server} processes on 127.0.0.1, for integration tests and
 * for running the sample app locally. Free of JUnit: {@code RedisCluster.start()} works from any code.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start()) {          // 3 masters + 3 replicas
 *     RedisCluster.Node master = cluster.masterForKey("k");
 *     master.kill();
 *     RedisCluster.Node promoted = cluster.awaitFailover(master, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>The cluster is formed without redis-cli (the embedded 6.2 binary has none): slots are assigned with
 * CLUSTER ADDSLOTS, then CLUSTER MEET, then CLUSTER REPLICATE, as redis-cli would. Every node has its own
 * directory (config, nodes.conf, AOF, log) kept across restarts. {@link #close()} and a JVM shutdown hook (unless
 * {@link Builder#withoutShutdownHook()}) kill every process; see {@link ProcessJanitor} for JVMs that die without
 * running hooks.
 *
 * <p>Queries about roles and slots ask the live nodes ({@code CLUSTER NODES}), so they follow failovers.
 * Not thread-safe, except {@link #close()}.
 */
public final class RedisCluster implements AutoCloseable {

    /** The loopback address every node binds and announces: clients reach the nodes there only. */
    public static final String HOST = "127.0.0.1";
    /** The hash slots of a Redis Cluster, spread evenly over the masters: also the most masters a cluster can have. */
    public static final int SLOTS = 16384;

    private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
    private static final int PORT_ATTEMPTS = 3;
    /** One port of [12000, 22000) per node: a larger cluster can never start. */
    private static final int MAX_NODES = FreePorts.CANDIDATES;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(5);

    /** A node's role, as {@link Node#role()} reports it. */
    public enum Role {
        /** A master: takes the writes of the hash slots it serves. */
        MASTER,
        /** Copies a master; a failover promotes it to master in the dead one's place. */
        REPLICA
    }

    private final RedisServerBinary binary;
    private final Path baseDir;
    private final RedisTls tls;
    private final Duration startTimeout;
    private final List<Node> nodes;
    private final Set<Integer> usedPorts = new LinkedHashSet<>(); // in pick order, never reused
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Held by every launch and by {@link #destroy()}: the shutdown hook destroys beside a thread still starting or
     * restarting nodes, and a node launched after it would run on with its directory, owner file included, deleted.
     */
    private final Object launches = new Object();
    private final Thread shutdownHook;

    private RedisCluster(Builder options, RedisServerBinary binary) {
        this.binary = binary;
        this.startTimeout = options.startTimeout;
        int total = options.nodeCount();
        try {
            for (int i = 0; i < total; i++) {
                usedPorts.add(FreePorts.pick());
            }
        } catch (RuntimeException | Error e) {
            FreePorts.release(usedPorts);
            throw e;
        }
        try {
            this.baseDir = ProcessJanitor.newOwnedDir(ProcessJanitor.CLUSTER_PREFIX);
        } catch (RuntimeException | Error e) {
            FreePorts.release(usedPorts);
            throw e;
        }
        try {
            this.tls = options.tlsNames == null ? null : RedisTls.create(baseDir.resolve("tls"), options.tlsNames);
            List<Node> created = new ArrayList<>(total);
            for (int port : usedPorts) {
                String name = "node-" + (created.size() + 1);
                created.add(new Node(name, new RedisServerProcess(binary, baseDir.resolve(name), port,
                        options.nodeTimeout.toMillis(), tls)));
            }
            this.nodes = List.copyOf(created);
            // Registered even without options.shutdownHook: a JVM that exits while the cluster starts kills what it
            // launched. The last step, so no failure here leaves it registered; it fails itself once the JVM shuts down.
            this.shutdownHook = new Thread(this::destroy, "redis-cluster-cleanup");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (RuntimeException | Error e) {
            // No cluster object to close, and no shutdown hook: the directory would stay until a later JVM's reaper.
            ProcessJanitor.deleteTree(baseDir);
            FreePorts.release(usedPorts);
            throw e;
        }
    }

    /**
     * 3 masters, 1 replica each, 1 s cluster-node-timeout, binary from {@link RedisServerBinary#locate()}.
     *
     * @return the ready cluster: six {@code redis-server} processes that run until {@link #close()} (or the JVM's
     *         shutdown hook)
     * @throws RedisClusterException as {@link Builder#start()}
     */
    public static RedisCluster start() {
        return builder().start();
    }

    /**
     * Options for a cluster other than {@link #start()}'s.
     *
     * @return a new builder holding {@link #start()}'s defaults; {@link Builder#start()} starts the cluster
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Options; every setter has a sensible default. */
    public static final class Builder {
        private int masters = 3;
        private int replicasPerMaster = 1;
        private Duration nodeTimeout = Duration.ofMillis(1000);
        private Duration startTimeout = Duration.ofSeconds(30);
        private RedisServerBinary binary;
        private List<String> tlsNames;
        private boolean shutdownHook = true;

        private Builder() {
        }

        /**
         * How many masters share the {@value RedisCluster#SLOTS} slots (default 3). A cluster has at most 10000 nodes,
         * masters and replicas together: each takes one of the 10000 ports the kit picks from, [12000, 22000) (far
         * fewer in practice: each node is a process, and the other clusters of the JVM hold ports too).
         *
         * @param masters from 1 to 10000; {@link #start()} refuses more than 10000 nodes in all
         * @return this builder
         * @throws IllegalArgumentException outside that range
         */
        public Builder masters(int masters) {
            if (masters < 1 || masters > MAX_NODES) {
                throw new IllegalArgumentException("masters must be in [1, " + MAX_NODES + "]: " + masters);
            }
            this.masters = masters;
            return this;
        }

        /**
         * How many replicas each master gets (default 1). With 0, a master that dies takes its slots with it: no
         * failover can happen.
         *
         * @param replicasPerMaster from 0 to 9999; {@link #start()} refuses more than 10000 nodes in all (see
         *                          {@link #masters(int)})
         * @return this builder
         * @throws IllegalArgumentException outside that range
         */
        public Builder replicasPerMaster(int replicasPerMaster) {
            if (replicasPerMaster < 0 || replicasPerMaster > MAX_NODES - 1) {
                throw new IllegalArgumentException("replicasPerMaster must be in [0, " + (MAX_NODES - 1) + "]: "
                        + replicasPerMaster);
            }
            this.replicasPerMaster = replicasPerMaster;
            return this;
        }

        /**
         * {@code cluster-node-timeout}: how long a node may be unreachable before a failover starts (default 1 s).
         *
         * @param nodeTimeout at least 100 ms
         * @return this builder
         * @throws IllegalArgumentException below 100 ms, which makes failovers flap
         */
        public Builder nodeTimeout(Duration nodeTimeout) {
            if (nodeTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("nodeTimeout below 100 ms makes failovers flap: " + nodeTimeout);
            }
            this.nodeTimeout = nodeTimeout;
            return this;
        }

        /**
         * As {@link #nodeTimeout(Duration)}, in milliseconds.
         *
         * @param millis at least 100
         * @return this builder
         * @throws IllegalArgumentException below 100
         */
        public Builder nodeTimeoutMs(long millis) {
            return nodeTimeout(Duration.ofMillis(millis));
        }

        /**
         * Bound on forming the cluster, and on each later restart ({@link Node#restart()},
         * {@link RedisCluster#startAll()}) (default 30 s).
         *
         * @param startTimeout the whole start's budget, not each step's; more than zero
         * @return this builder
         * @throws NullPointerException     when {@code startTimeout} is null (its message names it), at once rather
         *                                  than at {@link #start()}
         * @throws IllegalArgumentException when it is zero or negative, with which every start would time out at once
         */
        public Builder startTimeout(Duration startTimeout) {
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (startTimeout.isZero() || startTimeout.isNegative()) {
                throw new IllegalArgumentException("startTimeout must be more than zero: " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * Nodes serve TLS only ({@code port 0}, {@code tls-port}, {@code tls-cluster yes}, {@code tls-replication yes})
         * with a certificate for {@link RedisTls#DEFAULT_NAMES} from a throw-away CA; see {@link #tls()}. Needs a
         * redis-server built with TLS (Debian's 7.0 and the embedded linux-amd64 6.2 are; the host name test needs 7).
         *
         * @return this builder
         */
        public Builder tls() {
            return tls(RedisTls.DEFAULT_NAMES);
        }

        /**
         * As {@link #tls()}, with a node certificate naming only {@code names} ({@code ip:…}, {@code dns:…}).
         *
         * @param names the certificate's subject alternative names, in keytool's syntax: for a certificate that
         *              leaves out the address clients dial, or names a host (see {@link RedisCluster#announceHostname})
         * @return this builder
         * @throws IllegalArgumentException when {@code names} is empty
         */
        public Builder tls(List<String> names) {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("a node certificate needs at least one name");
            }
            this.tlsNames = List.copyOf(names);
            return this;
        }

        /**
         * No JVM shutdown hook of the cluster's own once it has started: for an owner that closes it from its own
         * shutdown, in order. The JVM runs its hooks at once, so the cluster's would kill Redis under clients that are
         * still closing (the sample's filter then logged its near-cache suspended). While {@link #start()} runs, the
         * hook stays: a JVM that exits then (Ctrl-C during the start) still kills what was launched. A JVM killed
         * without hooks leaves the processes to the next run's reaping, as always.
         *
         * @return this builder
         */
        public Builder withoutShutdownHook() {
            this.shutdownHook = false;
            return this;
        }

        /**
         * The {@code redis-server} every node runs, e.g. {@link RedisServerBinary#embedded()} to test against 6.2.
         *
         * @param binary the binary; null (the default) for {@link RedisServerBinary#locate()}, called by
         *               {@link #start()}
         * @return this builder
         */
        public Builder binary(RedisServerBinary binary) {
            this.binary = binary;
            return this;
        }

        /** The cluster's node count; throws where it is more than the ports to pick from. */
        int nodeCount() {
            long total = (long) masters * (1 + replicasPerMaster);
            if (total > MAX_NODES) {
                throw new IllegalArgumentException("masters x (1 + replicasPerMaster) must be at most " + MAX_NODES
                        + " nodes: " + masters + " x " + (1 + replicasPerMaster) + " = " + total);
            }
            return (int) total;
        }

        /**
         * Starts the processes and forms the cluster; returns once it is ready ({@link #awaitClusterOk}). Each call
         * starts a new cluster, on ports and in a directory of its own.
         *
         * @return the ready cluster, whose processes run until its {@link RedisCluster#close()} (or its shutdown hook)
         * @throws IllegalArgumentException when {@code masters × (1 + replicasPerMaster)} is more than 10000 nodes,
         *                                  before anything starts
         * @throws RedisClusterException when no usable {@code redis-server} is found, no free port pair is, or the
         *                               cluster is not ready within {@link #startTimeout(Duration)}: the message
         *                               names what it waited for, then each node's state, view and log tail. A Jedis
         *                               error while forming comes through as it is. Either way every process
         *                               launched is killed and the directory deleted first
         */
        public RedisCluster start() {
            nodeCount();
            long started = System.nanoTime();
            RedisCluster cluster = new RedisCluster(this, binary != null ? binary : RedisServerBinary.locate());
            try {
                Deadline deadline = new Deadline(startTimeout);
                cluster.startProcesses(deadline);
                ClusterFormation.form(cluster.nodes.subList(0, masters), cluster.nodes.subList(masters, cluster.nodes.size()),
                        deadline.remaining(), cluster::diagnostics);
                cluster.awaitClusterOk(deadline.remaining());
                LOG.debug("Redis Cluster of {} nodes ({}) ready in {} ms: {}", cluster.nodes.size(), cluster.binary,
                        (System.nanoTime() - started) / 1_000_000, cluster.nodesSpec());
                if (!shutdownHook) {
                    cluster.removeShutdownHook();
                }
                return cluster;
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
        }
    }

    // ---------------------------------------------------------------- topology queries

    /**
     * {@code "127.0.0.1:p1,127.0.0.1:p2,..."}: every node, as a client's seed list.
     *
     * @return the value for {@code redis.nodes}, in creation order; the same for the cluster's life
     */
    public String nodesSpec() {
        return nodes.stream().map(n -> HOST + ":" + n.port()).collect(Collectors.joining(","));
    }

    /**
     * Every node's address, in creation order: the seed set of a Jedis cluster client.
     *
     * @return a new set on each call, whatever state the nodes are in
     */
    public Set<HostAndPort> hostsAndPorts() {
        return nodes.stream().map(Node::hostAndPort).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Every node, in creation order, whatever its state.
     *
     * @return an unmodifiable list: the masters first, as formed; roles change with failovers, this order does not
     */
    public List<Node> nodes() {
        return nodes;
    }

    /**
     * Masters serving slots and not failing, as the first responsive node sees them.
     *
     * @return a new list, in creation order
     * @throws IllegalStateException when no node runs (all killed, stopped or paused)
     */
    public List<Node> masters() {
        ClusterTopology view = referenceView();
        return nodes.stream()
                .filter(n -> view.byId(n.id()).filter(e -> e.isMaster() && e.ownsSlots() && !e.isFailing()).isPresent())
                .toList();
    }

    /**
     * Replicas not failing, as the first responsive node sees them.
     *
     * @return a new list, in creation order; empty for a cluster without replicas
     * @throws IllegalStateException when no node runs (all killed, stopped or paused)
     */
    public List<Node> replicas() {
        ClusterTopology view = referenceView();
        return nodes.stream()
                .filter(n -> view.byId(n.id()).filter(e -> e.isReplica() && !e.isFailing()).isPresent())
                .toList();
    }

    /**
     * The master currently serving {@code key}'s slot, as the first responsive node sees it: after a master is killed
     * and before the failover, still the dead one.
     *
     * @param key a Redis key; its hash tag ({@code {…}}), if any, picks the slot, as Redis does
     * @return the node that takes the key's writes
     * @throws NoSuchElementException when no master serves the slot
     * @throws IllegalStateException  when no node runs (all killed, stopped or paused)
     */
    public Node masterForKey(String key) {
        int slot = JedisClusterCRC16.getSlot(key);
        ClusterTopology.Entry owner = referenceView().ownerOf(slot)
                .orElseThrow(() -> new NoSuchElementException("No master serves slot " + slot + " (key " + key + ")"));
        return nodeById(owner.id());
    }

    /**
     * A replica of {@code master} that is not failing.
     *
     * @param master a node of this cluster; after a failover, the promoted replica (the old master replicates it)
     * @return the first such replica the first responsive node lists
     * @throws NoSuchElementException when {@code master} has no live replica
     * @throws IllegalStateException  when no node runs (all killed, stopped or paused)
     */
    public Node replicaOf(Node master) {
        return referenceView().replicasOf(master.id()).stream()
                .filter(e -> !e.isFailing())
                .map(e -> nodeById(e.id()))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("No live replica of " + master));
    }

    /**
     * The {@code redis-server} every node runs.
     *
     * @return the binary chosen at start, with its version
     */
    public RedisServerBinary binary() {
        return binary;
    }

    /**
     * The CA, certificates and trust store of a cluster started with {@link Builder#tls()}; else empty.
     *
     * @return the TLS material, in {@link #baseDir()} (deleted by {@link #close()}); empty for a plain cluster
     */
    public Optional<RedisTls> tls() {
        return Optional.ofNullable(tls);
    }

    /**
     * The directory holding one sub-directory per node (config, nodes.conf, AOF, node.log).
     *
     * @return a {@code jwtgate-redis-cluster-*} directory under {@code java.io.tmpdir}, deleted by {@link #close()}
     */
    public Path baseDir() {
        return baseDir;
    }

    /**
     * A client with bounded waits: 1 s connect, 2 s socket timeout, 2 s pool wait, retries for up to 10 s
     * (long enough to ride out a failover with the default node timeout). The caller closes it.
     *
     * @return a new client seeded with every node, over TLS (trusting the cluster's CA, no host name check) for a
     *         cluster started with {@link Builder#tls()}
     */
    public RedisClusterClient newClient() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxWait(Duration.ofSeconds(2));
        return RedisClusterClient.builder()
                .nodes(hostsAndPorts())
                .clientConfig(clientConfig())
                .poolConfig(pool)
                .maxAttempts(10)
                .maxTotalRetriesDuration(Duration.ofSeconds(10))
                .build();
    }

    private DefaultJedisClientConfig clientConfig() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(1000)
                .socketTimeoutMillis(2000);
        if (tls != null) {
            config.ssl(true).sslSocketFactory(tls.socketFactory()).sslParameters(RedisTls.withoutHostNameCheck());
        }
        return config.build();
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Makes every node announce {@code hostname} ({@code cluster-announce-hostname}) and name nodes by it
     * ({@code cluster-preferred-endpoint-type hostname}), as a cluster serving TLS certificates for names runs, and
     * waits until every node's view shows the name for each node (it travels with the cluster bus's pings). Redis 7+.
     *
     * @param hostname the name every node announces, e.g. one the certificate of {@link Builder#tls(List)} carries
     * @param timeout  how long to wait for every view to show it
     * @throws RedisClusterException when some view does not show it in time (the message ends with each node's
     *                               state, view and log tail)
     * @throws redis.clients.jedis.exceptions.JedisDataException on Redis 6.2, which knows neither setting
     */
    public void announceHostname(String hostname, Duration timeout) {
        for (Node node : nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.configSet("cluster-announce-hostname", hostname);
                jedis.configSet("cluster-preferred-endpoint-type", "hostname");
            }
        }
        Poll.untilTrue("every node to show the host name " + hostname, timeout, () -> nodes().stream().allMatch(node -> {
            try (Jedis jedis = node.connect()) {
                return jedis.clusterNodes().lines()
                        .allMatch(line -> line.contains("," + hostname + " ") || line.contains("," + hostname + ","));
            }
        }), this::diagnostics);
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits until the cluster is fully usable: every responsive node reports {@code cluster_state:ok}, knows
     * every node, sees every responsive node as connected and healthy, agrees with the others on who replicates
     * whom and which master serves which slots, and every responsive replica has {@code master_link_status:up}.
     * Killed and paused nodes are left out.
     *
     * @param timeout how long to wait
     * @throws RedisClusterException when the cluster is not ready in time: the message ends with each node's state,
     *                               view and log tail
     */
    public void awaitClusterOk(Duration timeout) {
        Poll.untilTrue("the cluster to be ready (cluster_state:ok everywhere)", timeout, this::isReady, this::diagnostics);
    }

    /**
     * Waits until another node serves the slots {@code oldMaster} served, every responsive node agrees on it
     * and reports {@code cluster_state:ok}. Returns the new master. Call after killing or pausing the master.
     *
     * @param oldMaster the master just killed, stopped or paused
     * @param timeout   how long to wait; a failover starts after {@link Builder#nodeTimeout(Duration)} (1 s by default)
     * @return the node that now serves {@code oldMaster}'s slots
     * @throws IllegalArgumentException when {@code oldMaster} served no slots: it was no master
     * @throws RedisClusterException    when no failover is seen in time (the message ends with each node's state,
     *                                  view and log tail), e.g. for a master without replicas
     */
    public Node awaitFailover(Node oldMaster, Duration timeout) {
        int slot = oldMaster.slotServedBeforeFault();
        return Poll.until(oldMaster + "'s slot " + slot + " to fail over", timeout, () -> {
            Node owner = null;
            for (Node n : responsiveNodes()) {
                if (n == oldMaster) {
                    continue;
                }
                try (Jedis jedis = n.connect()) {
                    if (!jedis.clusterInfo().contains("cluster_state:ok")) {
                        return null;
                    }
                    Optional<ClusterTopology.Entry> e = ClusterTopology.parse(jedis.clusterNodes()).ownerOf(slot);
                    if (e.isEmpty() || e.get().id().equals(oldMaster.id())) {
                        return null;
                    }
                    Node seen = nodeById(e.get().id());
                    if (owner != null && owner != seen) {
                        return null; // views still disagree
                    }
                    owner = seen;
                }
            }
            return owner != null && owner.isResponsive() ? owner : null;
        }, this::diagnostics);
    }

    // ---------------------------------------------------------------- whole-cluster operations

    /** Stops every node cleanly (SIGTERM: AOF and nodes.conf flushed), in parallel. */
    public void stopAll() {
        nodes.forEach(n -> n.process.requestStop());
        nodes.forEach(n -> n.process.finishStop(STOP_TIMEOUT));
    }

    /**
     * Starts every stopped node on its old port and data; the cluster re-forms from nodes.conf by itself.
     *
     * @throws RedisClusterException when the cluster is closed ("Cannot start …: its cluster is closed")
     */
    public void startAll() {
        Deadline deadline = new Deadline(startTimeout);
        List<Node> stopped = nodes.stream().filter(n -> !n.isAlive()).toList();
        stopped.forEach(this::launch);
        stopped.forEach(n -> n.process.awaitReady(deadline.remaining(), this::diagnostics));
        awaitClusterOk(deadline.remaining());
    }

    /**
     * FLUSHALL on every responsive master, then waits until its online, responsive replicas have applied it
     * (a paused replica is left out: it would only apply the flush once resumed); a {@link RedisClusterException}
     * names the master whose replicas did not within 5 s.
     */
    public void flushAll() {
        for (Node n : responsiveNodes()) {
            try (Jedis jedis = n.connect()) {
                String replication = jedis.info("replication");
                if (!replication.contains("role:master")) {
                    continue;
                }
                jedis.flushAll();
                long replicas = onlineReplicaPorts(replication).stream()
                        .filter(port -> nodes.stream().anyMatch(r -> r.port() == port && r.isResponsive()))
                        .count();
                // WAIT counts writes made on this connection: the FLUSHALL just sent. It may answer only after
                // FLUSH_WAIT, past the admin connection's read timeout, which would end it with "Read timed out".
                jedis.getConnection().setSoTimeout((int) FLUSH_WAIT.plusSeconds(2).toMillis());
                long acked = replicas == 0 ? 0 : jedis.waitReplicas((int) replicas, FLUSH_WAIT.toMillis());
                if (acked < replicas) {
                    throw new RedisClusterException("FLUSHALL on " + n + " reached " + acked + " of " + replicas
                            + " replicas within " + FLUSH_WAIT.toMillis() + " ms");
                }
            }
        }
    }

    /** Kills every process (resuming paused ones first) and deletes the directories. Idempotent. */
    @Override
    public void close() {
        destroy();
        removeShutdownHook();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs (or ran) destroy() anyway.
        }
    }

    private void destroy() {
        synchronized (launches) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            for (Node n : nodes) {
                try {
                    n.process.kill();
                } catch (RuntimeException e) {
                    LOG.warn("Could not kill {}: {}", n, e.toString());
                }
            }
            ProcessJanitor.deleteTree(baseDir);
            FreePorts.release(usedPorts); // no node of this cluster starts again: another cluster of this JVM may take them
        }
    }

    /** Starts {@code node}'s process, unless the cluster is closed: then nothing would ever kill it. */
    private void launch(Node node) {
        synchronized (launches) {
            if (closed.get()) {
                throw new RedisClusterException("Cannot start " + node + ": its cluster is closed");
            }
            node.process.launch();
        }
    }

    // ---------------------------------------------------------------- startup

    private void startProcesses(Deadline deadline) {
        nodes.forEach(this::launch);
        for (Node n : nodes) {
            for (int attempt = 1; ; attempt++) {
                try {
                    n.process.awaitReady(deadline.remaining(), this::diagnostics);
                    break;
                } catch (RedisClusterException e) {
                    // Another process may have bound the port between our check and redis-server's bind.
                    if (attempt == PORT_ATTEMPTS || !n.process.failedOnPortInUse()) {
                        throw e;
                    }
                    int port = FreePorts.pick();
                    synchronized (launches) { // destroy() releases usedPorts, from the shutdown hook too
                        usedPorts.add(port);
                        if (closed.get()) {
                            FreePorts.release(Set.of(port));
                        }
                    }
                    n.process.changePort(port);
                    launch(n);
                }
            }
            try (Jedis jedis = n.connect()) {
                n.id = jedis.clusterMyId();
            }
        }
    }

    // ---------------------------------------------------------------- readiness

    private boolean isReady() {
        List<Node> live = responsiveNodes();
        if (live.isEmpty()) {
            return false;
        }
        String roles = null;
        for (Node n : live) {
            try (Jedis jedis = n.connect()) {
                if (!jedis.clusterInfo().contains("cluster_state:ok")) {
                    return false;
                }
                ClusterTopology view = ClusterTopology.parse(jedis.clusterNodes());
                if (!seesAllHealthy(view, live)) {
                    return false;
                }
                if (roles != null && !roles.equals(view.roleAndSlotMap())) {
                    return false; // gossip has not reached every node yet
                }
                roles = view.roleAndSlotMap();
                boolean replica = view.myself().map(ClusterTopology.Entry::isReplica).orElse(false);
                if (replica && !jedis.info("replication").contains("master_link_status:up")) {
                    return false;
                }
                // A replica rewrites its AOF after a full sync; Redis 7 will not shut down cleanly meanwhile.
                String persistence = jedis.info("persistence");
                if (!persistence.contains("aof_rewrite_in_progress:0") || !persistence.contains("aof_rewrite_scheduled:0")) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean seesAllHealthy(ClusterTopology view, List<Node> live) {
        if (view.entries().size() != nodes.size()) {
            return false;
        }
        for (Node other : live) {
            Optional<ClusterTopology.Entry> e = view.byId(other.id());
            if (e.isEmpty() || e.get().isHandshaking()
                    || (!e.get().isMyself() && (e.get().isFailing() || !e.get().connected()))) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- helpers

    private List<Node> responsiveNodes() {
        return nodes.stream().filter(Node::isResponsive).toList();
    }

    /** The view of the first responsive node. */
    private ClusterTopology referenceView() {
        return responsiveNodes().stream()
                .findFirst()
                .map(this::viewOf)
                .orElseThrow(() -> new IllegalStateException("No node is running (all killed, stopped or paused)"));
    }

    private ClusterTopology viewOf(Node node) {
        try (Jedis jedis = node.connect()) {
            return ClusterTopology.parse(jedis.clusterNodes());
        }
    }

    private Node nodeById(String id) {
        return nodes.stream()
                .filter(n -> id.equals(n.id))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Unknown node id " + id));
    }

    /** Ports of the replicas in INFO replication lines like {@code slave0:ip=127.0.0.1,port=7004,state=online,...}. */
    private static List<Integer> onlineReplicaPorts(String replicationInfo) {
        return Arrays.stream(replicationInfo.split("\r?\n"))
                .filter(l -> l.matches("slave\\d+:.*state=online.*"))
                .map(l -> l.replaceAll(".*[:,]port=(\\d+).*", "$1").trim())
                .map(Integer::valueOf)
                .toList();
    }

    /** Per node: state, the cluster view of a responsive node, and log tails; for timeout messages. */
    private String diagnostics() {
        StringBuilder sb = new StringBuilder("Cluster in ").append(baseDir).append(" using ").append(binary).append('\n');
        for (Node n : nodes) {
            sb.append("--- ").append(n).append(n.isPaused() ? " PAUSED" : n.isAlive() ? " running" : " NOT RUNNING");
            if (n.isResponsive()) {
                try (Jedis jedis = n.connect()) {
                    sb.append('\n').append(jedis.clusterNodes().strip());
                } catch (RuntimeException e) {
                    sb.append(" (CLUSTER NODES failed: ").append(e).append(')');
                }
            }
            sb.append("\n... log tail:\n").append(n.logTail(8)).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "RedisCluster[" + nodesSpec() + ", " + binary + "]";
    }

    /** One redis-server of this cluster. Survives restarts: same port, id, directory; new pid. */
    public final class Node {

        private final String name;
        private final RedisServerProcess process;
        private volatile String id;
        /** A slot this node served as master when last seen before a fault, or -1. */
        private volatile int slotBeforeFault = -1;

        private Node(String name, RedisServerProcess process) {
            this.name = name;
            this.process = process;
        }

        /**
         * The cluster node id (stable across restarts: kept in nodes.conf).
         *
         * @return the 40-character hex id {@code CLUSTER NODES} lists this node by
         */
        public String id() {
            return id;
        }

        /**
         * The loopback port this node serves clients on (TLS only in a cluster started with {@link Builder#tls()});
         * its cluster bus listens 10000 above.
         *
         * @return the port, the same across restarts
         */
        public int port() {
            return process.port();
        }

        /**
         * This node's address as Jedis takes it.
         *
         * @return {@link RedisCluster#HOST} and {@link #port()}
         */
        public HostAndPort hostAndPort() {
            return new HostAndPort(HOST, port());
        }

        /**
         * The current process id (changes on restart).
         *
         * @return the id of the running process, or of the last one once it was killed or stopped
         */
        public long pid() {
            return process.pid();
        }

        /**
         * As the node reports it, or as the first responsive node sees it while this one is down or paused.
         *
         * @return {@link Role#MASTER} or {@link Role#REPLICA}; for a node that is down, the role the others last
         *         recorded for it
         * @throws IllegalStateException when no node runs, or the cluster does not know this node
         */
        public Role role() {
            if (isResponsive()) {
                try (Jedis jedis = connect()) {
                    return jedis.info("replication").contains("role:master") ? Role.MASTER : Role.REPLICA;
                }
            }
            ClusterTopology.Entry e = referenceView().byId(id)
                    .orElseThrow(() -> new IllegalStateException(this + " is unknown to the cluster"));
            return e.isMaster() ? Role.MASTER : Role.REPLICA;
        }

        /**
         * The process is running (possibly paused).
         *
         * @return false once killed or stopped, until {@link #restart()} or {@link RedisCluster#startAll()}
         */
        public boolean isAlive() {
            return process.isAlive();
        }

        /**
         * The process is frozen by {@link #pause()} and not resumed yet.
         *
         * @return true while paused; false once resumed, killed or stopped
         */
        public boolean isPaused() {
            return process.isPaused();
        }

        /**
         * Running and not paused.
         *
         * @return whether a command sent to this node gets an answer
         */
        public boolean isResponsive() {
            return process.isResponsive();
        }

        /**
         * A new plain connection to this node (no redirections followed); the caller closes it.
         *
         * @return a connection with 1 s connect and 3 s read timeouts, TLS in a cluster started with
         *         {@link Builder#tls()}; a command to a paused node waits for that read timeout
         */
        public Jedis connect() {
            return process.connect();
        }

        /** SIGKILL: simulates a crash; returns once the process is gone, with its descendants (a wrapper script's server). */
        public void kill() {
            rememberSlots();
            process.kill();
        }

        /** SIGTERM: a clean shutdown (AOF and nodes.conf flushed); SIGKILL if it takes over 15 s. */
        public void stop() {
            rememberSlots();
            process.stop(STOP_TIMEOUT);
        }

        /**
         * SIGSTOP (to the process and its descendants): the node freezes without closing its sockets, like a long GC
         * pause or a network partition.
         */
        public void pause() {
            rememberSlots();
            process.pause();
        }

        /** SIGCONT. */
        public void resume() {
            process.resume();
        }

        /**
         * Stops the node if it runs, then starts it on the same port with the same directory, so it rejoins
         * with its id and data (an old master comes back as a replica of its successor). Returns when it
         * answers PING; use {@link RedisCluster#awaitClusterOk} to wait for the cluster to settle.
         *
         * @throws RedisClusterException when the cluster is closed ("Cannot start …: its cluster is closed"): a node
         *                               started then would be one nothing ever kills
         */
        public void restart() {
            process.stop(STOP_TIMEOUT);
            launch(this);
            process.awaitReady(startTimeout, RedisCluster.this::diagnostics);
        }

        /**
         * This node's directory: redis.conf, nodes.conf, AOF, node.log.
         *
         * @return a sub-directory of {@link RedisCluster#baseDir()}, kept across restarts, deleted by
         *         {@link RedisCluster#close()}
         */
        public Path dir() {
            return process.dir();
        }

        /**
         * The end of this node's {@code node.log} (its standard output and error, appended across restarts), e.g. for
         * an assertion's message.
         *
         * @param lines how many lines at most
         * @return those lines, or a one-line note when the log cannot be read
         */
        public String logTail(int lines) {
            return process.logTail(lines);
        }

        int slotServedBeforeFault() {
            if (slotBeforeFault >= 0) {
                return slotBeforeFault;
            }
            // Not faulted through this API: the cluster may still list its slots (before the failover).
            return referenceView().byId(id)
                    .filter(e -> e.isMaster() && e.ownsSlots())
                    .map(e -> e.slotRanges().get(0)[0])
                    .orElseThrow(() -> new IllegalArgumentException(this + " served no slots before its fault: not a master"));
        }

        /** Before a fault, note a slot this node serves, so awaitFailover can find its successor. */
        private void rememberSlots() {
            if (!isResponsive()) {
                return;
            }
            try {
                slotBeforeFault = viewOf(this).myself()
                        .filter(e -> e.isMaster() && e.ownsSlots())
                        .map(e -> e.slotRanges().get(0)[0])
                        .orElse(-1);
            } catch (RuntimeException e) {
                slotBeforeFault = -1;
            }
        }

        @Override
        public String toString() {
            return name + " " + HOST + ":" + port() + (id == null ? "" : " (" + id.substring(0, 8) + ")");
        }
    }
}
