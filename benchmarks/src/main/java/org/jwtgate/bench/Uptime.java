package org.jwtgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load as {@code uptime} prints it: the benchmarks record it, since the machine may be shared. */
final class Uptime {

    private Uptime() {
    }

    /** {@code uptime}'s line, or {@code /proc/loadavg} when there is no {@code uptime}. */
    static String now() {
        try {
            Process process = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            return text;
        } catch (IOException e) {
            return "load average " + readLoadAverage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The 1-minute load average ({@code /proc/loadavg}'s first field), or {@code ?}. */
    static String loadAverage1() {
        String all = readLoadAverage();
        int space = all.indexOf(' ');
        return space > 0 ? all.substring(0, space) : "?";
    }

    private static String readLoadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
