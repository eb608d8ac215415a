package org.jwtgate.cli;

import java.io.InputStream;
import java.io.PrintStream;
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

    /** This process's streams, environment and system properties. */
    public static CliEnvironment system() {
        Properties properties = System.getProperties();
        Map<String, String> copy = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            copy.put(name, properties.getProperty(name));
        }
        return new CliEnvironment(System.out, System.err, System.in, System.getenv(), copy);
    }
}
