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
        Files.writeString(catalinaBase.resolve("conf/jaspic-providers.xml"), providers.substring(0, end) + "\n" + bad
                + providers.substring(end));
        SecuredApps.copyLibraries(catalinaBase.resolve("lib"), true);
        SecuredApps.writeAll(catalinaBase.resolve("webapps"));
        Files.copy(catalinaBase.resolve("webapps/" + SecuredApps.CONTAINER + ".war"),
                catalinaBase.resolve("webapps/" + BAD_CONTAINER + ".war"));
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

    @Test
    void whenJaspicProvidersXmlInstalledThenTheContainerRegistrationStartsTheModuleOnFirstUse() throws Exception {
        tomcat.get("/secured-container/public/page");
        String logs = tomcat.awaitLog("JwtGate authentication module registered for the container started", Duration.ofSeconds(10));
        assertTrue(logs.contains("JwtGate authentication module registered for the container started")
                && logs.contains("realm=secured-container"), logs);
        assertTrue(logs.contains("JwtGate authentication module for [/secured] started"), logs);
    }
}
