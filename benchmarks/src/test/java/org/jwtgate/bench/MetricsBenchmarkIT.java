package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The Micrometer benchmark end to end, shortened (one round of 1 s, no warm-up): it checks the meters
 * landed in each registry, runs wrk on every endpoint and prints the summary docs/performance.md quotes.
 */
class MetricsBenchmarkIT {

    @Test
    void whenRunShortThenEveryEndpointAnswers2xxAndTheSummaryHasTheRatios() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        MetricsBenchmark benchmark = MetricsBenchmark.create("--rounds", "1", "--duration", "1", "--warmup", "0");
        boolean clean = benchmark.run(new PrintStream(output, true, StandardCharsets.UTF_8));
        String printed = output.toString(StandardCharsets.UTF_8);
        assertTrue(clean, printed);
        for (String line : new String[] {"/prometheus/hello", "ratio simple/off", "ratio prometheus/off",
                "filter's bytes/request (minus /open)", " meters per filter"}) {
            assertTrue(printed.contains(line), line + " in:\n" + printed);
        }
    }

}
