package org.jwtgate.legacy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * How the container process runs, as an administrator would choose it, when a run asks for something else than the
 * build's own JDK and the distributions' defaults: with these system properties (Maven passes {@code -D} on its command
 * line to the ITs) every container IT runs unchanged on another JDK or on virtual threads. Unset, the container runs on
 * the JDK running the tests, with platform threads, as CI does.
 * <ul>
 * <li>{@code jwtgate.it.containerJavaHome}: the JAVA_HOME the container is started with;</li>
 * <li>{@code jwtgate.it.containerJvmOptions}: JVM options added to the container's (space-separated);</li>
 * <li>{@code jwtgate.it.tomcatConnectorAttributes}: attributes added to Tomcat's HTTP {@code <Connector>}, as written
 * in server.xml ({@code useVirtualThreads="true"});</li>
 * <li>{@code jwtgate.it.jettyModules}: Jetty modules enabled on start.jar's command line (comma-separated:
 * {@code threadpool-virtual}).</li>
 * </ul>
 */
final class ContainerRuntime {

    static final String JAVA_HOME = "jwtgate.it.containerJavaHome";
    static final String JVM_OPTIONS = "jwtgate.it.containerJvmOptions";
    static final String TOMCAT_CONNECTOR_ATTRIBUTES = "jwtgate.it.tomcatConnectorAttributes";
    static final String JETTY_MODULES = "jwtgate.it.jettyModules";

    private ContainerRuntime() {
    }

    /** The container's JAVA_HOME: the one asked for, else the JDK running the tests. */
    static Path javaHome() {
        String asked = value(JAVA_HOME);
        if (asked.isEmpty()) {
            return Path.of(System.getProperty("java.home"));
        }
        Path home = Path.of(asked);
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            throw new IllegalStateException(JAVA_HOME + " names no JDK (no bin/java): " + home);
        }
        return home;
    }

    /** The {@code java} the container runs on. */
    static String java() {
        return javaHome().resolve("bin/java").toString();
    }

    static List<String> jvmOptions() {
        return split(value(JVM_OPTIONS), " ");
    }

    /** What follows the port in Tomcat's HTTP connector: empty, or attributes with a leading space. */
    static String tomcatConnectorAttributes() {
        String attributes = value(TOMCAT_CONNECTOR_ATTRIBUTES);
        return attributes.isEmpty() ? "" : " " + attributes;
    }

    /** start.jar arguments enabling the Jetty modules asked for. */
    static List<String> jettyModuleArguments() {
        return split(value(JETTY_MODULES), ",").stream().map(module -> "--module=" + module).toList();
    }

    private static String value(String property) {
        return System.getProperty(property, "").strip();
    }

    private static List<String> split(String value, String separator) {
        return Arrays.stream(value.split(separator)).map(String::strip).filter(part -> !part.isEmpty()).toList();
    }
}
