package org.jwtgate.legacy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The WARs the Jakarta Authentication module's container ITs deploy, all made from the built
 * secured.war (security-constraints, no JwtGate filter): the application as built (the module switched
 * on by its context-param), the same with {@code dpop.mode=allowed}, the same application for the container-level registration (no
 * {@code jwtgate.*} context-param, no JwtGate jar: conf/tomcat/jaspic-providers.xml or
 * conf/jetty-authentication/etc/jwtgate-authentication.xml names it), three misconfigured variants,
 * one whose own listener fails its start after JwtGate's initializer ran, one whose {@code /async/*} dispatches
 * asynchronously ({@link AsyncDispatchServlet}), and the probe application
 * that tells what JwtGate left in the container ({@link ContainerStateServlet}).
 * Its settings are {@link TestTokens}' issuer, audience and secret, so the attack catalog's tokens are
 * aimed at it.
 */
final class SecuredApps {

    static final String SECURED = "secured";
    static final String CONTAINER = "secured-container";
    static final String DPOP = "secured-dpop";
    static final String BAD_PARAM = "secured-bad-param";
    static final String BAD_SWITCH = "secured-bad-switch";
    static final String BAD_SECRET = "secured-bad-secret";
    static final String FAILING_LISTENER = "secured-failing-listener";
    static final String ASYNC = "secured-async";
    /** secured.war with the legacy application's LogoutServlet at /user/logout: the module's RevocationService, used by the application. */
    static final String LOGOUT = "secured-logout";
    static final String PROBE = "jwtgate-probe";

    /** Every jwtgate.* context-param element of a web.xml. */
    private static final Pattern JWTGATE_CONTEXT_PARAM = Pattern.compile(
            "\\s*<context-param>\\s*<param-name>jwtgate\\.[^<]*</param-name>\\s*<param-value>[^<]*</param-value>\\s*</context-param>");

    private SecuredApps() {
    }

    /** secured.war as an administrator deploys it: the application with the distribution's lib/webapp and lib/authentication jars. */
    static synchronized Path builtWar() {
        try {
            Path installed = ServletContainer.requiredPath("it.dir").resolve("installed").resolve("secured.war");
            Path built = ServletContainer.requiredPath("secured.war");
            // Installed again after a rebuild: an earlier run's copy would test the earlier code.
            if (!Files.isRegularFile(installed)
                    || Files.getLastModifiedTime(built).compareTo(Files.getLastModifiedTime(installed)) > 0) {
                Distribution.install(built, installed.getParent(), "secured.war", true);
            }
            return installed;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes secured.war and its variants into {@code dir} (Tomcat's webapps/, Jetty's webapps/). */
    static void writeAll(Path dir) throws IOException {
        Files.copy(builtWar(), dir.resolve(SECURED + ".war"), StandardCopyOption.REPLACE_EXISTING);
        writeContainerVariant(dir);
        LegacyApps.variant(builtWar(), dir, DPOP, Map.of("<param-name>jwtgate.realm</param-name>",
                "<param-name>jwtgate.dpop.mode</param-name><param-value>allowed</param-value></context-param>"
                        + "<context-param><param-name>jwtgate.realm</param-name>"));
        LegacyApps.variant(builtWar(), dir, BAD_PARAM, Map.of("<param-name>jwtgate.jwt.audience</param-name>",
                "<param-name>jwtgate.jwt.isuer</param-name><param-value>typo</param-value></context-param>"
                        + "<context-param><param-name>jwtgate.jwt.audience</param-name>"));
        LegacyApps.variant(builtWar(), dir, BAD_SWITCH, Map.of("<param-value>enabled</param-value>", "<param-value>on</param-value>"));
        LegacyApps.variant(builtWar(), dir, BAD_SECRET, Map.of("${env:APP_JWT_SECRET}", "${env:APP_SHORT_SECRET}"));
        Path failing = LegacyApps.variant(builtWar(), dir, FAILING_LISTENER, Map.of(
                "<display-name>JwtGate secured example</display-name>", "<display-name>JwtGate secured example</display-name>"
                        + "<listener><listener-class>" + FailingStartListener.class.getName() + "</listener-class></listener>"));
        addClass(failing, FailingStartListener.class);
        Path async = LegacyApps.variant(builtWar(), dir, ASYNC, Map.of(
                "<display-name>JwtGate secured example</display-name>", "<display-name>JwtGate secured example</display-name>"
                        + "<servlet><servlet-name>async</servlet-name><servlet-class>" + AsyncDispatchServlet.class.getName()
                        + "</servlet-class><async-supported>true</async-supported></servlet>"
                        + "<servlet-mapping><servlet-name>async</servlet-name><url-pattern>/async/*</url-pattern></servlet-mapping>"));
        addClass(async, AsyncDispatchServlet.class);
        Path logout = LegacyApps.variant(builtWar(), dir, LOGOUT, Map.of(
                "<display-name>JwtGate secured example</display-name>", "<display-name>JwtGate secured example</display-name>"
                        + "<servlet><servlet-name>logout</servlet-name><servlet-class>" + LogoutServlet.class.getName()
                        + "</servlet-class></servlet>"
                        + "<servlet-mapping><servlet-name>logout</servlet-name><url-pattern>/user/logout</url-pattern></servlet-mapping>"));
        addClass(logout, LogoutServlet.class);
        writeProbe(dir.resolve(PROBE + ".war"));
    }

    /** The probe application: {@code /state} answers what {@link ContainerStateServlet} finds. */
    private static void writeProbe(Path war) throws IOException {
        Files.deleteIfExists(war);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + war.toUri()), Map.of("create", "true"))) {
            Path webInf = Files.createDirectories(zip.getPath("WEB-INF"));
            Files.writeString(webInf.resolve("web.xml"), """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                      <servlet>
                        <servlet-name>state</servlet-name>
                        <servlet-class>%s</servlet-class>
                      </servlet>
                      <servlet-mapping>
                        <servlet-name>state</servlet-name>
                        <url-pattern>/state</url-pattern>
                      </servlet-mapping>
                    </web-app>
                    """.formatted(ContainerStateServlet.class.getName()));
        }
        addClass(war, ContainerStateServlet.class);
    }

    /** Copies a compiled test class into the WAR's WEB-INF/classes. */
    static void addClass(Path war, Class<?> type) throws IOException {
        String file = type.getName().replace('.', '/') + ".class";
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + war.toUri()), Map.of());
             var bytes = type.getClassLoader().getResourceAsStream(file)) {
            if (bytes == null) {
                throw new IllegalStateException("No compiled " + file + " on the test class path");
            }
            Path target = zip.getPath("WEB-INF", "classes", file);
            Files.createDirectories(target.getParent());
            Files.copy(bytes, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The application without its jwtgate.* context-params and without JwtGate's jars: the container registers the module. */
    static void writeContainerVariant(Path dir) throws IOException {
        Path war = dir.resolve(CONTAINER + ".war");
        Files.copy(builtWar(), war, StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + war.toUri()), Map.of())) {
            Path webXml = zip.getPath("WEB-INF", "web.xml");
            String content = Files.readString(webXml);
            String stripped = JWTGATE_CONTEXT_PARAM.matcher(content).replaceAll("");
            if (stripped.equals(content) || stripped.contains("<param-name>jwtgate.")) {
                throw new IllegalStateException("secured.war's web.xml changed: no jwtgate.* context-params to remove");
            }
            Files.writeString(webXml, stripped);
            try (Stream<Path> libraries = Files.list(zip.getPath("WEB-INF", "lib"))) {
                for (Path library : libraries.toList()) {
                    Files.delete(library);
                }
            }
        }
    }

    /**
     * What an administrator puts on the container's class path for the container-level registration: the
     * distribution's lib/webapp and lib/authentication jars (docs/operations.md), slf4j-api left out when
     * the container has its own (Jetty).
     */
    static List<Path> copyLibraries(Path dir, boolean withSlf4jApi) throws IOException {
        Files.createDirectories(dir);
        List<Path> copied = new ArrayList<>();
        List<Path> jars = new ArrayList<>(Distribution.webappJars());
        jars.addAll(Distribution.authenticationJars());
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            if (!withSlf4jApi && name.startsWith("slf4j-api-")) {
                continue;
            }
            Path target = dir.resolve(name);
            Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
            copied.add(target);
        }
        return copied;
    }

    /** The variables the applications' settings refer to with ${env:…}, besides APP_JWT_SECRET. */
    static Map<String, String> applicationSecrets() {
        return Map.of("APP_SHORT_SECRET", LegacyApps.SHORT_SECRET);
    }

    /** A token the secured applications accept: TestTokens' issuer, audience and secret. */
    static String token(String subject, String... groups) {
        return TestTokens.hs256(subject, groups);
    }

    /** What an operator exports to run the CLI against the secured applications' settings. */
    static Map<String, String> cliEnvironment(RedisCluster cluster) {
        return Map.of(
                "JWTGATE_JWT_SECRET", TestTokens.SECRET,
                "JWTGATE_JWT_ISSUER", TestTokens.ISSUER,
                "JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE,
                "JWTGATE_REVOCATION_STORE", "redis-cluster",
                "JWTGATE_REDIS_NODES", cluster.nodesSpec(),
                LegacyApps.REPLICA_TIMEOUT_VARIABLE, LegacyApps.REPLICA_TIMEOUT_MS);
    }
}
