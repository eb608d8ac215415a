package org.jwtgate.legacy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The official Jetty 12 distribution as JETTY_HOME, untouched; each run gets a JETTY_BASE copied
 * from conf/jetty-base (start.d ini files for http and ee10-deploy, webapps/legacy.xml deploying
 * wars/legacy.war), the other WARs in webapps/, and is started with {@code java -jar start.jar} on a free port.
 */
final class JettyContainer extends ServletContainer {

    private final Path home;
    private final Path conf;

    JettyContainer(Path instanceDir) {
        super(instanceDir);
        this.home = requiredPath("jetty.home");
        this.conf = requiredPath("jwtgate.conf");
    }

    @Override
    void prepare() throws IOException {
        Path template = conf.resolve("jetty-base");
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
        // The legacy application through conf/jetty-base/webapps/legacy.xml; the others by file name.
        Files.createDirectories(instanceDir.resolve("wars"));
        Files.copy(LegacyApps.builtWar(), instanceDir.resolve("wars/legacy.war"));
        LegacyApps.writeVariants(instanceDir.resolve("webapps"));
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
