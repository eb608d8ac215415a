package org.jwtgate.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
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

    private ServerProcesses() {
    }

    /** A port free on 127.0.0.1 right now (the system's choice). */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SIGTERM (Tomcat and Jetty stop gracefully on it), then SIGKILL after {@code timeout}; the process's
     * children, found before it was asked to stop, are killed as well. Keeps the thread's interrupt.
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
    }
}
