package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.process.LeftoverServers;
import org.jwtgate.testkit.process.ServerProcesses;

/**
 * The README's sample command, run exactly as written (from the repository root, through the Maven
 * wrapper, with {@code PORT} picking a free port as docs/sample.md shows): it serves the login page,
 * JwtGate's log lines come out in the sample's slf4j-simple format, and SIGTERM (what Ctrl-C amounts to) stops it.
 */
class ReadmeSampleCommandIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern URL = Pattern.compile("JwtGate sample is running at (http://\\S+)");
    /** JwtGate's start line as simplelogger.properties writes it: time, thread, level, short logger name. */
    private static final Pattern JWTGATE_START_LINE = Pattern.compile(
            "^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\[[^\\]]+\\] INFO JwtAuthFilter - JwtGate filter \\[jwtgate\\] started: .*");

    /** The command of the README's "The two commands" block that runs the sample, comment dropped. */
    static String readmeSampleCommand() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int section = lines.indexOf("## The two commands");
        assertTrue(section >= 0, "README has a \"## The two commands\" section");
        for (int i = section + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i);
            if (line.contains("sample-webapp") && line.startsWith("./")) {
                return line.replaceFirst("\\s+#.*$", "").trim();
            }
        }
        throw new AssertionError("no sample command in the README's two commands");
    }

    @Test
    void whenReadmeSampleCommandRunThenTheLoginPageIsServedAndSigtermStopsIt() throws Exception {
        String command = readmeSampleCommand();
        assertEquals("./mvnw -q -pl sample-webapp -am compile exec:java", command);
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "exec " + command).directory(ROOT.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_") || name.startsWith("SAMPLE_")
                || name.startsWith("MAVEN_OPTS"));
        builder.environment().put("PORT", "0");
        Process app = builder.start();
        LeftoverServers.record(app); // a JVM killed outright runs no shutdown hook: the next run stops it
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    output.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        try {
            URI base = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (base == null && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    assertTrue(app.isAlive(), "the command ended: " + output);
                    continue;
                }
                Matcher url = URL.matcher(line);
                if (url.find()) {
                    base = URI.create(url.group(1));
                }
            }
            assertNotNull(base, "no URL printed: " + output);
            List<String> startLog;
            synchronized (output) { // the reader thread may be adding a line
                startLog = List.copyOf(output);
            }
            assertTrue(startLog.stream().anyMatch(line -> JWTGATE_START_LINE.matcher(line).matches()),
                    "JwtGate's start line in the sample's format: " + startLog);
            assertTrue(startLog.stream().noneMatch(line -> line.startsWith("INFO: ")),
                    "no line in java.util.logging's format: " + startLog);

            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base.getPort() + "/"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<title>JwtGate sample</title>") && page.body().contains("id=\"login-form\""),
                    page.body());

            app.destroy(); // SIGTERM to the Maven JVM the wrapper exec'd: the app's shutdown hooks stop Jetty and Redis
            assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the command did not stop on SIGTERM: " + output);
        } finally {
            // SIGTERM first, so that a failed run's shutdown hooks still stop its six Redis nodes; SIGKILL after 20 s.
            ServerProcesses.stop(app, java.time.Duration.ofSeconds(20));
            reader.join(10_000);
        }
    }
}
