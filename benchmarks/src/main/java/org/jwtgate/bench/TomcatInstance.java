package org.jwtgate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jwtgate.testkit.process.LeftoverServers;
import org.jwtgate.testkit.process.ServerProcesses;

/**
 * One Tomcat of the official distribution, as legacy-war's ITs run it: CATALINA_HOME untouched, a CATALINA_BASE
 * of its own (Tomcat's conf copied, the HTTP and shutdown ports rewritten to free loopback ports, everything
 * else as distributed — the access log included), one WAR in webapps/, started in the foreground with
 * {@code catalina.sh run} and stopped with SIGTERM. The JVM is the benchmark's own JDK.
 */
final class TomcatInstance implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path home;
    private final Path base;
    private final int httpPort;
    private final int shutdownPort;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private Thread shutdownHook;

    /**
     * @param home a Tomcat distribution (CATALINA_HOME)
     * @param base an empty or absent directory for CATALINA_BASE
     */
    TomcatInstance(Path home, Path base) {
        if (!Files.isRegularFile(home.resolve("bin/catalina.sh"))) {
            throw new IllegalArgumentException("[" + home + "] is not a Tomcat distribution (no bin/catalina.sh)");
        }
        this.home = home;
        this.base = base;
        this.httpPort = ServerProcesses.freeLoopbackPort();
        this.shutdownPort = ServerProcesses.freeLoopbackPort();
    }

    /** Lays out CATALINA_BASE with {@code war} as webapps/{@code <context>}.war. */
    void install(Path war, String context) throws IOException {
        for (String dir : List.of("bin", "conf", "logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> files = Files.list(home.resolve("conf"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path serverXml = base.resolve("conf/server.xml");
        String server = Files.readString(serverXml);
        server = replaceOnce(server, "<Server port=\"8005\"", "<Server port=\"" + shutdownPort + "\"");
        server = replaceOnce(server, "<Connector port=\"8080\" protocol=\"HTTP/1.1\"",
                "<Connector port=\"" + httpPort + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"");
        Files.writeString(serverXml, server);
        Files.copy(war, base.resolve("webapps").resolve(context + ".war"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Starts Tomcat and returns once {@code readyPath} answers 200 (Tomcat opens its connector after deploying). */
    void start(String catalinaOpts, String readyPath) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/catalina.sh").toString(), "run")
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("logs/console.log").toFile());
        Map<String, String> env = builder.environment();
        Map<String, String> kept = new java.util.HashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG")) {
            if (env.containsKey(name)) {
                kept.put(name, env.get(name));
            }
        }
        env.clear(); // no JWTGATE_* variable of the caller's shell reaches the filter: web.xml says it all
        env.putAll(kept);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("CATALINA_HOME", home.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("CATALINA_OPTS", catalinaOpts);
        process = builder.start();
        LeftoverServers.record(process); // a JVM killed outright runs no shutdown hook: the next run stops it
        shutdownHook = new Thread(this::stopProcess, "tomcat-stopper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Tomcat exited with " + process.exitValue() + " before serving:\n" + logs());
            }
            try {
                if (get(readyPath, null).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Tomcat did not serve " + readyPath + " within " + START_TIMEOUT + ":\n" + logs());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** The process id of Tomcat's JVM (for jcmd), or -1 when not running. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * CPU time Tomcat's JVM has used so far (user + system, all threads; clock-tick resolution), or -1 when the
     * system does not tell. The difference over a run divided by its requests is the server's CPU per request.
     */
    long cpuNanos() {
        if (process == null) {
            return -1;
        }
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** GET with an optional {@code Authorization} value. */
    HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The console output and Tomcat's log files (not the access log), for a failure message. */
    String logs() {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(base.resolve("logs"))) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith("localhost_access_log")).sorted().toList()) {
                all.append("==> ").append(file.getFileName()).append('\n')
                        .append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
            }
        } catch (IOException e) {
            all.append("(logs unreadable: ").append(e).append(")");
        }
        return all.toString();
    }

    @Override
    public void close() {
        stopProcess();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // shutting down: the hook stops it
            }
            shutdownHook = null;
        }
    }

    /** SIGTERM (Tomcat stops gracefully: the filter's destroy() closes its Redis clients), then SIGKILL. */
    private synchronized void stopProcess() {
        if (process == null) {
            return;
        }
        ServerProcesses.stop(process, STOP_TIMEOUT);
        process = null;
    }

    private static String replaceOnce(String text, String target, String replacement) {
        if (text.indexOf(target) < 0 || text.indexOf(target) != text.lastIndexOf(target)) {
            throw new IllegalStateException("server.xml does not contain exactly one [" + target + "]");
        }
        return text.replace(target, replacement);
    }
}
