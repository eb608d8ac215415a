package org.jwtgate.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jwtgate.testkit.process.ServerProcesses;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * One {@code redis-server} process in cluster mode, in its own directory: {@code redis.conf}, {@code nodes.conf},
 * the AOF, {@code node.log} (stdout and stderr, appended across restarts) and {@code redis.pid}.
 * The directory survives restarts, so a restarted node rejoins with its identity and data.
 *
 * <p>The binary may be a wrapper script that runs redis-server as its child (no {@code exec}): every signal goes to
 * the launched process and its descendants.
 */
final class RedisServerProcess {

    static final String PID_FILE = "redis.pid";
    static final String CONFIG_FILE = "redis.conf";
    private static final String LOG_FILE = "node.log";
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SIGTERM_REPEAT = Duration.ofMillis(250);
    private static final JedisClientConfig ADMIN_CLIENT = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(1000)
            .socketTimeoutMillis(3000)
            .clientName("jwtgate-rig")
            .autoNegotiateProtocol(false) // RESP2: plain Jedis would only warn about RESP3 negotiation
            .build();

    private final RedisServerBinary binary;
    private final Path dir;
    private final long nodeTimeoutMs;
    private final RedisTls tls;
    private final JedisClientConfig adminClient;
    private volatile int port;
    private volatile Process process;
    private volatile boolean paused;
    private volatile long logOffsetAtLaunch;
    /** The launched process and its descendants as last seen: a child orphaned by its parent's exit is found no more. */
    private final Set<ProcessHandle> tree = ConcurrentHashMap.newKeySet();

    RedisServerProcess(RedisServerBinary binary, Path dir, int port, long nodeTimeoutMs) {
        this(binary, dir, port, nodeTimeoutMs, null);
    }

    /** With {@code tls} not null, the node serves TLS only, on {@code port}, and the rig's connections use it. */
    RedisServerProcess(RedisServerBinary binary, Path dir, int port, long nodeTimeoutMs, RedisTls tls) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.nodeTimeoutMs = nodeTimeoutMs;
        this.tls = tls;
        this.adminClient = tls == null ? ADMIN_CLIENT : DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(1000)
                .socketTimeoutMillis(3000)
                .clientName("jwtgate-rig")
                .autoNegotiateProtocol(false)
                .ssl(true)
                .sslSocketFactory(tls.socketFactory())
                .sslParameters(RedisTls.withoutHostNameCheck())
                .build();
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    /** Moves a node that never formed a cluster to another port (its first port was taken meanwhile). */
    void changePort(int newPort) {
        if (isAlive()) {
            throw new IllegalStateException("Cannot move running node " + port + " to " + newPort);
        }
        this.port = newPort;
    }

    /** Starts the process (not waiting for it to accept connections). */
    void launch() {
        if (isAlive()) {
            throw new IllegalStateException("Node " + port + " is already running (pid " + pid() + ")");
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(CONFIG_FILE), config());
            Path log = dir.resolve(LOG_FILE);
            logOffsetAtLaunch = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder builder = new ProcessBuilder(binary.path().toString(), dir.resolve(CONFIG_FILE).toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Process started = Processes.start(builder);
            started.getOutputStream().close(); // redis-server never reads stdin
            process = started;
            paused = false;
            tree.clear();
            // Lets a later run reap this process if this JVM dies without running its shutdown hooks.
            Files.writeString(dir.resolve(PID_FILE), Long.toString(started.pid()));
        } catch (IOException e) {
            throw new RedisClusterException("Cannot start " + binary + " on port " + port + ": " + e.getMessage(), e);
        }
    }

    private String config() {
        String d = quoted(dir.toAbsolutePath().toString());
        return String.join("\n",
                tls == null ? "port " + port : tls.configLines(port),
                "bind " + RedisCluster.HOST,
                "protected-mode no",
                "daemonize no",
                "logfile \"\"",
                "dir " + d,
                "cluster-enabled yes",
                "cluster-config-file " + quoted(dir.toAbsolutePath().resolve("nodes.conf").toString()),
                "cluster-node-timeout " + nodeTimeoutMs,
                // A replica may take over however long its link was down: failovers in tests stay
                // deterministic (after a pause or a whole-cluster restart too). Availability over consistency.
                "cluster-replica-validity-factor 0",
                "appendonly yes",
                "appendfsync everysec",
                "save \"\"",
                // Redis 7 defaults to a 5 s diskless-sync delay, which would hold every replica back at start.
                "repl-diskless-sync yes",
                "repl-diskless-sync-delay 0",
                "");
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Waits until this node's server answers PING (done loading its AOF); fails fast if the process dies. Another
     * server that holds the port (a race with another cluster) answers too, until this process fails to bind and
     * exits: a PONG counts only from a server working in this node's directory.
     */
    void awaitReady(Duration timeout) {
        awaitReady(timeout, () -> "Log tail of node " + port + ":\n" + logTail(30));
    }

    /** As {@link #awaitReady(Duration)}, with {@code diagnostics} (the cluster's) in the timeout's message. */
    void awaitReady(Duration timeout, Supplier<String> diagnostics) {
        Poll.untilTrue("node " + port + " to answer PING", timeout, () -> {
            if (!isAlive()) {
                throw new RedisClusterException(binary + " on port " + port + " exited with code "
                        + exitCodeText() + "; log since start:\n" + logSinceLaunch());
            }
            try (Jedis jedis = connect()) {
                return "PONG".equals(jedis.ping()) && worksIn(dir, jedis.configGet("dir").get("dir"));
            }
        }, diagnostics);
    }

    /** Whether a server reporting {@code reportedDir} runs in {@code dir} (it reports its real path: /tmp may be a link). */
    private static boolean worksIn(Path dir, String reportedDir) {
        try {
            return reportedDir != null && Files.isSameFile(dir, Path.of(reportedDir));
        } catch (IOException e) {
            return false; // another server's directory that this user cannot see
        }
    }

    /** A fresh admin connection; the caller closes it. */
    Jedis connect() {
        return new Jedis(new HostAndPort(RedisCluster.HOST, port), adminClient);
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Alive and not paused: safe to send a command to. */
    boolean isResponsive() {
        return isAlive() && !paused;
    }

    boolean isPaused() {
        return paused && isAlive();
    }

    /** The current (or last) process id, -1 before the first start. */
    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    void pause() {
        requireAlive("pause");
        Processes.signal(process.pid(), "STOP"); // the server itself first: it forks no more children then
        paused = true;
        // Then its descendants, until no new one shows (a wrapper's redis-server may fork until it is stopped too);
        // leniently: a fork child (AOF rewrite, full sync) may end meanwhile.
        Set<Long> stopped = new HashSet<>();
        for (int round = 0; round < 10; round++) {
            List<ProcessHandle> fresh = descendants().stream().filter(h -> stopped.add(h.pid())).toList();
            if (fresh.isEmpty()) {
                break;
            }
            Processes.signalLeniently(fresh, "STOP");
        }
    }

    void resume() {
        requireAlive("resume");
        Processes.signalLeniently(descendants(), "CONT");
        Processes.signal(process.pid(), "CONT");
        paused = false;
    }

    /** The launched process's descendants still running (a wrapper's redis-server, a server's fork children). */
    private List<ProcessHandle> descendants() {
        long self = process.pid();
        return processTree().stream().filter(h -> h.pid() != self).toList();
    }

    /** SIGKILL: a crash. Waits until the process and its descendants are gone. */
    void kill() {
        Process p = process;
        List<ProcessHandle> running = processTree();
        if (p == null || running.isEmpty()) {
            return;
        }
        if (paused) {
            try {
                Processes.signalLeniently(running, "CONT"); // SIGKILL ends a stopped process anyway; belt and braces
            } catch (RuntimeException e) {
                // one may have died meanwhile
            }
        }
        running.forEach(ProcessHandle::destroyForcibly);
        if (!Processes.awaitExit(p, KILL_TIMEOUT) || !Processes.awaitEnded(running, KILL_TIMEOUT)) {
            throw new RedisClusterException("redis-server pid " + p.pid() + " or a descendant survived SIGKILL for "
                    + KILL_TIMEOUT);
        }
        paused = false;
    }

    /** The launched process and its descendants (a wrapper's redis-server) that have not ended. */
    private List<ProcessHandle> processTree() {
        Process p = process;
        if (p != null) {
            tree.add(p.toHandle());
            p.descendants().forEach(tree::add);
        }
        tree.removeIf(ServerProcesses::hasEnded);
        return List.copyOf(tree);
    }

    /** SIGTERM: a clean shutdown that flushes the AOF and nodes.conf. Falls back to SIGKILL after {@code timeout}. */
    void stop(Duration timeout) {
        requestStop();
        finishStop(timeout);
    }

    /** Sends SIGTERM without waiting, so that many nodes can stop in parallel; then call {@link #finishStop}. */
    void requestStop() {
        if (paused && isAlive()) {
            resume(); // a stopped process would not handle SIGTERM
        }
        processTree().forEach(ProcessHandle::destroy);
    }

    /**
     * Waits for the exit after {@link #requestStop}, repeating SIGTERM: Redis 7 refuses to shut down while it
     * writes its initial AOF (right after a replica's full sync) and does not retry by itself. SIGKILL after
     * {@code timeout}.
     */
    void finishStop(Duration timeout) {
        Process p = process;
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ProcessHandle> running = processTree();
        while (!running.isEmpty() && !Processes.awaitEnded(running, SIGTERM_REPEAT)) {
            if (System.nanoTime() - deadline >= 0) {
                kill();
                break;
            }
            running = processTree();
            running.forEach(ProcessHandle::destroy);
        }
        if (p != null) {
            Processes.awaitExit(p, SIGTERM_REPEAT); // ended, but isAlive() may say true until the JDK has reaped it
        }
        paused = false;
    }

    /** Whether the last launch failed because the port was taken (a race with another process). */
    boolean failedOnPortInUse() {
        return !isAlive() && logSinceLaunch().contains("Address already in use");
    }

    String logTail(int lines) {
        List<String> all = Arrays.asList(readLog(0).split("\n"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private String logSinceLaunch() {
        return readLog(logOffsetAtLaunch);
    }

    private String readLog(long from) {
        Path log = dir.resolve(LOG_FILE);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(from, file.length() - 64 * 1024); // enough for a diagnosis
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private String exitCodeText() {
        Process p = process;
        return p == null || p.isAlive() ? "?" : Integer.toString(p.exitValue());
    }

    private void requireAlive(String action) {
        if (!isAlive()) {
            throw new IllegalStateException("Cannot " + action + " node " + port + ": it is not running");
        }
    }
}
