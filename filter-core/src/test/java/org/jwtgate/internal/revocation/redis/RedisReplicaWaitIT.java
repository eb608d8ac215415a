package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import redis.clients.jedis.Jedis;

/**
 * A revocation holds its pooled connection while its {@code WAIT} waits for replicas (up to
 * {@code revocation.replica-timeout-ms}); checks borrow from the same pool. Revocations waiting on a replica
 * that does not answer hold a bounded share of their master's pool: checks still get a connection, and the
 * other masters' revocations still go through.
 */
class RedisReplicaWaitIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(2));

    /** Two connections per node, one of them for writes that wait: a paused replica shows at once. */
    private static JwtGateConfig settings(String store, String nodes) {
        return settings(store, nodes, 1);
    }

    private static JwtGateConfig settings(String store, String nodes, int minReplicas) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("jwt.secret", "test-secret-0123456789abcdefghij");
        params.put("jwt.issuer", "iss");
        params.put("revocation.store", store);
        params.put("redis.nodes", nodes);
        params.put("redis.pool-size", "2");
        params.put("redis.timeout-ms", "300");
        params.put("revocation.near-cache", "false");
        params.put("revocation.min-replicas", String.valueOf(minReplicas));
        params.put("revocation.replica-timeout-ms", "3000");
        return JwtGateConfig.load(params, ConfigSources.none());
    }

    /** The first {@code count} users whose keys (all under the user's hash tag) live on {@code master}. */
    private static List<String> usersOn(RedisCluster cluster, RedisCluster.Node master, int count) {
        RevocationKeys keys = new RevocationKeys("jwtgate:");
        List<String> users = new ArrayList<>();
        for (int i = 0; users.size() < count; i++) {
            String user = "user-" + i;
            if (cluster.masterForKey(keys.userKey(user)).id().equals(master.id())) {
                users.add(user);
            }
        }
        return users;
    }

    /** Waits for the writes still in their WAIT once the replica answers again; only the other calls matter. */
    private static void awaitQuietly(List<Future<?>> writes) throws Exception {
        for (Future<?> write : writes) {
            try {
                write.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException ignored) {
                // a revocation may fail for want of a place: the test asserts on the other calls
            }
        }
    }

    /** A thread factory that keeps the threads it makes in {@code threads}. */
    private static ThreadFactory recorded(List<Thread> threads) {
        return task -> {
            Thread thread = new Thread(task);
            threads.add(thread);
            return thread;
        };
    }

    /**
     * Waits until each of {@code writes} is in its {@code WAIT} on {@code master} (a blocked client there), waits for a
     * place or a connection (its thread parked with a timeout), or is over: a fixed sleep may end before a writer,
     * descheduled on a loaded machine, has taken anything, and the call the test then makes finds nothing taken.
     */
    private static void awaitSettled(RedisCluster.Node master, List<Thread> writerThreads, List<Future<?>> writes)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long inWait = blockedClients(master);
            long parked = writerThreads.stream().filter(t -> t.getState() == Thread.State.TIMED_WAITING).count();
            long over = writes.stream().filter(Future::isDone).count();
            if (inWait + parked + over >= writes.size()) {
                return;
            }
            assertTrue(System.nanoTime() - deadline < 0, writes.size() + " writes, " + inWait + " in WAIT, " + parked
                    + " waiting for a place or a connection, " + over + " over");
            Thread.sleep(10);
        }
    }

    private static long blockedClients(RedisCluster.Node node) {
        try (Jedis jedis = node.connect()) {
            return jedis.info("clients").lines().filter(line -> line.startsWith("blocked_clients:"))
                    .mapToLong(line -> Long.parseLong(line.substring("blocked_clients:".length()).trim())).sum();
        }
    }

    @Test
    void whenRevocationsWaitForAPausedReplicaThenChecksStillGetAConnection() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node master = cluster.masters().get(0);
        // A single-node store on one master of the cluster: every key here must live on that master.
        List<String> users = usersOn(cluster, master, 5);
        Instant now = Instant.now();
        TokenRef token = new TokenRef("iss", users.get(4), "jti-1", now, now.plusSeconds(60));
        List<Thread> writerThreads = new CopyOnWriteArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(4, recorded(writerThreads));
        try (RevocationStore store = RedisRevocationStores.create(settings("redis", RedisCluster.HOST + ":" + master.port()))) {
            assertFalse(store.isRevoked(token), "connected");
            RedisCluster.Node replica = cluster.replicaOf(master); // found while it answers: resumed in finally
            replica.pause();
            List<Future<?>> revocations = new ArrayList<>();
            try {
                for (String user : users.subList(0, 4)) {
                    revocations.add(writers.submit(() -> store.revokeUser(user, Instant.now(), Duration.ofMinutes(1))));
                }
                awaitSettled(master, writerThreads, revocations); // the revocations are in their WAIT, or wait for it

                long start = System.nanoTime();
                assertFalse(store.isRevoked(token), "the master answers: the check must not find the pool taken");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis < 300, "a check does not wait for a connection behind WAITs: " + millis + " ms");
            } finally {
                replica.resume();
                awaitQuietly(revocations);
            }
        } finally {
            writers.shutdownNow();
        }
    }

    /**
     * A paused replica slows its own master's revocations, not the other masters': there the replicas answer, and
     * a revocation must not be refused for want of a place that the first master's waiting writes took.
     */
    @Test
    void whenOneMastersReplicaIsPausedThenRevocationsOnAnotherMasterStillGoThrough() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node slow = cluster.masters().get(0);
        RedisCluster.Node healthy = cluster.masters().get(1);
        String onSlow = usersOn(cluster, slow, 1).get(0);
        String onHealthy = usersOn(cluster, healthy, 1).get(0);
        List<Thread> writerThreads = new CopyOnWriteArrayList<>();
        ExecutorService writers = Executors.newSingleThreadExecutor(recorded(writerThreads));
        try (RevocationStore store = RedisRevocationStores.create(settings("redis-cluster", cluster.nodesSpec()))) {
            assertEquals(1, store.revokeUser(onHealthy, Instant.now(), Duration.ofMinutes(1)).replicasConfirmed(), "connected");
            RedisCluster.Node replica = cluster.replicaOf(slow); // found while it answers: resumed in finally
            replica.pause();
            List<Future<?>> waiting = new ArrayList<>();
            try {
                String user = onSlow;
                waiting.add(writers.submit(() -> store.revokeUser(user, Instant.now(), Duration.ofMinutes(1))));
                awaitSettled(slow, writerThreads, waiting); // that revocation is in its WAIT now

                RevocationResult result = store.revokeUser(onHealthy, Instant.now(), Duration.ofMinutes(1));
                assertTrue(result.durable(), "the healthy master's replica confirmed: " + result.replicasConfirmed());
            } finally {
                replica.resume();
                awaitQuietly(waiting);
            }
        } finally {
            writers.shutdownNow();
        }
    }

    /**
     * {@code revocation.min-replicas} above the replicas a master has (here 2, each master has 1): no revocation is
     * ever durable, and no retry helps. The WARN says so, naming the setting and both numbers, for both stores.
     * Before, it said only "1 of 2 replicas confirmed it", as for a replica that is slow for a moment.
     */
    @Test
    void whenTheMasterHasFewerReplicasThanMinReplicasThenTheWarningSaysNoRetryHelps() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node master = cluster.masters().get(0);
        CapturedLog log = CapturedLog.during(() -> {
            for (JwtGateConfig config : List.of(settings("redis-cluster", cluster.nodesSpec(), 2),
                    settings("redis", RedisCluster.HOST + ":" + master.port(), 2))) {
                try (RevocationStore store = RedisRevocationStores.create(config)) {
                    String user = usersOn(cluster, master, 1).get(0);
                    RevocationResult result = store.revokeUser(user, Instant.now(), Duration.ofMinutes(5));
                    assertFalse(result.durable(), result.toString());
                    assertEquals(1, result.replicasConfirmed(), result.toString());
                }
            }
        });
        List<String> warnings = log.warnings().stream().filter(l -> l.contains("not durable")).toList();
        assertEquals(2, warnings.size(), String.join("\n", warnings));
        for (String warning : warnings) {
            assertTrue(warning.contains("its master " + master.hostAndPort() + " has 1 replica, fewer than "
                    + "revocation.min-replicas=2: no retry confirms it"), warning);
        }
    }
}
