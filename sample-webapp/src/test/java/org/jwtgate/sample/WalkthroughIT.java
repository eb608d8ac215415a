package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.process.BoundedCommands;

/**
 * Runs {@code walkthrough.sh} — docs/sample.md's curl walk-through, command for command — against the
 * real app, with the real curl, and checks every answer. Needs bash and curl.
 */
class WalkthroughIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static RunningSample app;

    @BeforeAll
    static void start() throws Exception {
        app = RunningSample.start(REDIS.cluster());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void whenTheReadmeWalkthroughRunsThenEveryStepAnswersAsDocumented() throws Exception {
        Path script = Path.of(System.getProperty("basedir", ".")).resolve("walkthrough.sh");
        assertTrue(Files.isRegularFile(script), script.toString());
        String base = "http://localhost:" + app.client().base().getPort();
        BoundedCommands.Finished walkthrough =
                BoundedCommands.run(new ProcessBuilder("bash", script.toString(), base), Duration.ofSeconds(120));
        String output = walkthrough.output();
        assertEquals(0, walkthrough.exitValue(), output);

        String health = section(output, 1);
        assertTrue(health.contains("\"status\":\"UP\""), health);
        String login = section(output, 2);
        assertTrue(login.contains("\"access_token\":\"ey") && login.contains("\"token_type\":\"Bearer\""), login);
        String me = section(output, 3);
        assertEquals(2, count(me, "\"sub\":\"alice\""), "header and cookie (curl keeps Secure cookies for localhost): " + me);
        assertTrue(section(output, 4).contains("\"refresh_token\":\""), section(output, 4));

        assertEquals(List.of(401, 401, 401), statuses(section(output, 5)));
        assertTrue(section(output, 5).contains("reuse"), section(output, 5));
        assertEquals(List.of(204, 401, 401), statuses(section(output, 6)));
        assertEquals(List.of(403, 204), statuses(section(output, 7)));
        assertEquals(List.of(204, 401), statuses(section(output, 8)));
        assertEquals(List.of(403, 204, 401), statuses(section(output, 9)));
        String throttling = section(output, 10);
        assertTrue(throttling.startsWith("401\n401\n401\n401\n401\n"), throttling);
        assertEquals(List.of(429), statuses(throttling));
        assertTrue(throttling.contains("Retry-After: "), throttling);
    }

    private static String section(String output, int step) {
        int start = output.indexOf("== " + step + ". ");
        assertTrue(start >= 0, "step " + step + " missing in:\n" + output);
        start = output.indexOf('\n', start) + 1;
        int end = output.indexOf("\n== " + (step + 1) + ". ", start);
        return end < 0 ? output.substring(start) : output.substring(start, end + 1);
    }

    private static List<Integer> statuses(String section) {
        Matcher matcher = Pattern.compile("(?m)^HTTP/1\\.1 (\\d{3})").matcher(section);
        return matcher.results().map(m -> Integer.parseInt(m.group(1))).toList();
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
