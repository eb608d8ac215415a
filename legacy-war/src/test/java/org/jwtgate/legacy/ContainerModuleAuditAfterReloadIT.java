package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * docs/monitoring.md, "The audit trail": with conf/tomcat/logging-audit.properties appended to logging.properties,
 * "Audit lines then go to logs/jwtgate-audit.&lt;date&gt;.log"; docs/operations.md: the module registered by the
 * administrator (conf/tomcat/jaspic-providers.xml, its jars in $CATALINA_BASE/lib) audits each fail-open pass;
 * docs/revocation.md: with revocation.failure-mode=open "each pass is logged at WARN as an audit line".
 *
 * <p>The module's classes live in Tomcat's common class loader, but Tomcat's ClassLoaderLogManager files a
 * java.util.logging logger under the thread's context class loader of the moment it is created. The module's loggers,
 * made in static initialisers on a request thread, were filed under the class loader of the application that got
 * Tomcat's first request (the start-up probe's); when that application was reloaded, Tomcat reset that class loader's
 * loggers: the audit logger lost the audit file's handler, and, the handlers having been configured for it, no longer
 * handed its lines to its parents either. Every later fail-open pass of every other application was in no file (a
 * review's find). The loggers are now made under JwtGate's own class loader.
 */
class ContainerModuleAuditAfterReloadIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(60);
    private static final String FIRST = SecuredApps.CONTAINER;
    private static final String OTHER = SecuredApps.CONTAINER + "-other";

    private static TomcatContainer tomcat;

    @BeforeAll
    static void startTomcat() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("container-module-audit");
        Path secretFile = Files.writeString(instance.resolve("jwt-secret"), TestTokens.SECRET + "\n");
        tomcat = new TomcatContainer(instance, ContainerModuleAuditAfterReloadIT::install);
        Map<String, String> env = new HashMap<>(tomcat.catalinaEnvironment());
        env.putAll(SecuredApps.applicationSecrets());
        env.put("APP_JWT_SECRET_FILE", secretFile.toString());
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put("JWTGATE_REVOCATION_FAILURE_MODE", "open");
        env.put(LegacyApps.REPLICA_TIMEOUT_VARIABLE, LegacyApps.REPLICA_TIMEOUT_MS);
        try {
            tomcat.start(env, "/" + OTHER + "/public/ping");
        } catch (Exception | Error e) {
            tomcat.close();
            throw e;
        }
    }

    /** As TomcatContainerModuleRedeployIT: one provider per application; plus the audit trail's own file, as documented. */
    private static void install(Path catalinaBase, Path conf) throws IOException {
        String providers = Files.readString(conf.resolve("tomcat/jaspic-providers.xml"));
        int start = providers.indexOf("  <provider ");
        int end = providers.indexOf("</provider>") + "</provider>".length();
        String second = providers.substring(start, end).replace("/" + FIRST + "\"", "/" + OTHER + "\"")
                .replace("/" + FIRST + "<", "/" + OTHER + "<");
        Files.writeString(catalinaBase.resolve("conf/jaspic-providers.xml"),
                providers.substring(0, end) + "\n" + second + providers.substring(end));
        SecuredApps.copyLibraries(catalinaBase.resolve("lib"), true);
        Path webapps = catalinaBase.resolve("webapps");
        SecuredApps.writeContainerVariant(webapps);
        Files.copy(webapps.resolve(FIRST + ".war"), webapps.resolve(OTHER + ".war"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(catalinaBase.resolve("conf/logging.properties"),
                "\n" + Files.readString(conf.resolve("tomcat/logging-audit.properties")), StandardOpenOption.APPEND);
    }

    @AfterAll
    static void stopTomcat() {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    void whenAnotherApplicationIsReloadedThenTheContainerModulesFailOpenPassesStillReachTheAuditFile() throws Exception {
        for (String application : new String[] {FIRST, OTHER}) {
            assertEquals(200, tomcat.getWithToken("/" + application + "/admin/page", SecuredApps.token("alice", "admin"))
                    .statusCode(), application);
        }
        REDIS.cluster().stopAll();
        try {
            // Control: the pass is audited, in the audit file, before any reload.
            assertEquals(200, tomcat.getWithToken("/" + FIRST + "/admin/page", SecuredApps.token("before", "admin"))
                    .statusCode(), "a fail-open pass");
            String before = awaitAudit("sub=before");
            assertTrue(before.contains("AUDIT fail-open outcome=allowed-unchecked check=revocation sub=before"), before);

            // An administrator redeploys the application that got the first request (Tomcat's start-up probe,
            // /OTHER/public/ping: an edit of its web.xml, the Manager's Reload); FIRST, whose request follows, is
            // left alone.
            tomcat.reload("/" + OTHER, RELOAD_TIMEOUT);

            assertEquals(200, tomcat.getWithToken("/" + FIRST + "/admin/page", SecuredApps.token("after", "admin"))
                    .statusCode(), "a fail-open pass after the reload");
            String after = awaitAudit("sub=after");
            assertTrue(after.contains("AUDIT fail-open outcome=allowed-unchecked check=revocation sub=after"),
                    "the fail-open pass of /" + FIRST + " after /" + OTHER + "'s reload is in no audit file (anywhere in Tomcat's console"
                            + " and logs: " + tomcat.logs().contains("sub=after") + "); audit file:\n" + after);
        } finally {
            REDIS.cluster().startAll();
        }
    }

    private static String awaitAudit(String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String audit = readAll("jwtgate-audit.");
        while (!audit.contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(100); // AsyncFileHandler writes from its own thread
            audit = readAll("jwtgate-audit.");
        }
        return audit;
    }

    private static String readAll(String prefix) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(tomcat.instanceDir.resolve("logs"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }
}
