package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

class RedisCommandCounterTest {

    /** INFO commandstats of Redis 7 (subcommands as cluster|slots); 6.2 has the same line form. */
    private static final String INFO = """
            # Commandstats\r
            cmdstat_get:calls=120,usec=300,usec_per_call=2.50,rejected_calls=0,failed_calls=0\r
            cmdstat_info:calls=9,usec=900,usec_per_call=100.00,rejected_calls=0,failed_calls=0\r
            cmdstat_cluster|slots:calls=3,usec=30,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            cmdstat_replconf:calls=40,usec=40,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r
            cmdstat_exists:calls=7,usec=7,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r
            """;

    /**
     * What the counter's connection puts on the wire, recorded by a stand-in server: on Redis 7.2+ a CLIENT SETINFO
     * (Jedis sends two on connect unless told not to) is counted as client|setinfo in every snapshot, as the run's.
     */
    @Test
    void whenTheCounterConnectsThenItSendsNothingButItsInfo() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> received = CompletableFuture.supplyAsync(() -> commandsOfOneClient(server));
            try (Jedis jedis = RedisCommandCounter.connect(new HostAndPort("127.0.0.1", server.getLocalPort()))) {
                assertEquals("role:master", jedis.info("replication"));
            }
            assertEquals(List.of("INFO replication"), received.get(10, TimeUnit.SECONDS));
        }
    }

    /** The commands one client sends until it closes; each answered +OK, INFO with "role:master". */
    private static List<String> commandsOfOneClient(ServerSocket server) {
        List<String> commands = new ArrayList<>();
        try (Socket client = server.accept()) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            for (String line = readLine(in); line != null; line = readLine(in)) {
                List<String> args = new ArrayList<>();
                for (int n = Integer.parseInt(line.substring(1)); n > 0; n--) {
                    int length = Integer.parseInt(readLine(in).substring(1));
                    args.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                    in.readNBytes(2);
                }
                commands.add(String.join(" ", args));
                out.write((args.get(0).equalsIgnoreCase("INFO") ? "$11\r\nrole:master\r\n" : "+OK\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // the client closed: what it sent is recorded
        }
        return commands;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                return null;
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Test
    void whenCommandstatsAreParsedThenEveryClientCommandButOurOwnInfoIsCounted() {
        assertEquals(Map.of("get", 120L, "cluster|slots", 3L, "exists", 7L), RedisCommandCounter.parse(INFO));
    }

    @Test
    void whenTwoSnapshotsDifferThenOnlyCommandsMadeBetweenThemAreCounted() {
        Map<String, Long> delta = RedisCommandCounter.difference(
                Map.of("get", 100L, "exists", 7L),
                Map.of("get", 150L, "exists", 7L, "publish", 2L));
        assertEquals(Map.of("get", 50L, "publish", 2L), delta);
        assertEquals(52L, RedisCommandCounter.total(delta));
        assertEquals("get=50, publish=2", RedisCommandCounter.describe(delta));
    }
}
