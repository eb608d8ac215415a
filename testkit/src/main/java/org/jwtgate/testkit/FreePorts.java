package org.jwtgate.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jwtgate.testkit.process.PortClaims;

/**
 * Picks loopback ports for cluster nodes: a node needs its port and its cluster bus port (port + 10000).
 *
 * <p>Why not {@code new ServerSocket(0)}: it hands out ports from the OS ephemeral range (Linux 32768-60999),
 * where port + 10000 can exceed 65535, and where any outgoing connection may grab a node's port while the
 * node is down, so {@code restart()} on the same port would fail. Candidates here come from [12000, 22000),
 * bus ports from [22000, 32000): below the Linux (32768) and macOS (49152) ephemeral ranges. Each candidate
 * pair is still checked by binding it; a race with another process is handled by the caller's retry.
 */
final class FreePorts {

    static final int BUS_OFFSET = 10000;
    private static final int LOWEST = 12000;
    private static final int HIGHEST_EXCLUSIVE = 22000;
    /** How many ports there are to pick from: the most nodes all clusters of a JVM can have at once. */
    static final int CANDIDATES = HIGHEST_EXCLUSIVE - LOWEST;
    private static final int ATTEMPTS = 500;
    /**
     * Ports of this JVM's clusters until they close: a claim answers yes to every cluster of the JVM holding it, so
     * without this a second cluster of this JVM could pick the port of a first one's node stopped for a restart.
     */
    private static final Set<Integer> IN_USE = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port whose bus port is free too, and that no cluster of this JVM holds. */
    static int pick() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = random.nextInt(LOWEST, HIGHEST_EXCLUSIVE);
            // Claimed for this JVM, the bus port too: another one's cluster, or a test's own servers on ports of this
            // range, never take them, also while a node of ours restarts on them.
            if (!IN_USE.contains(port) && isFree(port) && isFree(port + BUS_OFFSET)
                    && PortClaims.claim(port) && PortClaims.claim(port + BUS_OFFSET) && IN_USE.add(port)) {
                return port;
            }
        }
        throw new RedisClusterException("No free loopback port pair (p, p+" + BUS_OFFSET + ") found in ["
                + LOWEST + ", " + HIGHEST_EXCLUSIVE + ") after " + ATTEMPTS + " attempts");
    }

    /** Gives {@code ports} (from {@link #pick}) back to the other clusters of this JVM: their cluster is closed. */
    static void release(Collection<Integer> ports) {
        IN_USE.removeAll(ports);
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Redis binds with SO_REUSEADDR too, so TIME_WAIT leftovers do not make a port "taken".
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(RedisCluster.HOST, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
