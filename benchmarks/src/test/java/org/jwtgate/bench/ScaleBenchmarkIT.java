package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The scale harness of docs/performance.md, run small (1 and 3 instances, a short window, a few
 * revocations 300 ms apart, a small load): every part runs, every instance becomes fresh, every revocation reaches
 * every instance, and idle instances publish nothing on the cluster bus. Measures nothing.
 */
class ScaleBenchmarkIT {

    @Test
    void whenRunSmallThenEveryInstanceIsFreshEveryRevocationArrivesAndNothingCrossesTheBus() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        boolean ok = ScaleBenchmark.create(new String[] {"--instances", "1,3", "--window-seconds", "1",
                "--revocations", "5", "--interval-ms", "300", "--stored", "2000"}).run(new PrintStream(text, true, StandardCharsets.UTF_8));
        String output = text.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        assertTrue(ok, output);
        assertTrue(output.contains("N=3: 3 instances started"), output);
        // --interval-ms: 5 revocations started at least 300 ms apart take at least 1.2 s.
        java.util.regex.Matcher phase = java.util.regex.Pattern.compile("N=3: 5 revocations in ([0-9.]+) s").matcher(output);
        assertTrue(phase.find() && Double.parseDouble(phase.group(1)) >= 1.2, output);
        String row3 = output.lines().filter(line -> line.trim().startsWith("3 ")).reduce((first, last) -> last).orElseThrow();
        String[] cells = row3.trim().split("\\s+");
        assertTrue(Double.parseDouble(cells[5]) == 0.0, "bus pub/sub messages/s of idle instances: " + row3);
        assertTrue(cells[cells.length - 1].startsWith("exists="), "heartbeats are the channel master's only commands: " + row3);
        assertTrue(output.contains("== Near-cache load: 2000 stored revocations"), output);
        // The 2,000 written for the load, plus the revocations the propagation runs made.
        java.util.regex.Matcher held = java.util.regex.Pattern.compile("(\\d+) held exactly").matcher(output);
        assertTrue(held.find() && Integer.parseInt(held.group(1)) >= 2000, output);
    }
}
