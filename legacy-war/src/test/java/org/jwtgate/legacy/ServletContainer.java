package org.jwtgate.legacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jwtgate.testkit.process.LeftoverServers;
import org.jwtgate.testkit.process.ServerProcesses;

/**
 * A real servlet container of the official distribution, run as a child process in its own
 * directory on free loopback ports. Subclasses lay out the instance and name the command; this
 * class starts it, waits until it serves, collects its logs and always stops it (close(), and a
 * JVM shutdown hook if the test JVM exits first).
 */
abstract class ServletContainer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    protected final Path instanceDir;
    protected final int httpPort;
    private final Path consoleLog;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private Thread shutdownHook;

    ServletContainer(Path instanceDir) {
        this.instanceDir = instanceDir;
        this.httpPort = ServerProcesses.freeLoopbackPort();
        this.consoleLog = instanceDir.resolve("console.log");
    }

    /** Writes the instance's files (configuration, WARs) into {@link #instanceDir}. */
    abstract void prepare() throws IOException;

    /** The command line starting the container in the foreground. */
    abstract List<String> command();

    /** Working directory of the process. */
    Path workingDirectory() {
        return instanceDir;
    }

    /** Directories holding log files besides the console output. */
    List<Path> logDirectories() {
        return List.of(instanceDir.resolve("logs"));
    }

    abstract String name();

    /**
     * Starts the container with these variables on top of a clean base (PATH, HOME, JAVA_HOME: {@link ContainerRuntime}), and
     * returns once {@code readyPath} answers 200: deployments are complete by then, since both
     * containers open their connectors only after deploying.
     */
    void start(Map<String, String> environment, String readyPath) throws IOException, InterruptedException {
        prepare();
        ProcessBuilder builder = new ProcessBuilder(command())
                .directory(workingDirectory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(consoleLog.toFile());
        Map<String, String> env = builder.environment();
        Map<String, String> kept = new HashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG")) {
            if (env.containsKey(name)) {
                kept.put(name, env.get(name));
            }
        }
        env.clear();
        env.putAll(kept);
        env.put("JAVA_HOME", ContainerRuntime.javaHome().toString());
        env.putAll(environment);
        process = builder.start();
        LeftoverServers.record(process); // a test JVM killed outright runs no shutdown hook: the next run stops it
        shutdownHook = new Thread(this::stopProcess, name() + "-stopper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        awaitReady(readyPath);
    }

    private void awaitReady(String readyPath) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " exited with " + process.exitValue() + " before serving:\n" + logs());
            }
            try {
                if (get(readyPath).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name() + " did not serve " + readyPath + " within " + START_TIMEOUT + ":\n" + logs());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getWithToken(String path, String token) throws IOException, InterruptedException {
        return get(path, "Authorization", "Bearer " + token);
    }

    /** Console output and every file of the log directories, concatenated. */
    String logs() {
        StringBuilder all = new StringBuilder();
        append(all, consoleLog);
        for (Path dir : logDirectories()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(Files::isRegularFile).sorted().forEach(file -> append(all, file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }

    /** Waits until the logs contain {@code text} (file handlers may write asynchronously). */
    String awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String logs = logs();
        while (!logs.contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            logs = logs();
        }
        return logs;
    }

    private static void append(StringBuilder all, Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            all.append("==> ").append(file.getFileName()).append('\n')
                    .append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stopProcess();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs stopProcess() itself
            }
        }
    }

    /** SIGTERM (both containers stop gracefully on it), then SIGKILL; children too. */
    private synchronized void stopProcess() {
        if (process == null) {
            return;
        }
        ServerProcesses.stop(process, STOP_TIMEOUT);
        process = null;
    }

    /**
     * JVM options for remote JMX on 127.0.0.1:{@code port}, without authentication or TLS, as docs/operations.md
     * shows for jconsole (Tomcat: in CATALINA_OPTS; Jetty: before -jar start.jar); {@link #loopbackJmxUrl} reaches it.
     */
    static String loopbackJmxOptions(int port) {
        return "-Dcom.sun.management.jmxremote.port=" + port + " -Dcom.sun.management.jmxremote.rmi.port=" + port
                + " -Dcom.sun.management.jmxremote.host=127.0.0.1 -Djava.rmi.server.hostname=127.0.0.1"
                + " -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false";
    }

    /** The address of the JMX agent {@link #loopbackJmxOptions} starts. */
    static javax.management.remote.JMXServiceURL loopbackJmxUrl(int port) throws java.net.MalformedURLException {
        return new javax.management.remote.JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    }

    /**
     * An empty {@code target/it/<name>}: the previous run's instance is wiped first, so runs do not
     * pile up, and the last one stays for reading its logs.
     */
    static Path freshInstanceDir(String name) throws IOException {
        Path dir = requiredPath("it.dir").resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> tree = Files.walk(dir)) {
                for (Path path : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    static Path requiredPath(String systemProperty) {
        String value = System.getProperty(systemProperty);
        if (value == null) {
            throw new IllegalStateException("System property " + systemProperty + " is not set: run the ITs through Maven (failsafe)");
        }
        Path path = Path.of(value);
        if (!Files.exists(path)) {
            throw new IllegalStateException(systemProperty + " names nothing: " + path);
        }
        return path;
    }
}
