package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.junit.RedisClusterExtension;

/**
 * The module's 503 + Retry-After (Redis Cluster down, revocation.failure-mode=closed) in the real Tomcat 11 and
 * Jetty 12 when the application declares error pages for 401, 403 and 503 and a default one: the client must get the
 * module's bytes (security.md's table), not the container's error page.
 */
class ModuleUnavailableUnderErrorPagesIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    static final String APP = "secured-503";

    static void writeVariant(Path dir) throws IOException {
        String pages = "<error-page><location>/error-page</location></error-page>";
        for (int code : new int[] {401, 403, 503}) {
            pages += "<error-page><error-code>" + code + "</error-code><location>/error-page</location></error-page>";
        }
        Path war = LegacyApps.variant(SecuredApps.builtWar(), dir, APP, Map.of(
                "<display-name>JwtGate secured example</display-name>", "<display-name>unavailable</display-name>"
                        + "<servlet><servlet-name>probe</servlet-name><servlet-class>" + DispatchProbeServlet.class.getName()
                        + "</servlet-class></servlet>"
                        + "<servlet-mapping><servlet-name>probe</servlet-name><url-pattern>/error-page</url-pattern></servlet-mapping>"
                        + pages));
        SecuredApps.addClass(war, DispatchProbeServlet.class);
    }

    private static RawHttp.Response await(ServletContainer c, String path, String token, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        RawHttp.Response response = RawHttp.get(c.httpPort, path, "Authorization: Bearer " + token);
        while (response.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = RawHttp.get(c.httpPort, path, "Authorization: Bearer " + token);
        }
        return response;
    }

    private static void check(ServletContainer c, boolean tomcat) throws Exception {
        String token = SecuredApps.token("alice", "admin");
        String page = "/" + APP + "/admin/page";
        assertEquals(200, await(c, page, token, 200).status());
        REDIS.cluster().stopAll();
        try {
            RawHttp.Response down = await(c, page, token, 503);
            RawHttp.Response head = RawHttp.request(c.httpPort, "HEAD", page, "", "Authorization: Bearer " + token);
            RawHttp.Response publicPage = RawHttp.get(c.httpPort, "/" + APP + "/public/page", "Authorization: Bearer " + token);
            System.out.println("UNAVAILABLE " + c.name() + " down " + down + "\nUNAVAILABLE " + c.name() + " head " + head
                    + "\nUNAVAILABLE " + c.name() + " public " + publicPage);
            assertAll(c.name(),
                    () -> assertEquals(503, down.status(), down.toString()),
                    () -> assertEquals("5", down.header("Retry-After"), down.toString()),
                    () -> assertEquals("no-store", down.header("Cache-Control"), down.toString()),
                    () -> assertEquals("{\"error\":\"temporarily_unavailable\",\"error_description\":"
                            + "\"Authentication is temporarily unavailable; retry later\"}", down.body(), down.toString()),
                    () -> assertEquals(503, head.status(), head.toString()),
                    () -> assertEquals("5", head.header("Retry-After"), head.toString()),
                    () -> assertEquals("", head.body(), head.toString()),
                    () -> assertEquals(tomcat ? 503 : 200, publicPage.status(), publicPage.toString()));
        } finally {
            REDIS.cluster().startAll();
            REDIS.cluster().awaitClusterOk(Duration.ofSeconds(60));
        }
    }

    private static Map<String, String> redisEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put(LegacyApps.REPLICA_TIMEOUT_VARIABLE, LegacyApps.REPLICA_TIMEOUT_MS);
        return env;
    }

    @Test
    void tomcat() throws Exception {
        ModuleVariantRuns.inTomcat("unavailable-tomcat", APP, ModuleUnavailableUnderErrorPagesIT::writeVariant,
                redisEnv(), c -> check(c, true));
    }

    @Test
    void jetty() throws Exception {
        ModuleVariantRuns.inJetty("unavailable-jetty", APP, ModuleUnavailableUnderErrorPagesIT::writeVariant,
                redisEnv(), c -> check(c, false));
    }
}
