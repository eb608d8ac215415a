package org.jwtgate.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording in a few tables, to find where a request's time goes: execution samples per thread
 * group, the methods most often on top of the stack (self) and anywhere on it (total) among the threads a
 * pattern selects, the same for allocation samples (by weight), and parks and monitor waits per thread
 * group with the methods that caused them.
 *
 * <pre>java -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.JfrSummary after-protected.jfr "http-nio.*exec.*" 30</pre>
 */
public final class JfrSummary {

    private static final String USAGE =
            "usage: JfrSummary <recording.jfr> [thread-name-regex (default: .*)] [rows (default 25)] [frame-regex]";

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Summarizes, or names the bad argument in one line and returns 2: a stack trace would bury it. {@code --help} (or
     * {@code -h}) prints the usage and returns 0, as the other harnesses' mains do.
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return 0;
        }
        if (args.length < 1 || args.length > 4) {
            err.println(USAGE);
            return 2;
        }
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) {
            err.println("JfrSummary: no recording at [" + args[0] + "]");
            return 2;
        }
        try {
            Pattern threads = Pattern.compile(args.length > 1 ? args[1] : ".*");
            int rows = args.length > 2 ? Integer.parseInt(args[2]) : 25;
            if (rows < 1) {
                throw new NumberFormatException();
            }
            Pattern frames = args.length > 3 ? Pattern.compile(args[3]) : null;
            try {
                summarize(file, threads, rows, frames, out);
            } catch (IOException e) {
                // Every event is read before a line is printed: a file that is no recording, or one cut short.
                err.println("JfrSummary: not a JFR recording: [" + args[0] + "]: " + e.getMessage() + "\n" + USAGE);
                return 2;
            }
            return 0;
        } catch (NumberFormatException e) {
            err.println("JfrSummary: rows must be a whole number >= 1: [" + args[2] + "]\n" + USAGE);
        } catch (PatternSyntaxException e) {
            err.println("JfrSummary: not a regular expression: [" + e.getPattern() + "]: " + e.getDescription() + "\n" + USAGE);
        }
        return 2;
    }

    static void summarize(Path file, Pattern threads, int rows, Pattern frames, PrintStream out) throws IOException {
        Map<String, Long> samplesByGroup = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> allocSelf = new HashMap<>();
        Map<String, Long> allocClass = new HashMap<>();
        Map<String, Long> parksByGroup = new HashMap<>();
        Map<String, Long> parkNanosByGroup = new HashMap<>();
        Map<String, Long> parkSites = new HashMap<>();
        Map<String, Long> monitorByGroup = new HashMap<>();
        Map<String, Long> monitorSites = new HashMap<>();
        long selected = 0;
        long allocTotal = 0;
        Instant span = new Instant();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            span.see(event);
            String type = event.getEventType().getName();
            String thread = threadName(event);
            String group = group(thread);
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    samplesByGroup.merge(group, 1L, Long::sum);
                    if (thread != null && threads.matcher(thread).matches() && event.getStackTrace() != null) {
                        selected++;
                        List<RecordedFrame> stack = event.getStackTrace().getFrames();
                        if (!stack.isEmpty()) {
                            self.merge(name(stack.get(0)), 1L, Long::sum);
                        }
                        Set<String> seen = new HashSet<>();
                        for (RecordedFrame frame : stack) {
                            String name = name(frame);
                            if (seen.add(name)) {
                                total.merge(name, 1L, Long::sum);
                            }
                        }
                    }
                }
                case "jdk.ObjectAllocationSample" -> {
                    if (thread != null && threads.matcher(thread).matches()) {
                        long weight = event.getLong("weight");
                        allocTotal += weight;
                        allocClass.merge(event.getClass("objectClass").getName(), weight, Long::sum);
                        allocSelf.merge(firstMatching(event.getStackTrace(), frames), weight, Long::sum);
                    }
                }
                case "jdk.ThreadPark" -> {
                    parksByGroup.merge(group, 1L, Long::sum);
                    parkNanosByGroup.merge(group, event.getDuration().toNanos(), Long::sum);
                    parkSites.merge(group + " <- " + firstMatching(event.getStackTrace(), frames), 1L, Long::sum);
                }
                case "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait" -> {
                    monitorByGroup.merge(group + " " + type.substring(4), 1L, Long::sum);
                    monitorSites.merge(group + " " + type.substring(4) + " <- " + firstMatching(event.getStackTrace(), frames),
                            1L, Long::sum);
                }
                default -> {
                }
            }
        }
        out.printf(Locale.ROOT, "== %s (%.1f s recorded)%n", file.getFileName(), span.seconds());
        out.println("-- execution samples by thread group (all threads)");
        top(samplesByGroup, rows, out, samplesByGroup.values().stream().mapToLong(Long::longValue).sum());
        out.printf(Locale.ROOT, "-- self (top of stack), %d samples of threads matching %s%n", selected, threads);
        top(self, rows, out, selected);
        out.println("-- total (anywhere on the stack)");
        top(total, rows, out, selected);
        out.printf(Locale.ROOT, "-- allocation by class (sampled weight, %.1f MB in all)%n", allocTotal / 1e6);
        top(allocClass, rows, out, allocTotal);
        out.println("-- allocation by the first frame" + (frames == null ? "" : " matching " + frames));
        top(allocSelf, rows, out, allocTotal);
        out.println("-- thread parks (jdk.ThreadPark, over the threshold of the settings) by thread group: count, total ms");
        parksByGroup.forEach((g, n) -> out.printf(Locale.ROOT, "%8d %10.1f ms  %s%n", n, parkNanosByGroup.get(g) / 1e6, g));
        out.println("-- parks by site");
        top(parkSites, rows, out, -1);
        out.println("-- monitor enter / wait events by thread group and site");
        top(monitorByGroup, rows, out, -1);
        top(monitorSites, rows, out, -1);
    }

    /** The earliest and latest event time seen. */
    private static final class Instant {
        private java.time.Instant first;
        private java.time.Instant last;

        void see(RecordedEvent event) {
            java.time.Instant t = event.getStartTime();
            if (first == null || t.isBefore(first)) {
                first = t;
            }
            if (last == null || t.isAfter(last)) {
                last = t;
            }
        }

        double seconds() {
            return first == null ? 0 : Duration.between(first, last).toMillis() / 1e3;
        }
    }

    private static String firstMatching(RecordedStackTrace stack, Pattern frames) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "(no stack)";
        }
        if (frames != null) {
            for (RecordedFrame frame : stack.getFrames()) {
                String name = name(frame);
                if (frames.matcher(name).find()) {
                    return name;
                }
            }
        }
        return name(stack.getFrames().get(0));
    }

    private static String threadName(RecordedEvent event) {
        for (String field : List.of("sampledThread", "eventThread")) {
            if (event.hasField(field)) {
                RecordedThread thread = event.getThread(field);
                if (thread != null) {
                    return thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
                }
            }
        }
        return null;
    }

    /** {@code http-nio-8080-exec-17} → {@code http-nio-8080-exec-*}: digits at the end folded. */
    private static String group(String thread) {
        return thread == null ? "(none)" : thread.replaceAll("\\d+$", "*");
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void top(Map<String, Long> counts, int rows, PrintStream out, long whole) {
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((name, n) -> {
            if (whole > 0) {
                out.printf(Locale.ROOT, "%12d %6.2f%%  %s%n", n, 100.0 * n / whole, name);
            } else {
                out.printf(Locale.ROOT, "%12d  %s%n", n, name);
            }
        });
    }
}
