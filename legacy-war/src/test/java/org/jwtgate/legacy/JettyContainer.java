package org.jwtgate.legacy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
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

    JettyContainer(Path instanceDir) {
        this(instanceDir, "jetty-base", JettyContainer::legacyApplications);
    }

    /** @param template the directory under conf/ the JETTY_BASE is copied from */
    JettyContainer(Path instanceDir, String template, Deployment deployment) {
        super(instanceDir);
        this.home = requiredPath("jetty.home");
        this.conf = requiredPath("jwtgate.conf");
        this.template = template;
        this.deployment = deployment;
    }

    /** The filter's applications: wars/legacy.war (deployed by webapps/legacy.xml), the variants in webapps/. */
    static void legacyApplications(Path jettyBase) throws IOException {
        Files.createDirectories(jettyBase.resolve("wars"));
        Files.copy(LegacyApps.builtWar(), jettyBase.resolve("wars/legacy.war"));
        LegacyApps.writeVariants(jettyBase.resolve("webapps"));
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
        deployment.install(instanceDir);
    }

    @Override
    List<String> command() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + instanceDir,
                "jetty.http.host=127.0.0.1", "jetty.http.port=" + httpPort);
    }

    @Override
    String name() {
        return "jetty";
    }
}
