package org.jwtgate.legacy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The official Jetty 12 distribution as JETTY_HOME, untouched; each run gets a JETTY_BASE copied
 * from a template under conf/ (by default conf/jetty-base: start.d ini files for http and ee10-deploy,
 * webapps/legacy.xml deploying wars/legacy.war), then the {@link Deployment} (by default the legacy
 * WARs), and is started with {@code java -jar start.jar} on a free port.
 */
final class JettyContainer extends ServletContainer {

    /** What an IT installs into the JETTY_BASE besides the template's files. */
    @FunctionalInterface
    interface Deployment {
        void install(Path jettyBase) throws IOException;
    }

    private final Path home;
    private final Path conf;
    private final String template;
    private final Deployment deployment;
    private final List<String> jvmOptions;

    JettyContainer(Path instanceDir) {
        this(instanceDir, "jetty-base", JettyContainer::legacyApplications);
    }

    /** @param template the directory under conf/ the JETTY_BASE is copied from */
    JettyContainer(Path instanceDir, String template, Deployment deployment) {
        this(instanceDir, template, deployment, List.of());
    }

    /** @param jvmOptions options of Jetty's JVM besides the test's own (start.jar runs Jetty in its JVM: no fork) */
    JettyContainer(Path instanceDir, String template, Deployment deployment, List<String> jvmOptions) {
        super(instanceDir);
        this.home = requiredPath("jetty.home");
        this.conf = requiredPath("jwtgate.conf");
        this.template = template;
        this.deployment = deployment;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** The filter's applications: wars/legacy.war (deployed by webapps/legacy.xml), the variants in webapps/. */
    static void legacyApplications(Path jettyBase) throws IOException {
        Files.createDirectories(jettyBase.resolve("wars"));
        Files.copy(LegacyApps.builtWar(), jettyBase.resolve("wars/legacy.war"));
        LegacyApps.writeVariants(jettyBase.resolve("webapps"));
        LegacyApps.writeAnnotatedVariant(jettyBase.resolve("webapps"));
        LegacyApps.writeReadmeVariant(jettyBase.resolve("webapps"));
        LegacyApps.writePartlyMappedVariant(jettyBase.resolve("webapps"));
    }

    @Override
    void prepare() throws IOException {
        Path template = conf.resolve(this.template);
        try (Stream<Path> files = Files.walk(template)) {
            for (Path source : files.toList()) {
                Path target = instanceDir.resolve(template.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        // Jetty unpacks WARs under $JETTY_BASE/work when it exists: everything stays in this instance.
        Files.createDirectories(instanceDir.resolve("work"));
        Files.createDirectories(instanceDir.resolve("webapps"));
        // JwtGate's System.Logger goes to the JDK's logging here: as by default, plus the filter's refusals (DEBUG, FINE).
        // Written before the deployment, which may add levels of its own.
        Files.writeString(instanceDir.resolve("jul.properties"), String.join("\n", "handlers = java.util.logging.ConsoleHandler",
                ".level = INFO", "java.util.logging.ConsoleHandler.level = ALL", "org.jwtgate.filter.JwtAuthFilter.level = FINE", ""));
        deployment.install(instanceDir);
    }

    /**
     * Redeploys what {@code webapps/<file>} deploys at {@code contextPath} as an administrator's touch of the file does,
     * when the deployment scanner scans ({@code jetty.deploy.scanInterval} above 0): the scanner sees the change once
     * the file stays unchanged for a scan, and the deployer starts the new context and then stops the old one
     * ({@code jetty.deploy.atomicRedeploy}, on by default). Returns once Jetty logs both.
     */
    void redeploy(String file, String contextPath, Duration timeout) throws IOException, InterruptedException {
        long started = logged("Started", contextPath);
        long stopped = logged("Stopped", contextPath);
        Files.setLastModifiedTime(instanceDir.resolve("webapps").resolve(file), FileTime.from(Instant.now()));
        awaitLogged(started + 1, "Started", contextPath, timeout);
        awaitLogged(stopped + 1, "Stopped", contextPath, timeout);
    }

    /** Undeploys what {@code webapps/<file>} deploys at {@code contextPath} by removing the file; returns once Jetty logs the stop. */
    void undeploy(String file, String contextPath, Duration timeout) throws IOException, InterruptedException {
        long stopped = logged("Stopped", contextPath);
        Files.delete(instanceDir.resolve("webapps").resolve(file));
        awaitLogged(stopped + 1, "Stopped", contextPath, timeout);
    }

    private void awaitLogged(long count, String event, String contextPath, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (logged(event, contextPath) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Jetty did not log " + event + " of " + contextPath + " within " + timeout
                        + ":\n" + logs());
            }
            Thread.sleep(200);
        }
    }

    /** How often Jetty logged a webapp context at {@code contextPath} as started (all of it) or stopped. */
    private long logged(String event, String contextPath) {
        return Pattern.compile("ServletContextHandler:\\S+: " + event + " oeje10w\\.WebAppContext@\\p{XDigit}+\\{[^,{}]*,"
                + Pattern.quote(contextPath) + ",").matcher(logs()).results().count();
    }

    @Override
    List<String> command() {
        List<String> command = new ArrayList<>(List.of(ContainerRuntime.java(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                "-Djava.util.logging.config.file=" + instanceDir.resolve("jul.properties")));
        command.addAll(jvmOptions);
        command.addAll(ContainerRuntime.jvmOptions());
        command.addAll(List.of("-jar", home.resolve("start.jar").toString()));
        command.addAll(ContainerRuntime.jettyModuleArguments());
        command.addAll(List.of("jetty.home=" + home, "jetty.base=" + instanceDir,
                "jetty.http.host=127.0.0.1", "jetty.http.port=" + httpPort));
        return command;
    }

    @Override
    String name() {
        return "jetty";
    }
}
