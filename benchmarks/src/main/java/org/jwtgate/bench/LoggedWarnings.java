package org.jwtgate.bench;

import java.util.List;
import org.jwtgate.testkit.logs.CapturedLog;

/**
 * The lines logged at WARN or ERROR from {@link #start()} to {@link #close()}, whoever logs them. In the benchmarks
 * jar every logger ends in slf4j-simple, which writes to {@code System.err}: Jetty and Jedis through SLF4J, and
 * JwtGate's {@code System.Logger} through slf4j-jdk-platform-logging, so that none of them reaches a
 * java.util.logging handler.
 */
final class LoggedWarnings implements AutoCloseable {

    private final CapturedLog log;

    private LoggedWarnings(CapturedLog log) {
        this.log = log;
    }

    static LoggedWarnings start() {
        return new LoggedWarnings(CapturedLog.standardError());
    }

    /** The WARN and ERROR lines so far (slf4j-simple writes the level between spaces). */
    List<String> lines() {
        return log.lines().stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
    }

    @Override
    public void close() {
        log.close();
    }
}
