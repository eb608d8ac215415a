package org.jwtgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What a CLI run reads and writes besides its arguments: standard streams, environment
 * variables and system properties. Injectable, so tests run the real CLI in-process.
 */
public record CliEnvironment(PrintStream out, PrintStream err, InputStream in,
                             Map<String, String> environment, Map<String, String> systemProperties) {

    public CliEnvironment {
        environment = Map.copyOf(environment);
        systemProperties = Map.copyOf(systemProperties);
    }

    /** Counts only: the environment holds every JWTGATE_* secret, which a record's own toString would print. */
    @Override
    public String toString() {
        return "CliEnvironment[" + environment.size() + " environment variables, " + systemProperties.size()
                + " system properties]";
    }

    /** A warning on standard error ({@code jwtgate: warning: …}), escaped as every CLI line is. */
    void warn(String message) {
        err.println("jwtgate: warning: " + Printable.of(message));
    }

    /**
     * Whether standard input is this process's terminal: {@code /dev/pts/…} or {@code /dev/tty…} behind
     * /proc/self/fd/0; without /proc, whether the JVM's console is a terminal at both ends. A stream given in code is
     * none. When unsure, none: the input is then read to its end, which a pipe's writer or Ctrl-D gives.
     */
    boolean inputIsTerminal() {
        if (in != System.in) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | RuntimeException e) {
            return isConsoleATerminal(System.console());
        }
    }

    /**
     * JDK 17–21 give a console only when both ends are a terminal; JDK 22 and later give one whatever the streams,
     * and say with {@code Console.isTerminal()} (JDK 22), read by reflection since the CLI is built for 17.
     */
    private static boolean isConsoleATerminal(java.io.Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17–21
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** This process's streams, environment and system properties. */
    public static CliEnvironment system() {
        Properties properties = System.getProperties();
        Map<String, String> copy = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            copy.put(name, properties.getProperty(name));
        }
        return new CliEnvironment(System.out, System.err, standardInput(), System.getenv(), copy);
    }

    /**
     * System.in, or nothing when the shell closed it ({@code status - <&-}): the JVM's first open file then takes
     * descriptor 0 (on Linux, the JDK's lib/modules), and the "token" read was that file's bytes ("Standard input
     * holds more than one line"). Seen through /proc; elsewhere System.in as it is.
     */
    private static InputStream standardInput() {
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
            if (target.startsWith(Path.of(System.getProperty("java.home")))) {
                return InputStream.nullInputStream();
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux), or no link: System.in as it is
        }
        return System.in;
    }
}
