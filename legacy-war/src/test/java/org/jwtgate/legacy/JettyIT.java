package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The legacy WAR in the official Jetty 12 distribution (ee10), deployed through
 * conf/jetty-base/webapps/legacy.xml from $JETTY_BASE/wars/, which Jetty's scanner would
 * otherwise ignore: the legacy application serving at all proves the context XML works.
 */
class JettyIT extends ContainerScenarios {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static JettyContainer jetty;
    private static Map<String, String> jettyEnvironment;

    @BeforeAll
    static void startJetty() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("jetty-base");
        jetty = new JettyContainer(instance);
        Map<String, String> env = new HashMap<>(LegacyApps.applicationSecrets());
        env.put("APP_JWT_SECRET", TestTokens.SECRET);
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put(LegacyApps.REPLICA_TIMEOUT_VARIABLE, LegacyApps.REPLICA_TIMEOUT_MS);
        jettyEnvironment = Map.copyOf(env);
        try {
            jetty.start(env, "/legacy/public/ping");
        } catch (Exception | Error e) {
            jetty.close();
            throw e;
        }
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
    int ambiguousPathStatus() {
        return 400; // Jetty 12 refuses the empty segment itself (UriCompliance: AMBIGUOUS_EMPTY_SEGMENT)
    }

    @Override
    int quotedTokenCookieStatus() {
        return 200;
    }

    @Override
    int failedDeploymentStatus() {
        return 503;
    }

    /** docs/operations.md's Jetty step 3: with the variables Jetty gets, check-config accepts the application's web.xml. */
    @Test
    void whenOperatorExportsTheVariablesThenCheckConfigAcceptsTheWebXml() {
        String webXml = Path.of("src/main/webapp/WEB-INF/web.xml").toString();
        CliJar.Result check = CliJar.locate().run(jettyEnvironment, "check-config", webXml);
        assertEquals(0, check.exitCode(), check.toString());
        assertTrue(check.out().contains("filter [jwtgate] of [" + webXml + "] is valid"), check.out());
        assertTrue(check.out().contains("realm=legacy") && check.out().contains("jwt.secret=****"), check.out());
        assertFalse(check.out().contains(TestTokens.SECRET), check.out());
    }
}
