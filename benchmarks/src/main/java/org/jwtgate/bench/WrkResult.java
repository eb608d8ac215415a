package org.jwtgate.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code wrk --latency} run reports, parsed from its text output.
 *
 * @param requests          completed requests
 * @param seconds           the measured duration
 * @param requestsPerSecond wrk's "Requests/sec"
 * @param p50Micros         latency percentiles of wrk's "Latency Distribution", in microseconds
 * @param non2xx            answers that were not 2xx or 3xx (a protected endpoint answering 401 is not measured)
 * @param socketErrors      connect + read + write + timeout errors
 */
public record WrkResult(long requests, double seconds, double requestsPerSecond,
                        double p50Micros, double p75Micros, double p90Micros, double p99Micros,
                        long non2xx, long socketErrors) {

    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m|h)");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** @throws IllegalArgumentException when the output lacks a total, the rate or the latency distribution */
    public static WrkResult parse(String output) {
        Matcher total = find(TOTAL, output, "the '<n> requests in <time>' line");
        Matcher rate = find(RATE, output, "the 'Requests/sec' line");
        long errors = 0;
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        Matcher non2xx = NON_2XX.matcher(output);
        return new WrkResult(
                Long.parseLong(total.group(1)),
                micros(total.group(2), total.group(3)) / 1e6,
                Double.parseDouble(rate.group(1)),
                percentile(output, 50), percentile(output, 75), percentile(output, 90), percentile(output, 99),
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
                errors);
    }

    /** Every answer was 2xx/3xx and no socket failed. */
    public boolean clean() {
        return non2xx == 0 && socketErrors == 0;
    }

    /**
     * The line to print above a summary of {@code runs} when some were not clean: the summary still counts them, and
     * a reader of the results file must not take its figures for a result.
     */
    public static Optional<String> invalidSummaryWarning(Collection<WrkResult> runs) {
        long invalid = runs.stream().filter(r -> !r.clean()).count();
        return invalid == 0 ? Optional.empty() : Optional.of(String.format(Locale.ROOT,
                "INVALID RUN: %d of %d runs answered non-2xx or had socket errors; the summary below counts them, and is"
                        + " no result", invalid, runs.size()));
    }

    private static double percentile(String output, int percent) {
        Pattern line = Pattern.compile("(?m)^\\s+" + percent + "%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$");
        Matcher m = find(line, output, "the " + percent + "% latency line (run wrk with --latency)");
        return micros(m.group(1), m.group(2));
    }

    private static double micros(String number, String unit) {
        double value = Double.parseDouble(number);
        return switch (unit) {
            case "us" -> value;
            case "ms" -> value * 1e3;
            case "s" -> value * 1e6;
            case "m" -> value * 60e6;
            case "h" -> value * 3600e6;
            default -> throw new IllegalArgumentException("unknown wrk time unit [" + unit + "]");
        };
    }

    private static Matcher find(Pattern pattern, String output, String what) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new IllegalArgumentException("wrk output lacks " + what + ":\n" + output);
        }
        return m;
    }
}
