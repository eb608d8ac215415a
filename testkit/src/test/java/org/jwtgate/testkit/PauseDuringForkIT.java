package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * pause()/resume() signal the node's descendants too (a wrapper script's redis-server), and redis-server forks
 * children of its own (an AOF rewrite, a replica's full sync): one that ended between listing the tree and the
 * signal made pause() throw, leaving the node stopped while isPaused() said false (a review's find).
 */
class PauseDuringForkIT {

    @Test
    void whenAForkChildEndsAsTheNodeIsPausedThenPauseAndResumeSucceed() throws Exception {
        try (RedisCluster cluster = RedisCluster.builder().masters(1).replicasPerMaster(0).start()) {
            RedisCluster.Node node = cluster.nodes().get(0);
            try (Jedis jedis = node.connect()) {
                jedis.configSet("hz", "500"); // reaps its child every 2 ms rather than 100 ms: the race comes often
                for (int i = 0; i < 2000; i++) {
                    jedis.set("{k}" + i, "v".repeat(100));
                }
            }
            List<String> failures = new ArrayList<>();
            int rounds = 300;
            for (int i = 0; i < rounds; i++) {
                try (Jedis jedis = node.connect()) {
                    jedis.bgrewriteaof();
                } catch (RuntimeException e) {
                    // a rewrite still under way
                }
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 4));
                try {
                    node.pause();
                } catch (RuntimeException e) {
                    failures.add("pause: " + e.getMessage() + " (isPaused=" + node.isPaused() + ")");
                }
                try {
                    node.resume();
                } catch (RuntimeException e) {
                    failures.add("resume: " + e.getMessage());
                }
            }
            assertEquals(List.of(), failures.subList(0, Math.min(3, failures.size())),
                    failures.size() + " of " + rounds + " pause/resume rounds failed (first 3 shown)");
        }
    }
}
