package org.jwtgate.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the real CLI in-process with captured streams and a given environment. */
record CliRun(ExitCode exitCode, String out, String err) {

    static CliRun withStdin(Map<String, String> environment, String stdin, String... args) {
        return withProperties(environment, Map.of(), stdin, args);
    }

    /** As {@link #withStdin}, with these JVM system properties as the CLI sees them. */
    static CliRun withProperties(Map<String, String> environment, Map<String, String> properties, String stdin,
                                 String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), environment, properties);
        ExitCode code = new JwtGateCli().run(args, env);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static CliRun of(Map<String, String> environment, String... args) {
        return withStdin(environment, "", args);
    }

    static CliRun of(String... args) {
        return of(Map.of(), args);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}
