package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.process.BoundedCommands;
import org.jwtgate.testkit.process.LeftoverServers;
import org.jwtgate.testkit.process.ServerProcesses;

/**
 * {@code SampleApp.main} as the README's sample command runs it, in its own JVM with no Redis
 * configured: it starts a local cluster, prints the URL and the demo accounts, serves, and on
 * SIGTERM (what Ctrl-C amounts to) stops Jetty and every Redis process it started.
 */
class SampleMainIT {

    private static final Pattern URL = Pattern.compile("JwtGate sample is running at (http://\\S+)");
    private static final Pattern NODES = Pattern.compile("Redis Cluster: started here \\(([^)]+)\\)");

    @Test
    void whenStartedWithoutRedisThenItRunsItsOwnClusterAndSigtermStopsEverything() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, SampleApp.class.getName()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_") || name.startsWith("SAMPLE_"));
        builder.environment().put("PORT", "0");
        Process app = builder.start();
        LeftoverServers.record(app); // a JVM killed outright runs no shutdown hook: the next run stops it
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // the process ended
            }
        });
        reader.start();
        try {
            URI base = null;
            List<String> nodes = List.of();
            String accounts = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while ((base == null || accounts == null) && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    assertTrue(app.isAlive(), "the app died: " + output);
                    continue;
                }
                output.add(line);
                Matcher url = URL.matcher(line);
                if (url.find()) {
                    base = URI.create(url.group(1));
                }
                Matcher cluster = NODES.matcher(line);
                if (cluster.find()) {
                    nodes = List.of(cluster.group(1).split(","));
                }
                if (line.contains("Demo accounts:")) {
                    accounts = line;
                }
            }
            assertNotNull(base, "no URL printed: " + output);
            assertTrue(accounts.contains("alice / wonderland") && accounts.contains("bob / builder"), accounts);
            assertEquals(6, nodes.size(), output.toString());
            nodes.forEach(node -> assertTrue(accepts(node), node + " should run"));

            SampleClient http = new SampleClient(URI.create("http://127.0.0.1:" + base.getPort() + "/"));
            HttpAnswer health = http.get("/health");
            assertEquals(200, health.status(), health.toString());
            assertEquals("UP", health.string("status"));
            // A checked token starts the filter's near-cache, whose subscription would see Redis go away.
            String access = http.loggedIn("alice", "wonderland").string("access_token");
            assertEquals(200, http.get("/api/me", "Authorization", "Bearer " + access).status());
            while (output.stream().noneMatch(line -> line.contains("Revocation near-cache in use"))
                    && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    output.add(line);
                }
            }
            // Else the stop below would pass without the near-cache it is about.
            assertTrue(output.stream().anyMatch(line -> line.contains("Revocation near-cache in use")),
                    "the filter's near-cache did not start: " + output);
            int stopping = output.size();

            app.toHandle().destroy(); // SIGTERM (Process.destroy() would also close the output still to be read)
            assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the app did not stop on SIGTERM: " + output);
            for (String node : nodes) {
                assertFalse(accepts(node), node + " still runs after the app stopped");
            }
            // Weld's and the cluster's own shutdown hooks ran beside Jetty's: Redis was killed while the filter still
            // ran (its near-cache logged itself suspended: "Connection reset"), and Weld stopped under live requests.
            reader.join(10_000);
            lines.drainTo(output);
            List<String> stop = output.subList(stopping, output.size());
            assertTrue(stop.stream().noneMatch(line -> line.contains(" WARN ")), "warnings on stop: " + stop);
            assertTrue(stop.stream().noneMatch(line -> line.contains("shut down by shutdown hook")),
                    "Weld stopped by its own hook: " + stop);
        } finally {
            // SIGTERM first, so that a failed run's shutdown hooks still stop its six Redis nodes; SIGKILL after 20 s.
            ServerProcesses.stop(app, java.time.Duration.ofSeconds(20));
            reader.join(10_000);
        }
    }

    @Test
    void whenThePortIsInUseThenTheStartStopsNamingPortAndItsValue() throws Exception {
        // The README's command with another program on the port (8080 often is): Jetty's bind fails before anything
        // else starts, and the sample printed only "JwtGate sample not started: java.net.BindException: Address already
        // in use", naming neither the setting nor the port.
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, SampleApp.class.getName()).redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_") || name.startsWith("SAMPLE_"));
            builder.environment().put("PORT", port);
            Process app = builder.start();
            try {
                assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the app did not stop");
                String output = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(2, app.exitValue(), output);
                assertTrue(output.contains("[PORT]") && output.contains("[" + port + "]"), output);
                assertFalse(output.contains("Redis Cluster"), "nothing else started: " + output);
            } finally {
                ServerProcesses.stop(app, java.time.Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void whenASampleSettingIsMisspeltThenItStopsAtOnceNamingItRatherThanSeedingTheDemoAccounts() throws Exception {
        // SAMPLE_DEMO_ACCOUNT=false (the S left out) was ignored: alice and bob, whose passwords are public, were seeded.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, SampleApp.class.getName());
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_") || name.startsWith("SAMPLE_"));
        builder.environment().put("PORT", "0");
        builder.environment().put("SAMPLE_DEMO_ACCOUNT", "false");
        // A sample that started anyway runs until stopped: the limit ends it, and the test fails with its output.
        BoundedCommands.Finished app = BoundedCommands.run(builder, java.time.Duration.ofSeconds(60));
        String output = app.output();
        assertEquals(2, app.exitValue(), output);
        assertFalse(output.contains("Demo accounts:"), output);
        assertTrue(output.contains("[SAMPLE_DEMO_ACCOUNT]") && output.contains("did you mean [SAMPLE_DEMO_ACCOUNTS]?"),
                output);
    }

    @Test
    void whenListeningOnEveryInterfaceWithTheDemoAccountsThenItStopsAtOnceNamingBothSettings() throws Exception {
        // SAMPLE_HOST=0.0.0.0 served alice and bob, whose passwords are public (bob is an administrator), to the network
        // with two INFO lines (a review's finding): secure by default, the start stops, before any Redis starts.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, SampleApp.class.getName());
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_") || name.startsWith("SAMPLE_"));
        builder.environment().put("PORT", "0");
        builder.environment().put("SAMPLE_HOST", "0.0.0.0");
        // A sample that started anyway runs until stopped: the limit ends it, and the test fails with its output.
        BoundedCommands.Finished app = BoundedCommands.run(builder, java.time.Duration.ofSeconds(60));
        String output = app.output();
        assertEquals(2, app.exitValue(), output);
        assertTrue(output.contains("JwtGate sample not started: Setting [SAMPLE_HOST] is [0.0.0.0], not a loopback"
                + " address, and [SAMPLE_DEMO_ACCOUNTS] is true"), output);
        assertTrue(output.contains("set SAMPLE_DEMO_ACCOUNTS=false, or SAMPLE_HOST to a loopback address"), output);
        assertFalse(output.contains("Demo accounts:") || output.contains("Redis Cluster"), "nothing started: " + output);
    }

    private static boolean accepts(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostAndPort.substring(0, colon),
                    Integer.parseInt(hostAndPort.substring(colon + 1))), 1000);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
