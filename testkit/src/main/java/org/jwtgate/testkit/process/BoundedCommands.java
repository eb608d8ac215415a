package org.jwtgate.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short command to its end, within a time limit, and gives back its status and output.
 *
 * <p>The output goes to a file read after the wait: reading the pipe first ({@code readAllBytes()}, then
 * {@code waitFor(limit)}) waits for a hung child without any limit, until the test fork's own timeout.
 *
 * <pre>{@code
 * BoundedCommands.Finished keytool = BoundedCommands.run(new ProcessBuilder("keytool", "-list"), Duration.ofSeconds(60));
 * assertEquals(0, keytool.exitValue(), keytool.output());
 * }</pre>
 *
 * @since 1.1.0
 */
public final class BoundedCommands {

    private BoundedCommands() {
    }

    /**
     * What a command that ended did.
     *
     * @param exitValue its exit status
     * @param output its standard output and error, interleaved, as UTF-8
     */
    public record Finished(int exitValue, String output) {
    }

    /**
     * Starts {@code builder} with its standard error joined to its output and its standard input closed, and waits for
     * it to end.
     *
     * @param builder the command; its output redirection is replaced
     * @param limit how long it may run
     * @return its exit status and output
     * @throws IllegalStateException when it is still running after {@code limit}: it and its children are killed, and
     *     the message holds its output so far
     * @throws UncheckedIOException when it cannot be started or its output cannot be read
     */
    public static Finished run(ProcessBuilder builder, Duration limit) {
        Path output;
        try {
            output = Files.createTempFile("jwtgate-command", ".out");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            String failure = null;
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    failure = " did not end within " + limit;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = " was stopped: the waiting thread was interrupted";
            }
            if (failure != null) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(builder.command() + failure + "; its output: " + text(output));
            }
            return new Finished(process.exitValue(), text(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException ignored) {
                // a leftover temporary file: nothing a caller can do about it
            }
        }
    }

    /** Bytes that are not UTF-8 become U+FFFD rather than an exception: a test wants to read what went wrong. */
    private static String text(Path output) throws IOException {
        return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
    }
}
