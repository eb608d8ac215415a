package org.jwtgate.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jwtgate.testkit.process.ServerProcesses;

/** Small process helpers: starting despite a transient ETXTBSY, and POSIX signals Java has no API for. */
final class Processes {

    private static final int START_ATTEMPTS = 5;

    private Processes() {
    }

    /**
     * Starts {@code builder}, retrying "Text file busy": a binary just extracted can be briefly held open
     * for writing by a child forked concurrently by another thread of this JVM.
     */
    static Process start(ProcessBuilder builder) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return builder.start();
            } catch (IOException e) {
                boolean busy = String.valueOf(e.getMessage()).contains("error=26");
                if (!busy || attempt == START_ATTEMPTS) {
                    throw e;
                }
                sleepQuietly(Duration.ofMillis(20L * attempt));
            }
        }
    }

    /**
     * Sends a signal by name ("STOP", "CONT") with the shell's built-in {@code kill}: a minimal image may lack procps's
     * {@code /bin/kill}, never {@code sh}.
     */
    static void signal(long pid, String signal) {
        signal(Long.toString(pid), signal, false);
    }

    /**
     * As {@link #signal(long, String)}, to each of {@code processes} still running (none: nothing is sent): one that
     * ended meanwhile (a server's fork child) is no failure.
     */
    static void signalLeniently(List<ProcessHandle> processes, String signal) {
        if (!processes.isEmpty()) {
            signal(processes.stream().map(h -> Long.toString(h.pid())).collect(Collectors.joining(" ")), signal, true);
        }
    }

    /** {@code kill} goes on past a pid that has ended, and then exits 1: {@code lenient} takes that as done. */
    private static void signal(String pids, String signal, boolean lenient) {
        ProcessBuilder kill = new ProcessBuilder("/bin/sh", "-c", "kill -" + signal + " " + pids)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            Process p = start(kill);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RedisClusterException("kill -" + signal + " " + pids + " did not finish");
            }
            if (p.exitValue() != 0 && !lenient) {
                throw new RedisClusterException("kill -" + signal + " " + pids + " failed with exit code " + p.exitValue());
            }
        } catch (IOException e) {
            throw new RedisClusterException("Cannot run kill -" + signal + " " + pids + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisClusterException("Interrupted while signalling " + pids, e);
        }
    }

    /**
     * Waits for a child process to exit, as {@link Process#isAlive()} sees it. Its handle's {@code onExit()} can
     * complete a moment before the process object has reaped the child, while {@code isAlive()} still says true: a
     * restart that checked it then found the node "already running".
     */
    static boolean awaitExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Waits for {@code handle} to exit; true if it did within {@code timeout}. */
    static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    /**
     * Waits until each of {@code processes} has ended, a zombie included ({@link ServerProcesses#hasEnded}): one that
     * is not this JVM's child stays a zombie until PID 1 collects it, which some never do.
     */
    static boolean awaitEnded(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!processes.stream().allMatch(ServerProcesses::hasEnded)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            sleepQuietly(Poll.INTERVAL);
        }
        return true;
    }

    static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisClusterException("Interrupted", e);
        }
    }
}
