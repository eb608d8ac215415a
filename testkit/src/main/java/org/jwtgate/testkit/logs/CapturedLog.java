package org.jwtgate.testkit.logs;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What is written to {@link System#err} from {@link #standardError()} until {@link #close()}: the tests'
 * logging (slf4j-simple, which JwtGate's {@code System.Logger} reaches through slf4j-jdk-platform-logging)
 * writes there, to whatever {@code System.err} is when a line is logged. Every byte still goes on to the real
 * stream as it is written, so a failing test's output shows the log. Safe to write from several threads (a
 * server's request threads); readable during the capture and after it.
 *
 * <pre>{@code
 * try (CapturedLog log = CapturedLog.standardError()) {
 *     app.getWithToken("/api", token);
 *     assertTrue(log.warnings().stream().anyMatch(line -> line.contains("not reachable")), log.text());
 * }
 * }</pre>
 */
public final class CapturedLog implements AutoCloseable {

    /**
     * Code whose log a test reads, allowed to throw what the test throws.
     *
     * @param <E> what it may throw
     */
    @FunctionalInterface
    public interface Action<E extends Exception> {
        /**
         * Runs the code, e.g. a request to the application under test.
         *
         * @throws E what the code throws
         */
        void run() throws E;
    }

    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private CapturedLog(PrintStream original) {
        this.original = original;
    }

    /**
     * Starts recording {@code System.err}; {@link #close()} puts the stream found here back. {@code System.err} is
     * the JVM's: what other threads write meanwhile, other tests running in parallel included, is recorded too.
     * Captures nest when closed in the reverse order of their start, as try-with-resources does.
     *
     * @return the capture, recording until it is closed
     */
    public static CapturedLog standardError() {
        CapturedLog log = new CapturedLog(System.err);
        System.setErr(new PrintStream(log.new Tee(), true, StandardCharsets.UTF_8));
        return log;
    }

    /**
     * What {@code action} wrote to {@code System.err}; the stream is put back even when it throws.
     *
     * @param <E>    what {@code action} may throw
     * @param action the code whose log is wanted
     * @return the closed capture, still readable
     * @throws E what {@code action} throws; the log it wrote is then lost to the caller, but shown on the real stream
     */
    public static <E extends Exception> CapturedLog during(Action<E> action) throws E {
        try (CapturedLog log = standardError()) {
            action.run();
            return log;
        }
    }

    /**
     * Everything recorded so far.
     *
     * @return the recorded bytes decoded as UTF-8; empty when nothing was written
     */
    public String text() {
        return since(0);
    }

    /**
     * Everything recorded so far, line by line.
     *
     * @return an unmodifiable list, without line terminators
     */
    public List<String> lines() {
        return text().lines().toList();
    }

    /**
     * The lines logged at WARN (slf4j-simple writes the level between spaces).
     *
     * @return an unmodifiable list of the lines containing {@code " WARN "}; a stack trace's lines below such a line
     *         are not in it
     */
    public List<String> warnings() {
        return text().lines().filter(line -> line.contains(" WARN ")).toList();
    }

    /**
     * Where the next byte recorded will go: mark a point, then read what came after it with {@link #since}.
     *
     * @return the count of bytes recorded so far
     */
    public int position() {
        synchronized (captured) {
            return captured.size();
        }
    }

    /**
     * What was recorded after {@code position} (a value {@link #position()} returned).
     *
     * @param position a byte offset, from 0 (everything) to the current {@link #position()}
     * @return the text recorded since then, decoded as UTF-8
     * @throws IndexOutOfBoundsException when {@code position} is negative or beyond what was recorded
     */
    public String since(int position) {
        byte[] bytes;
        synchronized (captured) {
            bytes = captured.toByteArray();
        }
        return new String(bytes, position, bytes.length - position, StandardCharsets.UTF_8);
    }

    /** Puts back the stream found at the start; what was recorded stays readable. */
    @Override
    public void close() {
        System.setErr(original);
    }

    /** Writes to the real stream and to the record alike. */
    private final class Tee extends OutputStream {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            original.write(bytes, offset, length);
            synchronized (captured) {
                captured.write(bytes, offset, length);
            }
        }
    }
}
