package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose port another redis-server took between the pick and the bind (two clusters starting at once, in
 * parallel test classes or on a shared machine): the other server answers PING on that port until this node's
 * process fails to bind and exits. The rig must see the failure, which makes it retry on another port.
 */
class RedisServerProcessIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void whenAnotherRedisServerHoldsThePortThenAwaitReadyFailsOnThePortInUseInsteadOfTakingItsPong() {
        RedisServerBinary binary = RedisServerBinary.locate();
        int port = FreePorts.pick();
        RedisServerProcess holder = new RedisServerProcess(binary, tmp.resolve("holder"), port, 1000);
        RedisServerProcess late = new RedisServerProcess(binary, tmp.resolve("late"), port, 1000);
        try {
            holder.launch();
            holder.awaitReady(TIMEOUT);

            late.launch();
            RedisClusterException e = assertThrows(RedisClusterException.class, () -> late.awaitReady(TIMEOUT),
                    "awaitReady took the PONG of the server already on port " + port);

            assertTrue(late.failedOnPortInUse(), e.getMessage());
        } finally {
            late.kill();
            holder.kill();
        }
    }
}
