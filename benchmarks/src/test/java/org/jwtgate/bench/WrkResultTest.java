package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class WrkResultTest {

    /** Output of Debian's wrk 4.1.0 with --latency (numbers changed to be easy to check). */
    private static final String CLEAN = """
            Running 3s test @ http://127.0.0.1:41234/open/hello
              2 threads and 32 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   612.50us    1.10ms  30.10ms   95.12%
                Req/Sec    27.01k     3.20k   33.44k    71.67%
              Latency Distribution
                 50%  450.00us
                 75%  700.25us
                 90%    1.20ms
                 99%    2.50s
              161234 requests in 3.00s, 18.44MB read
            Requests/sec:  53744.67
            Transfer/sec:      6.15MB
            """;

    @Test
    void whenOutputIsCleanThenTotalsRateAndPercentilesAreParsedInMicroseconds() {
        WrkResult result = WrkResult.parse(CLEAN);
        assertEquals(161234, result.requests());
        assertEquals(3.0, result.seconds(), 1e-9);
        assertEquals(53744.67, result.requestsPerSecond(), 1e-9);
        assertEquals(450.0, result.p50Micros(), 1e-9);
        assertEquals(700.25, result.p75Micros(), 1e-9);
        assertEquals(1200.0, result.p90Micros(), 1e-9);
        assertEquals(2_500_000.0, result.p99Micros(), 1e-9);
        assertTrue(result.clean());
    }

    @Test
    void whenSomeAnswersAreNot2xxOrSocketsFailThenTheRunIsNotClean() {
        String output = CLEAN.replace("Requests/sec", """
                  Socket errors: connect 0, read 2, write 0, timeout 3
                  Non-2xx or 3xx responses: 17
                Requests/sec""");
        WrkResult result = WrkResult.parse(output);
        assertEquals(17, result.non2xx());
        assertEquals(5, result.socketErrors());
        assertFalse(result.clean());
        assertEquals(Optional.of("INVALID RUN: 1 of 2 runs answered non-2xx or had socket errors; the summary"
                        + " below counts them, and is no result"),
                WrkResult.invalidSummaryWarning(List.of(WrkResult.parse(CLEAN), result)));
        assertEquals(Optional.empty(), WrkResult.invalidSummaryWarning(List.of(WrkResult.parse(CLEAN))));
    }

    @Test
    void whenLatencyDistributionIsMissingThenParsingFailsNamingTheOption() {
        String withoutDistribution = CLEAN.replaceAll("(?s)  Latency Distribution.*?99%[^\\n]*\\n", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WrkResult.parse(withoutDistribution));
        assertTrue(e.getMessage().contains("--latency"), e.getMessage());
    }
}
