package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.CHANNEL;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.awaitFresh;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.commandCalls;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.delta;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.nearCache;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.principal;
import static org.jwtgate.internal.revocation.nearcache.NearCacheApps.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.NearCacheStats;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * What the near-cache's protocol costs the cluster and what it guarantees, on a real 3+3 cluster: an
 * idle instance's heartbeats are one {@code EXISTS} each on the channel's master, nothing published,
 * nothing on the cluster bus, no command on any other node; and moving the channel's slot to another
 * master while revocations and checks run never lets a check accept a token whose revocation was
 * acknowledged before it. Run on Redis 7 (sharded pub/sub) and on Redis 6.2 (classic pub/sub) by the
 * two subclasses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class NearCacheProtocolContract {

    /**
     * This test's own connections (CLIENT SETNAME jwtgate-rig, INFO, CLUSTER INFO) and the replicas' acks.
     * Redis 6 counts subcommands under their command: {@code client}, {@code cluster}.
     */
    private static final java.util.Set<String> OBSERVER_COMMANDS = java.util.Set.of("info", "cluster|info",
            "client|setname", "replconf", "client", "cluster");
    private static final Pattern BUS_STAT = Pattern.compile("cluster_stats_messages_(\\w+):(\\d+)");

    private static JettyApp a;
    private static JettyApp b;

    /** The cluster of the subclass's extension. */
    abstract RedisCluster cluster();

    /** {@code sharded} or {@code classic}. */
    abstract String expectedMode();

    @BeforeEach
    void startInstances() throws Exception {
        if (a != null) {
            return;
        }
        a = NearCacheApps.start(cluster());
        b = NearCacheApps.start(cluster());
        String warmUp = TestTokens.hs256(user("warm-up"));
        awaitFresh(a, warmUp);
        awaitFresh(b, warmUp);
    }

    @AfterAll
    static void stopInstances() throws Exception {
        if (a != null) {
            a.close();
            a = null;
        }
        if (b != null) {
            b.close();
            b = null;
        }
    }

    @Test
    @Order(1)
    void whenSubscribedThenThePubSubTheServerOffersRuns() {
        assertEquals(expectedMode(), nearCache(a).stats().pubSubMode());
        assertEquals(expectedMode(), nearCache(b).stats().pubSubMode());
    }

    @Test
    @Order(2)
    void whenInstancesIdleThenHeartbeatsAreOneReadEachOnTheChannelMasterAndNothingCrossesTheBus() throws Exception {
        RedisCluster cluster = cluster();
        Thread.sleep(500); // past the start-up loads
        RedisCluster.Node channelMaster = cluster.masterForKey(CHANNEL);
        Map<RedisCluster.Node, Map<String, Long>> before = perNode(cluster);
        Map<String, Long> busBefore = busStats(cluster);
        long startNanos = System.nanoTime();
        Thread.sleep(2_000);
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        Map<RedisCluster.Node, Map<String, Long>> after = perNode(cluster);
        Map<String, Long> busAfter = busStats(cluster);

        long heartbeats = 0;
        java.util.Set<RedisCluster.Node> replicas = java.util.Set.copyOf(cluster.replicas());
        for (RedisCluster.Node node : cluster.nodes()) {
            Map<String, Long> used = new LinkedHashMap<>();
            after.get(node).forEach((command, calls) -> {
                long d = calls - before.get(node).getOrDefault(command, 0L);
                // A replica runs its master's replication-stream PING, one per repl-ping-replica-period (10 s).
                boolean replicationPing = command.equals("ping") && replicas.contains(node) && d <= 1 + elapsedMs / 10_000;
                if (d > 0 && !OBSERVER_COMMANDS.contains(command) && !replicationPing) {
                    used.put(command, d);
                }
            });
            if (node == channelMaster) {
                heartbeats = used.getOrDefault("exists", 0L);
                used.remove("exists");
            }
            assertTrue(used.isEmpty(), node + " ran commands for idle instances: " + used);
        }
        // 2 instances, one heartbeat every max-staleness/4 = 25 ms: about 80 per second; never a publish.
        long expected = 2 * elapsedMs / 25;
        System.out.printf(Locale.ROOT, "[near-cache] 2 idle instances, %d ms: %d heartbeats (EXISTS) on the channel"
                + " master (%.1f per instance per second), bus pub/sub messages: %s%n", elapsedMs, heartbeats,
                heartbeats * 1000.0 / elapsedMs / 2, publishMessages(busBefore, busAfter));
        assertTrue(heartbeats > expected / 3 && heartbeats <= expected + 20, heartbeats + " heartbeats, ~" + expected + " expected");
        assertEquals(0, publishMessages(busBefore, busAfter), "pub/sub messages on the cluster bus");
    }

    /**
     * Moves the announcement channel's slot to another master (IMPORTING/MIGRATING, SETSLOT NODE) while A
     * revokes tokens one after another and B checks each right after A's revocation was acknowledged: no
     * such check may accept the token. B's subscription is ended by the server, B reads Redis meanwhile,
     * resubscribes on the new master and is fresh again.
     */
    @Test
    @Order(3)
    void whenChannelSlotMovesWhileRevocationsAndChecksRunThenNoAcknowledgedRevocationIsAccepted() throws Exception {
        RedisCluster cluster = cluster();
        int slot = JedisClusterCRC16.getSlot(CHANNEL);
        RedisCluster.Node source = cluster.masterForKey(CHANNEL);
        RedisCluster.Node target = cluster.masters().stream().filter(n -> n != source).findFirst().orElseThrow();
        NearCacheStats before = nearCache(b).stats();

        AtomicBoolean moving = new AtomicBoolean(true);
        AtomicBoolean migrating = new AtomicBoolean();
        AtomicInteger whileMigrating = new AtomicInteger(); // rounds begun and ended while the slot migrated
        ExecutorService revoker = Executors.newSingleThreadExecutor();
        Future<int[]> outcome = revoker.submit(() -> {
            int rounds = 0;
            int accepted = 0;
            while (moving.get() || rounds < 40) {
                boolean begunMigrating = migrating.get();
                String token = TestTokens.hs256(user("slot-move-" + rounds));
                JwtPrincipal onA = principal(a, token);
                JwtPrincipal onB = principal(b, token);
                service(a).revoke(onA);
                if (!service(b).isRevoked(onB)) {
                    accepted++;
                }
                if (begunMigrating && migrating.get()) {
                    whileMigrating.incrementAndGet();
                }
                rounds++;
            }
            return new int[] {rounds, accepted};
        });
        try (Jedis src = source.connect(); Jedis dst = target.connect()) {
            Thread.sleep(300);
            dst.clusterSetSlotImporting(slot, source.id());
            src.clusterSetSlotMigrating(slot, target.id());
            migrating.set(true);
            // Revocations and checks while the slot is migrating: the case this test is about, so wait for some.
            NearCacheApps.await("3 revocations acknowledged and checked while the slot migrates", Duration.ofSeconds(20),
                    () -> whileMigrating.get() >= 3 || outcome.isDone()); // done: failed, outcome.get() says why
            migrating.set(false);
            dst.clusterSetSlotNode(slot, target.id());
            src.clusterSetSlotNode(slot, target.id());
            for (RedisCluster.Node master : cluster.masters()) {
                try (Jedis other = master.connect()) {
                    other.clusterSetSlotNode(slot, target.id());
                }
            }
            Thread.sleep(500);
        } finally {
            moving.set(false);
        }
        int[] result = outcome.get(2, java.util.concurrent.TimeUnit.MINUTES);
        revoker.shutdownNow();
        assertEquals(target, cluster.masterForKey(CHANNEL));
        cluster.awaitClusterOk(Duration.ofSeconds(20));
        NearCacheApps.await("B fresh again on the new master", Duration.ofSeconds(20), () -> nearCache(b).isFresh());
        NearCacheStats after = nearCache(b).stats();
        System.out.printf(Locale.ROOT, "[near-cache] channel slot %d moved %s -> %s: %d revocations acknowledged"
                + " (%d while it migrated), %d accepted afterwards by B; B resubscribed %d time(s), read Redis in %d checks%n",
                slot, source, target, result[0], whileMigrating.get(), result[1], after.subscriptions() - before.subscriptions(),
                after.directChecks() - before.directChecks());
        assertEquals(0, result[1], "checks after an acknowledged revocation that accepted the token");
        assertTrue(after.subscriptions() > before.subscriptions(), "B resubscribed where the slot lives now");
        try (Jedis jedis = target.connect()) {
            long subscribers = expectedMode().equals("sharded") ? shardSubscribers(jedis)
                    : jedis.pubsubNumSub(CHANNEL).get(CHANNEL);
            assertTrue(subscribers >= 2, "A and B subscribe on the new master");
        }
    }

    private static Map<RedisCluster.Node, Map<String, Long>> perNode(RedisCluster cluster) {
        Map<RedisCluster.Node, Map<String, Long>> calls = new LinkedHashMap<>();
        for (RedisCluster.Node node : cluster.nodes()) {
            calls.put(node, commandCalls(List.of(node)));
        }
        return calls;
    }

    /** Summed over every node: cluster bus messages by type ({@code CLUSTER INFO}). */
    private static Map<String, Long> busStats(RedisCluster cluster) {
        Map<String, Long> stats = new LinkedHashMap<>();
        for (RedisCluster.Node node : cluster.nodes()) {
            try (Jedis jedis = node.connect()) {
                Matcher m = BUS_STAT.matcher(jedis.clusterInfo());
                while (m.find()) {
                    stats.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
                }
            }
        }
        return stats;
    }

    /** Classic and sharded publish messages sent and received over the bus between two readings. */
    private static long publishMessages(Map<String, Long> before, Map<String, Long> after) {
        long total = 0;
        for (String type : new ArrayList<>(after.keySet())) {
            if (type.contains("publish")) {
                total += delta(before, after, type);
            }
        }
        return total;
    }

    @SuppressWarnings("unchecked")
    private static long shardSubscribers(Jedis jedis) {
        List<Object> reply = (List<Object>) jedis.sendCommand(Protocol.Command.PUBSUB, "SHARDNUMSUB", CHANNEL);
        return (Long) reply.get(1);
    }

    private static String user(String name) {
        return name + "-" + UUID.randomUUID();
    }
}
