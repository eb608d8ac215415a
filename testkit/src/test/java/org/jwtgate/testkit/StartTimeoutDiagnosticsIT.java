package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builder.start()'s javadoc and operations.md: a cluster not ready within startTimeout "fails with a message naming
 * what it waited for, then each node's state, its CLUSTER NODES view and its log tail", whichever step timed out.
 * Before, a node slow to answer PING (loading a big AOF, a slow machine: here a wrapper that waits before starting
 * redis-server) gave only that node's log tail: no node's state, none of the other nodes.
 */
class StartTimeoutDiagnosticsIT {

    @Test
    void whenTheStartTimesOutWaitingForANodeThenTheMessageHoldsEachNodesStateAndLogTail(@TempDir Path tmp) throws Exception {
        Path real = RedisServerBinary.locate().path();
        Path slow = tmp.resolve("redis-server");
        // --version answers at once; a node starts only after 5 s (exec: the process is redis-server itself).
        Files.writeString(slow, "#!/bin/sh\n[ \"$1\" = --version ] || sleep 5\nexec " + real + " \"$@\"\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwx------"));

        RedisClusterException e = assertThrows(RedisClusterException.class, () -> RedisCluster.builder().masters(2)
                .replicasPerMaster(0).binary(RedisServerBinary.of(slow)).startTimeout(Duration.ofSeconds(2)).start().close());

        String message = e.getMessage();
        assertTrue(message.contains("--- node-1") && message.contains("--- node-2"),
                "the message names no node's state (each node's state, view and log tail promised):\n" + message);
    }
}
