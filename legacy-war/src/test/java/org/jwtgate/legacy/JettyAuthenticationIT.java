package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * secured.war in the official Jetty 12 distribution (ee10), with the JETTY_BASE copied as it is from
 * conf/jetty-authentication: ee10-jaspi (+ Jetty's AuthConfigFactory, annotation scanning, the API
 * visible to applications) for the WAR that switches the module on itself, and the module
 * jwtgate-authentication (modules/jwtgate-authentication.mod, etc/jwtgate-authentication.xml, the jars
 * in $JETTY_BASE/lib/jwtgate) for /secured-container. The WARs are dropped into webapps/.
 */
class JettyAuthenticationIT extends AuthenticationScenarios {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static JettyContainer jetty;

    @BeforeAll
    static void startJetty() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("jetty-authentication");
        jetty = new JettyContainer(instance, "jetty-authentication", JettyAuthenticationIT::install);
        Map<String, String> env = new HashMap<>(SecuredApps.applicationSecrets());
        env.put("APP_JWT_SECRET", TestTokens.SECRET);
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put(LegacyApps.REPLICA_TIMEOUT_VARIABLE, LegacyApps.REPLICA_TIMEOUT_MS);
        try {
            jetty.start(env, "/secured/public/ping");
        } catch (Exception | Error e) {
            jetty.close();
            throw e;
        }
    }

    /**
     * docs/operations.md, "Container-managed security", Jetty: both ways. All of JwtGate logs at DEBUG (FINE), the
     * module's refusals included, so that "no token in the log" reads them.
     */
    private static void install(Path jettyBase) throws IOException {
        SecuredApps.copyLibraries(jettyBase.resolve("lib/jwtgate"), false);
        SecuredApps.writeAll(jettyBase.resolve("webapps"));
        Files.writeString(jettyBase.resolve("jul.properties"), "org.jwtgate.level = FINE\n", StandardOpenOption.APPEND);
    }

    @AfterAll
    static void stopJetty() {
        if (jetty != null) {
            jetty.close();
        }
    }

    @Override
    ServletContainer container() {
        return jetty;
    }

    @Override
    RedisCluster cluster() {
        return REDIS.cluster();
    }

    @Override
    boolean logoutCleansTheModulesSubject() {
        return false;
    }

    @Override
    int failedDeploymentStatus() {
        return 503;
    }

    @Override
    boolean failedDeploymentKeepsItsRegistration() {
        return true;
    }

    @Override
    boolean unprotectedResourcesSeeTheCaller() {
        return false;
    }

    @Test
    void whenJettyStartsThenBothRegistrationsStartedTheirModule() throws Exception {
        String logs = jetty.awaitLog("JwtGate authentication module built from settings started", Duration.ofSeconds(10));
        assertTrue(logs.contains("JwtGate authentication module built from settings started")
                && logs.contains("realm=secured-container"), logs);
        assertTrue(logs.contains("JwtGate authentication module for [/secured] started"), logs);
    }

    /**
     * The base un-hides the Jakarta Authentication API by appending to Jetty's hidden-class patterns: replacing them
     * un-hid the server's SLF4J provider too, and every application's SLF4J logged an error at start.
     */
    @Test
    void whenApplicationsStartThenSlf4jDoesNotSeeTheServersProvider() {
        String logs = jetty.logs();
        assertTrue(logs.contains("JwtGate authentication module for [/secured] started"), logs);
        assertFalse(logs.contains("SLF4J(E)"), logs);
    }
}
