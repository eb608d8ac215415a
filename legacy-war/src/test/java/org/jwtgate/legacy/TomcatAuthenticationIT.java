package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * secured.war in the official Tomcat 11 distribution, the module registered both documented ways:
 * by the WAR's own context-param (Tomcat's built-in AuthConfigFactory), and for /secured-container by
 * conf/tomcat/jaspic-providers.xml, copied as it is to $CATALINA_BASE/conf with the module's jars in
 * $CATALINA_BASE/lib. As for the filter, conf/tomcat/setenv.sh gives every application the revocation
 * store and APP_JWT_SECRET.
 */
class TomcatAuthenticationIT extends AuthenticationScenarios {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    /** secured-container.war registered by a jaspic-providers.xml provider whose settings are wrong. */
    private static final String BAD_CONTAINER = SecuredApps.CONTAINER + "-bad";
    /** secured-container.war registered by a jaspic-providers.xml provider naming a Redis user (redis.user). */
    private static final String ACL_CONTAINER = SecuredApps.CONTAINER + "-acl";
    private static final String ACL_USER = "jwtgate-late";
    private static final String ACL_PASSWORD = "late-acl-secret-1";
    /** The module's interval between two tries of a start Redis refused (JwtServerAuthModule.START_RETRY_SECONDS). */
    private static final Duration START_RETRY = Duration.ofSeconds(5);
    /** secured.war whose {@code /late/*} (no constraint) writes the start of its page, then calls request.authenticate(). */
    private static final String LATE_AUTHENTICATE = SecuredApps.SECURED + "-late-authenticate";
    /** The secured application with Tomcat's CorsFilter, and OPTIONS left out of the admin area's constraint. */
    private static final String CORS = SecuredApps.SECURED + "-cors";
    private static final String SPA = "https://spa.example";

    private static TomcatContainer tomcat;

    @BeforeAll
    static void startTomcat() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("tomcat-authentication");
        Path secretFile = Files.writeString(instance.resolve("jwt-secret"), TestTokens.SECRET + "\n");
        tomcat = new TomcatContainer(instance, TomcatAuthenticationIT::install);
        Map<String, String> env = new HashMap<>(tomcat.catalinaEnvironment());
        env.putAll(SecuredApps.applicationSecrets());
        env.put("APP_JWT_SECRET_FILE", secretFile.toString());
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put(LegacyApps.REPLICA_TIMEOUT_VARIABLE, LegacyApps.REPLICA_TIMEOUT_MS);
        try {
            tomcat.start(env, "/secured/public/ping");
        } catch (Exception | Error e) {
            tomcat.close();
            throw e;
        }
    }

    /**
     * docs/operations.md, "Container-managed security", Tomcat: both ways. All of JwtGate logs at DEBUG (FINE), the
     * module's refusals included, so that "no token in the log" reads them.
     */
    private static void install(Path catalinaBase, Path conf) throws IOException {
        Files.writeString(catalinaBase.resolve("conf/logging.properties"), "\norg.jwtgate.level = FINE\n",
                java.nio.file.StandardOpenOption.APPEND);
        // As shipped, plus a provider with a misspelt key for /secured-container-bad (a copy of /secured-container).
        String providers = Files.readString(conf.resolve("tomcat/jaspic-providers.xml"));
        int start = providers.indexOf("  <provider ");
        int end = providers.indexOf("</provider>") + "</provider>".length();
        String bad = providers.substring(start, end)
                .replace("appContext=\"Catalina/localhost /" + SecuredApps.CONTAINER + "\"", "appContext=\"Catalina/localhost /" + BAD_CONTAINER + "\"")
                .replace("<property name=\"jwt.issuer\"", "<property name=\"jwt.isuer\"");
        if (!bad.contains(BAD_CONTAINER) || !bad.contains("jwt.isuer")) {
            throw new IllegalStateException("conf/tomcat/jaspic-providers.xml changed: no provider to copy");
        }
        // And one naming a Redis user for /secured-container-acl: the user is set on the nodes only later.
        String acl = providers.substring(start, end)
                .replace("appContext=\"Catalina/localhost /" + SecuredApps.CONTAINER + "\"", "appContext=\"Catalina/localhost /" + ACL_CONTAINER + "\"")
                .replace("</provider>", "  <property name=\"redis.user\" value=\"" + ACL_USER + "\"/>\n"
                        + "    <property name=\"redis.password\" value=\"" + ACL_PASSWORD + "\"/>\n  </provider>");
        if (!acl.contains(ACL_CONTAINER) || !acl.contains(ACL_USER)) {
            throw new IllegalStateException("conf/tomcat/jaspic-providers.xml changed: no provider to copy");
        }
        Files.writeString(catalinaBase.resolve("conf/jaspic-providers.xml"), providers.substring(0, end) + "\n" + bad
                + "\n" + acl + providers.substring(end));
        SecuredApps.copyLibraries(catalinaBase.resolve("lib"), true);
        SecuredApps.writeAll(catalinaBase.resolve("webapps"));
        Files.copy(catalinaBase.resolve("webapps/" + SecuredApps.CONTAINER + ".war"),
                catalinaBase.resolve("webapps/" + BAD_CONTAINER + ".war"));
        Files.copy(catalinaBase.resolve("webapps/" + SecuredApps.CONTAINER + ".war"),
                catalinaBase.resolve("webapps/" + ACL_CONTAINER + ".war"));
        Path late = LegacyApps.variant(SecuredApps.builtWar(), catalinaBase.resolve("webapps"), LATE_AUTHENTICATE, Map.of(
                "<display-name>JwtGate secured example</display-name>", "<display-name>JwtGate secured example</display-name>"
                        + "<servlet><servlet-name>late</servlet-name><servlet-class>" + AuthenticateAfterWritingServlet.class.getName()
                        + "</servlet-class></servlet>"
                        + "<servlet-mapping><servlet-name>late</servlet-name><url-pattern>/late/*</url-pattern></servlet-mapping>"));
        SecuredApps.addClass(late, AuthenticateAfterWritingServlet.class);
        // docs/operations.md, "CORS with the module": the recipe as written there.
        LegacyApps.variant(SecuredApps.builtWar(), catalinaBase.resolve("webapps"), CORS, Map.of(
                "<display-name>JwtGate secured example</display-name>", "<display-name>JwtGate secured example</display-name>"
                        + "<filter><filter-name>cors</filter-name><filter-class>org.apache.catalina.filters.CorsFilter</filter-class>"
                        + "<init-param><param-name>cors.allowed.origins</param-name><param-value>" + SPA + "</param-value></init-param>"
                        + "<init-param><param-name>cors.allowed.headers</param-name><param-value>Authorization,DPoP</param-value></init-param>"
                        + "<init-param><param-name>cors.exposed.headers</param-name><param-value>WWW-Authenticate,DPoP-Nonce</param-value></init-param>"
                        + "</filter><filter-mapping><filter-name>cors</filter-name><url-pattern>/*</url-pattern></filter-mapping>",
                "<url-pattern>/admin/*</url-pattern>\n    </web-resource-collection>",
                "<url-pattern>/admin/*</url-pattern>\n      <http-method-omission>OPTIONS</http-method-omission>\n    </web-resource-collection>"));
    }

    @AfterAll
    static void stopTomcat() {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Override
    ServletContainer container() {
        return tomcat;
    }

    @Override
    RedisCluster cluster() {
        return REDIS.cluster();
    }

    @Override
    boolean logoutCleansTheModulesSubject() {
        return true;
    }

    @Override
    int failedDeploymentStatus() {
        return 404;
    }

    @Override
    boolean failedDeploymentKeepsItsRegistration() {
        return false;
    }

    @Override
    boolean unprotectedResourcesSeeTheCaller() {
        return true;
    }

    /**
     * A reload stops and starts /secured while Tomcat's authenticator valve stays: told of the reload's
     * registration, it takes the started module; else it would keep "no provider" and answer with the
     * application's login-config (BASIC), ignoring every token, until Tomcat restarts.
     */
    @Test
    void whenTheApplicationIsReloadedThenTokensStillAuthenticate() throws Exception {
        String token = SecuredApps.token("alice", "admin");
        assertEquals(200, tomcat.getWithToken("/secured/admin/page", token).statusCode(), "the valve has its provider");

        tomcat.reload("/secured", Duration.ofSeconds(60));

        HttpResponse<String> admin = tomcat.getWithToken("/secured/admin/page", token);
        assertEquals(200, admin.statusCode(), admin.headers().map() + "\n" + admin.body());
        assertTrue(admin.body().startsWith("who user=alice admin=true staff=false auth=Bearer"), admin.body());
        HttpResponse<String> none = tomcat.get("/secured/admin/page");
        assertEquals(401, none.statusCode(), none.body());
        assertEquals("Bearer realm=\"secured\"", none.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    /**
     * A browser client of another origin: the module answers before any filter, so a constrained preflight was a 401
     * the browser gives up on. With OPTIONS left out of the constraint the CORS filter answers it; the module's own
     * refusals still carry no CORS header (docs/operations.md, "CORS with the module").
     */
    @Test
    void whenOptionsIsLeftOutOfTheConstraintThenTheCorsFilterAnswersPreflightsAndRefusalsStayUnreadable() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.URI admin = tomcat.uri("/" + CORS + "/admin/page");
        HttpResponse<String> preflight = client.send(java.net.http.HttpRequest.newBuilder(admin)
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).header("Origin", SPA)
                .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, preflight.statusCode(), preflight.headers() + " " + preflight.body());
        assertEquals(SPA, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null), preflight.headers().toString());
        // The user area's constraint covers OPTIONS: the module asks the preflight, sent without credentials, for a token.
        HttpResponse<String> constrained = client.send(java.net.http.HttpRequest.newBuilder(tomcat.uri("/" + CORS + "/user/page"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).header("Origin", SPA)
                .header("Access-Control-Request-Method", "GET").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, constrained.statusCode(), constrained.body());
        assertFalse(constrained.headers().firstValue("Access-Control-Allow-Origin").isPresent(), constrained.headers().toString());

        HttpResponse<String> valid = client.send(java.net.http.HttpRequest.newBuilder(admin).header("Origin", SPA)
                .header("Authorization", "Bearer " + SecuredApps.token("alice", "admin")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, valid.statusCode(), valid.body());
        assertEquals(SPA, valid.headers().firstValue("Access-Control-Allow-Origin").orElse(null), valid.headers().toString());
        assertEquals("WWW-Authenticate,DPoP-Nonce", valid.headers().firstValue("Access-Control-Expose-Headers").orElse(null));

        HttpResponse<String> refused = client.send(java.net.http.HttpRequest.newBuilder(admin).header("Origin", SPA)
                .header("Authorization", "Bearer abc.def.ghi").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""),
                refused.headers().toString());
        assertFalse(refused.headers().firstValue("Access-Control-Allow-Origin").isPresent(), refused.headers().toString());
    }

    /**
     * {@code request.authenticate()} on a page that had started writing (buffered, not committed): the module's
     * challenge is the whole answer, as Tomcat's own mechanisms' {@code sendError} makes theirs. The page's start was
     * left in front of the JSON, and the JSON cut to its own length (Content-Length), so the client got neither.
     */
    @Test
    void whenTheApplicationWroteBeforeCallingAuthenticateThenTheChallengeIsTheWholeAnswer() throws Exception {
        String path = "/" + LATE_AUTHENTICATE + "/late/page";
        HttpResponse<String> challenged = tomcat.get(path);
        assertEquals(401, challenged.statusCode(), challenged.body());
        assertEquals("Bearer realm=\"secured\"", challenged.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals("{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a bearer token is required\"}",
                challenged.body());

        HttpResponse<String> alice = tomcat.getWithToken(path, SecuredApps.token("alice", "admin"));
        assertEquals(200, alice.statusCode(), alice.body());
        assertEquals("page started\nuser=alice\n", alice.body().replace("\r\n", "\n"));
    }

    /**
     * docs/operations.md, "Registered by the administrator", Tomcat step 3: a configuration error is logged at the
     * application's first request (ERROR, naming the key), and every request is then answered 503, public ones too.
     */
    @Test
    void whenTheContainerRegistrationsSettingsAreWrongThenEveryRequestIs503AndTheLogNamesTheKey() throws Exception {
        String app = "/" + BAD_CONTAINER;
        for (String path : List.of("/public/page", "/admin/page", "/user/page")) {
            HttpResponse<String> none = tomcat.get(app + path);
            assertEquals(503, none.statusCode(), path + ": " + none.body());
            HttpResponse<String> withToken = tomcat.getWithToken(app + path, SecuredApps.token("alice", "admin"));
            assertEquals(503, withToken.statusCode(), path + ": " + withToken.body());
            assertTrue(withToken.headers().firstValue("Retry-After").isPresent(), withToken.headers().map().toString());
            assertTrue(withToken.body().contains("\"error\":\"temporarily_unavailable\""), withToken.body());
        }
        String expected = "JwtGate authentication module not started (";
        String logs = tomcat.awaitLog(expected, Duration.ofSeconds(10));
        String line = logs.lines().filter(l -> l.contains(expected)).findFirst().orElse(logs);
        assertTrue(line.contains("[jwt.isuer]"), line);
        assertFalse(logs.contains(TestTokens.SECRET), "the secret is never logged");
    }

    /**
     * docs/operations.md, "Registered by the administrator", Tomcat step 3: Redis refusing redis.user when the module
     * is built (every node lacks the user: a node restarted without a user set at run time, an ACL applied late)
     * answers 503 with Retry-After, and the start is tried again on a later request, every few seconds: once the ACL
     * is set on every node the application serves, without a restart of Tomcat. The refusal is logged once, never the
     * password. A settings error (the misspelt key of /secured-container-bad) is not tried again.
     */
    @Test
    void whenRedisRefusesTheContainerRegistrationsUserThenItAnswers503AndServesOnceTheAclIsFixedWithoutARestart() throws Exception {
        String app = "/" + ACL_CONTAINER;
        String token = SecuredApps.token("alice", "admin");
        aclOnEveryNode("DELUSER", ACL_USER);
        assertEquals(503, tomcat.get("/" + BAD_CONTAINER + "/public/page").statusCode(), "the settings error");

        HttpResponse<String> refused = tomcat.getWithToken(app + "/admin/page", token);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused.headers().map().toString());
        String expected = "JwtGate authentication module not started (Redis refused";
        String logs = tomcat.awaitLog(expected, Duration.ofSeconds(10));
        String line = logs.lines().filter(l -> l.contains(expected)).findFirst().orElse(logs);
        assertTrue(line.contains("[redis.user]: [" + ACL_USER + "]"), line);
        for (int i = 0; i < 3; i++) {
            assertEquals(503, tomcat.getWithToken(app + "/admin/page", token).statusCode(), "Redis still refuses the user");
            Thread.sleep(START_RETRY.toMillis() / 2);
        }

        aclOnEveryNode("SETUSER", ACL_USER, "reset", "on", ">" + ACL_PASSWORD, "~*", "&*", "+@all");
        long fixed = System.nanoTime();
        HttpResponse<String> admin = tomcat.getWithToken(app + "/admin/page", token);
        // The retry interval and a start's own time while the other module's build runs beside it (-T 2).
        while (admin.statusCode() == 503 && System.nanoTime() - fixed < START_RETRY.plusSeconds(8).toNanos()) {
            Thread.sleep(200);
            admin = tomcat.getWithToken(app + "/admin/page", token);
        }
        Duration healed = Duration.ofNanos(System.nanoTime() - fixed);
        assertEquals(200, admin.statusCode(), "after the ACL was set on every node, " + healed.toMillis() + " ms: " + admin.body());
        assertTrue(admin.body().startsWith("who user=alice admin=true"), admin.body());
        assertEquals(401, tomcat.getWithToken(app + "/admin/page", token + "x").statusCode());
        assertEquals(401, tomcat.get(app + "/admin/page").statusCode());
        assertEquals(200, tomcat.get(app + "/public/page").statusCode());

        String after = tomcat.logs();
        assertEquals(1, tomcat.recordsLogged(l -> l.contains(expected)), "the refusal is logged once");
        assertTrue(after.contains("JwtGate authentication module registered for the container started")
                && after.contains("realm=secured-container"), after);
        assertFalse(after.contains(ACL_PASSWORD), "the password is never logged");
        assertEquals(503, tomcat.get("/" + BAD_CONTAINER + "/public/page").statusCode(), "the settings error, after "
                + healed.plus(START_RETRY).toSeconds() + " s");
        assertEquals(1, tomcat.recordsLogged(l -> l.contains("JwtGate authentication module not started (")
                && l.contains("[jwt.isuer]")), "the settings error is logged once, not tried again");
    }

    private static void aclOnEveryNode(String... args) {
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(Protocol.Command.ACL, args);
            }
        }
    }

    @Test
    void whenJaspicProvidersXmlInstalledThenTheContainerRegistrationStartsTheModuleOnFirstUse() throws Exception {
        tomcat.get("/secured-container/public/page");
        String logs = tomcat.awaitLog("JwtGate authentication module registered for the container started", Duration.ofSeconds(10));
        assertTrue(logs.contains("JwtGate authentication module registered for the container started")
                && logs.contains("realm=secured-container"), logs);
        assertTrue(logs.contains("JwtGate authentication module for [/secured] started"), logs);
    }
}
