package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.engine.Health;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The cluster grows by a 4th master after the instances started (slots of revocation keys moved onto
 * it), then shrinks again (its slots moved back, the node forgotten and reset, as {@code redis-cli --cluster
 * del-node} leaves it). Instances with the near-cache on (A), off (B), one started after the scale-out (C), and one
 * whose only seed is the 4th node (S).
 */
class ClusterScaleIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final List<Integer> MASTER_PORTS = new ArrayList<>();

    @Test
    void revocationsOnAMasterAddedAndRemovedLaterAreSeenEverywhere() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        String warm = TestTokens.hs256("warm-" + UUID.randomUUID());
        try (RedisCluster extra = RedisCluster.builder().masters(1).replicasPerMaster(1).start();
             JettyApp a = NearCacheApps.start(cluster);
             JettyApp b = NearCacheApps.start(cluster, "revocation.near-cache", "false")) {
            NearCacheApps.awaitFresh(a, warm);
            assertEquals(200, b.getWithToken("/api", warm).statusCode());

            cluster.masters().forEach(m -> MASTER_PORTS.add(m.port()));
            // Scale-out: the extra cluster's node, reset, joins as a 4th master without slots.
            RedisCluster.Node n4 = extra.masters().get(0);
            RedisCluster.Node n4r = extra.replicas().get(0);
            try (Jedis j = n4.connect()) {
                j.clusterReset(redis.clients.jedis.args.ClusterResetType.HARD);
                j.clusterMeet(RedisCluster.HOST, cluster.masters().get(0).port());
            }
            try (Jedis j = n4r.connect()) {
                j.clusterReset(redis.clients.jedis.args.ClusterResetType.HARD);
                j.clusterMeet(RedisCluster.HOST, cluster.masters().get(0).port());
            }
            String n4Id;
            String n4rId;
            try (Jedis j = n4.connect(); Jedis r = n4r.connect()) {
                n4Id = j.clusterMyId();
                n4rId = r.clusterMyId();
            }
            awaitEveryoneKnows(cluster, n4, n4Id, n4rId);
            try (Jedis r = n4r.connect()) {
                r.clusterReplicate(n4Id);
            }
            awaitEveryoneKnows(cluster, n4, n4Id, n4rId);

            // A user whose key slot does not hold the events channel; move that slot to the 4th master.
            String sub = NearCacheApps.userAwayFrom(cluster, cluster.masterForKey(NearCacheApps.CHANNEL), "scale");
            String userKey = NearCacheApps.KEYS.userKey(sub);
            int slot = JedisClusterCRC16.getSlot(userKey);
            RedisCluster.Node source = cluster.masterForKey(userKey);
            String revokedBefore = TestTokens.hs256(sub);
            assertTrue(NearCacheApps.service(a).revoke(NearCacheApps.principal(a, revokedBefore)).durable());
            awaitEveryoneKnows(cluster, n4, n4Id, n4rId);
            moveSlot(cluster, n4, slot, source.port(), source.id(), n4.port(), n4Id);

            // Checks after the move: MOVED to the new master.
            for (JettyApp app : List.of(a, b)) {
                assertEquals(401, app.getWithToken("/api", revokedBefore).statusCode(), "revoked before the scale-out");
            }
            // Revocations land on the 4th master, through A (near-cache) and B (direct).
            String viaA = TestTokens.hs256(sub);
            String viaB = TestTokens.hs256(sub);
            String live = TestTokens.hs256(sub);
            RevocationResult ra = NearCacheApps.service(a).revoke(NearCacheApps.principal(a, viaA));
            RevocationResult rb = b.filter().revocationService().revoke(ClusterApps.principal(b, viaB));
            System.out.println("[scale-out] revoke via A: " + ra + "; via B: " + rb);
            assertTrue(ra.durable() && rb.durable(), ra + " " + rb);
            try (Jedis j = n4.connect()) {
                assertNotEquals(null, j.get(NearCacheApps.KEYS.tokenKey(ClusterApps.ref(a, viaA))), "on the 4th master");
            }
            for (JettyApp app : List.of(a, b)) {
                assertEquals(401, app.getWithToken("/api", viaA).statusCode(), "revoked via A on the 4th master");
                assertEquals(401, app.getWithToken("/api", viaB).statusCode(), "revoked via B on the 4th master");
                assertEquals(200, app.getWithToken("/api", live).statusCode(), "live token");
            }
            assertEquals(401, NearCacheApps.statusAnsweredLocally(a, viaB), "A's near-cache heard B's revocation");

            // C starts after the scale-out: its first load scans the 4th master too.
            try (JettyApp c = NearCacheApps.start(cluster);
                 JettyApp s = JettyApp.start(ClusterApps.settings(RedisCluster.HOST + ":" + n4.port()))) {
                NearCacheApps.awaitFresh(c, warm);
                assertEquals(401, NearCacheApps.statusAnsweredLocally(c, viaA), "C's load read the 4th master");
                assertEquals(401, NearCacheApps.statusAnsweredLocally(c, revokedBefore));
                NearCacheApps.awaitFresh(s, warm);
                assertEquals(401, NearCacheApps.statusAnsweredLocally(s, viaB), "S (seed = 4th master) load");
                for (JettyApp app : List.of(a, b, c, s)) {
                    Health h = ClusterApps.awaitHealth(app, Health.Status.UP);
                    System.out.println("[scale-out] health: " + h);
                }

                // Scale-in: the slot moves back, the 4th master is forgotten and reset (redis-cli del-node).
                moveSlot(cluster, n4, slot, n4.port(), n4Id, source.port(), source.id());
                String afterMoveBack = TestTokens.hs256(sub);
                assertTrue(NearCacheApps.service(a).revoke(NearCacheApps.principal(a, afterMoveBack)).durable());
                for (RedisCluster.Node node : cluster.nodes()) {
                    try (Jedis j = node.connect()) {
                        j.clusterForget(n4Id);
                        j.clusterForget(n4rId);
                    }
                }
                try (Jedis j = n4.connect(); Jedis r = n4r.connect()) {
                    j.clusterReset(redis.clients.jedis.args.ClusterResetType.SOFT);
                    r.clusterReset(redis.clients.jedis.args.ClusterResetType.SOFT);
                }
                cluster.awaitClusterOk(Duration.ofSeconds(20));

                String afterScaleIn = TestTokens.hs256(sub);
                long began = System.nanoTime();
                RevocationResult rin = NearCacheApps.service(a).revoke(NearCacheApps.principal(a, afterScaleIn));
                System.out.printf("[scale-in] revoke after scale-in: %s in %d ms%n", rin,
                        (System.nanoTime() - began) / 1_000_000);
                for (JettyApp app : List.of(a, b, c, s)) {
                    for (String t : List.of(revokedBefore, viaA, viaB, afterMoveBack, afterScaleIn)) {
                        assertEquals(401, app.getWithToken("/api", t).statusCode(), "after scale-in: " + app.port());
                    }
                    assertEquals(200, app.getWithToken("/api", live).statusCode(), "live after scale-in");
                }
                for (JettyApp app : List.of(a, b, c, s)) {
                    Health h = ClusterApps.awaitHealth(app, Health.Status.UP);
                    System.out.println("[scale-in] health: " + h);
                }
                for (JettyApp app : List.of(a, c, s)) {
                    NearCacheApps.awaitFresh(app, warm);
                    assertEquals(401, NearCacheApps.statusAnsweredLocally(app, afterScaleIn));
                }
            }
            // S restarts: its only seed has left the cluster.
            try (JettyApp s2 = JettyApp.start(ClusterApps.settings(RedisCluster.HOST + ":" + n4.port()))) {
                int status = s2.getWithToken("/api", warm).statusCode();
                System.out.println("[seed left] restarted S answers " + status + ", health " + s2.filter().health());
            } catch (Exception e) {
                System.out.println("[seed left] restarted S failed to start: " + e);
            }
        }
    }

    private static Health awaitNotDown(JettyApp app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Health health = app.filter().health();
        while (System.nanoTime() < deadline && health.status() == Health.Status.DOWN) {
            Thread.sleep(50);
            health = app.filter().health();
        }
        assertNotEquals(Health.Status.DOWN, health.status(), health.toString());
        return health;
    }

    private static void awaitEveryoneKnows(RedisCluster cluster, RedisCluster.Node n4, String n4Id, String n4rId)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            boolean all = true;
            for (RedisCluster.Node node : cluster.nodes()) {
                try (Jedis j = node.connect()) {
                    String nodes = j.clusterNodes();
                    all &= nodes.contains(n4Id) && nodes.contains(n4rId) && !nodes.contains("handshake");
                }
            }
            try (Jedis j = n4.connect()) {
                all &= j.clusterNodes().split("\n").length == cluster.nodes().size() + 2
                        && j.clusterInfo().contains("cluster_state:ok");
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the 4th master did not join in 20 s");
            }
            Thread.sleep(100);
        }
    }

    /** IMPORTING/MIGRATING, MIGRATE of every key, SETSLOT NODE on every master (the 4th included). */
    private static void moveSlot(RedisCluster cluster, RedisCluster.Node n4, int slot, int fromPort, String fromId,
                                 int toPort, String toId) {
        try (Jedis src = new Jedis(RedisCluster.HOST, fromPort); Jedis dst = new Jedis(RedisCluster.HOST, toPort)) {
            dst.clusterSetSlotImporting(slot, fromId);
            src.clusterSetSlotMigrating(slot, toId);
            List<String> keys = src.clusterGetKeysInSlot(slot, 1000);
            if (!keys.isEmpty()) {
                List<String> args = new ArrayList<>(List.of(RedisCluster.HOST, Integer.toString(toPort), "", "0",
                        "5000", "KEYS"));
                args.addAll(keys);
                src.sendCommand(Protocol.Command.MIGRATE, args.toArray(new String[0]));
            }
            dst.clusterSetSlotNode(slot, toId);
            try {
                src.clusterSetSlotNode(slot, toId);
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                // Its last slot gone, it may already be a replica of the taker (the taker's gossip came first).
                System.out.println("[move] SETSLOT on the source " + fromPort + ": " + e.getMessage());
            }
        }
        List<Integer> ports = new ArrayList<>(MASTER_PORTS);
        ports.add(n4.port());
        for (int port : ports) {
            try (Jedis j = new Jedis(RedisCluster.HOST, port)) {
                j.clusterSetSlotNode(slot, toId);
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                // A master that gave away its last slot became a replica of the taker (cluster-allow-replica-migration).
                System.out.println("[move] SETSLOT on " + port + ": " + e.getMessage());
            }
        }
    }
}
