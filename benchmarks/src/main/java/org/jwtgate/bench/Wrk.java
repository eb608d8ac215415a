package org.jwtgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs the {@code wrk} load generator (Debian package {@code wrk}) with fixed threads and connections. */
final class Wrk {

    private final String executable;
    private final int threads;
    private final int connections;

    Wrk(String executable, int threads, int connections) {
        if (connections < threads) {
            throw new IllegalArgumentException("Option [--connections] must be at least [--threads] (wrk opens one connection"
                    + " per thread or more): [" + connections + "] < [" + threads + "]");
        }
        this.executable = executable;
        this.threads = threads;
        this.connections = connections;
    }

    /**
     * The wrk that the options {@code --wrk}, {@code --threads} and {@code --connections} describe, once it is known to
     * run: a bad option is an {@link IllegalArgumentException} that names it, before the benchmark starts anything.
     */
    static Wrk of(Options options) {
        Wrk wrk = new Wrk(options.text("wrk"), options.integer("threads", 1), options.integer("connections", 1));
        wrk.requireInstalled();
        return wrk;
    }

    /** Fails early, with the fix, when wrk is not installed. */
    private void requireInstalled() {
        try {
            Process process = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalArgumentException("Option [--wrk] cannot be run: [" + executable + "] (" + e.getMessage()
                    + "); install it with: apt-get install wrk", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    String describe() {
        return "wrk -t" + threads + " -c" + connections;
    }

    /** One run; the header (e.g. the Authorization header) is sent with every request. */
    WrkResult run(URI url, Duration duration, String headerName, String headerValue) {
        return run(url, duration, List.of(executable, "-t" + threads, "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--latency", "-H", headerName + ": " + headerValue, url.toString()));
    }

    /** One run driven by a Lua script, given {@code scriptArguments} after {@code --}. */
    WrkResult runScript(URI url, Duration duration, java.nio.file.Path script, String... scriptArguments) {
        List<String> command = new java.util.ArrayList<>(List.of(executable, "-t" + threads, "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--latency", "-s", script.toString(), url.toString(), "--"));
        command.addAll(List.of(scriptArguments));
        return run(url, duration, command);
    }

    int threads() {
        return threads;
    }

    private WrkResult run(URI url, Duration duration, List<String> command) {
        String output;
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            // wrk stops by itself after the duration; the margin covers its start-up and a loaded machine.
            long limitSeconds = duration.toSeconds() + 60;
            if (!process.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("wrk did not finish within " + limitSeconds + " s against " + url);
            }
            output = text.get(10, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("wrk exited with " + process.exitValue() + " against " + url + ":\n" + output);
            }
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("wrk failed against " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return WrkResult.parse(output);
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
