package org.jwtgate.testkit.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Child server processes of a test or a benchmark: where to listen and how to stop.
 *
 * <pre>{@code
 * int port = ServerProcesses.freeLoopbackPort();
 * Process tomcat = new ProcessBuilder("bin/catalina.sh", "run").start();
 * ...
 * ServerProcesses.stop(tomcat, Duration.ofSeconds(20));
 * }</pre>
 *
 * @since 1.0.0
 */
public final class ServerProcesses {

    private static final int LOWEST_PORT = 2000;
    private static final int HIGHEST_PORT_EXCLUSIVE = 12000;
    private static final int ATTEMPTS = 500;
    /** Two servers of one test would otherwise be handed the same port before either binds it. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private ServerProcesses() {
    }

    /**
     * A port free on 127.0.0.1 right now, from [2000, 12000), not handed out before in this JVM, and not
     * {@linkplain PortClaims claimed} by another JVM.
     *
     * <p>Not the system's choice ({@code new ServerSocket(0)}): that comes from the ephemeral range (Linux
     * 32768-60999), where any outgoing connection of the test (to Redis, to the server itself) may take the
     * port before the server binds it. Below that range only a listening process can, and the check sees one.
     * The Redis test nodes use [12000, 32000), so the two never meet.
     *
     * <p>Thread-safe. The port stays free only until another process binds it: start the server on it at once.
     *
     * @return the port
     * @throws IllegalStateException when no free port is found in 500 tries
     */
    public static int freeLoopbackPort() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = random.nextInt(LOWEST_PORT, HIGHEST_PORT_EXCLUSIVE);
            if (!HANDED_OUT.contains(port) && isFree(port) && PortClaims.claim(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free loopback port in [" + LOWEST_PORT + ", " + HIGHEST_PORT_EXCLUSIVE
                + ") after " + ATTEMPTS + " attempts");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as servers bind: a TIME_WAIT leftover does not make the port taken
            socket.bind(new InetSocketAddress("127.0.0.1", port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether {@code process} has ended: exited, or a zombie, which {@link ProcessHandle#isAlive()} calls alive. A
     * killed process that is not this JVM's child (an orphan) stays a zombie until its parent, PID 1, collects it: at
     * once, later, or never where PID 1 does not.
     *
     * @param process any process
     * @return true once it runs no more
     * @since 1.1.0
     */
    public static boolean hasEnded(ProcessHandle process) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int name = stat.lastIndexOf(')'); // "pid (name) state …": the name may hold spaces and parentheses
            return name > 0 && name + 2 < stat.length() && stat.charAt(name + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return !process.isAlive(); // no /proc, or it just exited
        }
    }

    /**
     * SIGTERM (Tomcat and Jetty stop gracefully on it), then SIGKILL after {@code timeout}; the process's
     * children, found before it was asked to stop, are killed as well; its {@link LeftoverServers} record, if any, is
     * forgotten. Keeps the thread's interrupt.
     *
     * @param process the server, e.g. {@code catalina.sh run} or Jetty's {@code start.jar}; one already ended is fine
     * @param timeout how long the server may take to stop after SIGTERM, and then to die after SIGKILL
     */
    public static void stop(Process process, Duration timeout) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        LeftoverServers.forget(process);
    }
}
