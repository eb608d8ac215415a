package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A port claim answers yes to every cluster of the JVM holding it: a second cluster of this JVM (JUnit's parallel
 * classes) must still never be given the port of a first one's node stopped for a restart, which would then fail
 * with "Address already in use". Before the fix the stopped node's port came back after 614 picks.
 */
class FreePortsSameJvmTest {

    @Test
    void whenANodeOfAClusterIsStoppedThenAnotherClusterOfThisJvmIsNeverGivenItsPort() {
        try (RedisCluster first = RedisCluster.builder().masters(1).replicasPerMaster(0).start()) {
            RedisCluster.Node node = first.nodes().get(0);
            int port = node.port();
            node.stop();
            for (int i = 0; i < 50_000; i++) { // 10,000 candidates: without the fix, a hit is all but certain
                int picked = FreePorts.pick(); // a second cluster of this JVM starting, and closing
                FreePorts.release(Set.of(picked));
                assertNotEquals(port, picked, "the stopped node's port, given to another cluster after " + i + " picks");
            }
            node.restart();
            first.awaitClusterOk(java.time.Duration.ofSeconds(30));
        }
    }
}
