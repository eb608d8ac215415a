package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The module registered twice for one application, by the administrator (conf/tomcat/jaspic-providers.xml,
 * conf/jetty-authentication/etc/jwtgate-authentication.xml, both for /secured-container) and by the WAR's own
 * context-param jwtgate.authentication (realm "by-param"): the WAR's deployment is refused, its log naming the
 * context-param, the application context and the administrator's provider, and the administrator's registration is left
 * as it was. The other application of the container (secured.war, registered by its own context-param) keeps serving.
 * On Tomcat, the corrected WAR (the one the administrator's registration expects) deployed afterwards gets the
 * administrator's registration, without a restart.
 */
class DoubleRegistrationIT {

    private static final String PAGE = "/" + SecuredApps.CONTAINER + "/admin/page";
    private static final String PING = "/" + SecuredApps.CONTAINER + "/public/ping";
    /** The other application: registered by its own context-param, and the one the start waits for. */
    private static final String OTHER_PAGE = "/" + SecuredApps.SECURED + "/admin/page";
    private static final String OTHER_PING = "/" + SecuredApps.SECURED + "/public/ping";
    private static final String REFUSAL = "jwtgate.authentication: the container already registers an authentication"
            + " provider for this application (application context [";

    /** Beside the administrator's registration for /secured-container, a WAR there that also switches the module on. */
    static void writeDoubleRegistration(Path dir) throws IOException {
        LegacyApps.variant(SecuredApps.builtWar(), dir, SecuredApps.CONTAINER, Map.of(
                "<param-value>secured</param-value>", "<param-value>by-param</param-value>"));
    }

    /** The WAR the administrator expects at /secured-container, with a marker file telling this deployment from the first. */
    private static void writeCorrected(Path webapps, Path staging) throws IOException {
        SecuredApps.writeContainerVariant(staging);
        Path war = staging.resolve(SecuredApps.CONTAINER + ".war");
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + war.toUri()), Map.of())) {
            Files.writeString(zip.getPath("marker.txt"), "corrected\n");
        }
        Files.move(war, webapps.resolve(SecuredApps.CONTAINER + ".war"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The double registration refused at deployment: the application not served, the log saying why; the other one serves. */
    private static void checkRefused(ServletContainer c, int failedStatus, String appContext, String provider)
            throws InterruptedException {
        String admin = SecuredApps.token("alice", "admin");
        RawHttp.Response ping = RawHttp.get(c.httpPort, PING);
        RawHttp.Response page = RawHttp.get(c.httpPort, PAGE, "Authorization: Bearer " + admin);
        String expected = REFUSAL + appContext + "], provider [" + provider + "]); register the JwtGate module either by the"
                + " context-param jwtgate.authentication or by the container's configuration, not both";
        String logs = c.awaitLog(expected, Duration.ofSeconds(10));
        RawHttp.Response otherNoToken = RawHttp.get(c.httpPort, OTHER_PAGE);
        RawHttp.Response other = RawHttp.get(c.httpPort, OTHER_PAGE, "Authorization: Bearer " + admin);
        assertAll(c.name(),
                () -> assertEquals(failedStatus, ping.status(), "the double-registered application: " + ping),
                () -> assertEquals(failedStatus, page.status(), "the double-registered application, with a token: " + page),
                () -> assertTrue(logs.contains(expected), "the log names the context-param and the registration: " + logs),
                () -> assertTrue(!logs.contains(admin), "a token in the log"),
                () -> assertEquals("Bearer realm=\"" + SecuredApps.SECURED + "\"", otherNoToken.header("WWW-Authenticate"),
                        "the other application: " + otherNoToken),
                () -> assertEquals(200, other.status(), "the other application, with a token: " + other));
    }

    /** Corrected (the WAR without JwtGate the administrator's registration expects), the application is the administrator's. */
    private static void checkCorrected(ServletContainer c, Path webapps, Path staging) throws Exception {
        String admin = SecuredApps.token("alice", "admin");
        writeCorrected(webapps, staging);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        RawHttp.Response last = RawHttp.get(c.httpPort, "/" + SecuredApps.CONTAINER + "/marker.txt");
        StringBuilder seen = new StringBuilder();
        while (!last.body().contains("corrected") && System.nanoTime() < deadline) {
            seen.append(last.status()).append(' ');
            Thread.sleep(500);
            last = RawHttp.get(c.httpPort, "/" + SecuredApps.CONTAINER + "/marker.txt");
        }
        RawHttp.Response marker = last;
        RawHttp.Response noToken = RawHttp.get(c.httpPort, PAGE);
        RawHttp.Response withToken = RawHttp.get(c.httpPort, PAGE, "Authorization: Bearer " + admin);
        RawHttp.Response other = RawHttp.get(c.httpPort, OTHER_PAGE, "Authorization: Bearer " + admin);
        assertAll(c.name(),
                () -> assertTrue(marker.body().contains("corrected"), "the corrected WAR was not deployed: " + seen + marker),
                // The administrator's registration, untouched by the refused deployment: JwtGate's challenge, the token accepted.
                () -> assertEquals("Bearer realm=\"" + SecuredApps.CONTAINER + "\"", noToken.header("WWW-Authenticate"),
                        "after the corrected WAR was deployed: " + noToken),
                () -> assertEquals(200, withToken.status(), "after the corrected WAR was deployed: " + withToken),
                () -> assertEquals(200, other.status(), "the other application: " + other));
    }

    @Test
    void tomcat() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("double-registration-tomcat");
        Path staging = Files.createDirectories(instance.resolve("staging"));
        try (TomcatContainer tomcat = new TomcatContainer(instance, (base, conf) -> {
            Files.writeString(base.resolve("bin/setenv.sh"), "export JWTGATE_REVOCATION_STORE=memory\n"
                    + "export APP_JWT_SECRET='" + TestTokens.SECRET + "'\n");
            Files.copy(conf.resolve("tomcat/jaspic-providers.xml"), base.resolve("conf/jaspic-providers.xml"),
                    StandardCopyOption.REPLACE_EXISTING);
            SecuredApps.copyLibraries(base.resolve("lib"), true);
            writeDoubleRegistration(base.resolve("webapps"));
            Files.copy(SecuredApps.builtWar(), base.resolve("webapps").resolve(SecuredApps.SECURED + ".war"),
                    StandardCopyOption.REPLACE_EXISTING);
        })) {
            Map<String, String> env = new HashMap<>(tomcat.catalinaEnvironment());
            tomcat.start(env, OTHER_PING); // the double-registered application never answers 200
            checkRefused(tomcat, 404, "Catalina/localhost /" + SecuredApps.CONTAINER,
                    "org.apache.catalina.authenticator.jaspic.SimpleAuthConfigProvider");
            checkCorrected(tomcat, instance.resolve("webapps"), staging);
        }
    }

    @Test
    void jetty() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("double-registration-jetty");
        try (JettyContainer jetty = new JettyContainer(instance, "jetty-authentication", base -> {
            SecuredApps.copyLibraries(base.resolve("lib/jwtgate"), false);
            Path webapps = Files.createDirectories(base.resolve("webapps"));
            writeDoubleRegistration(webapps);
            Files.copy(SecuredApps.builtWar(), webapps.resolve(SecuredApps.SECURED + ".war"), StandardCopyOption.REPLACE_EXISTING);
        })) {
            Map<String, String> env = new HashMap<>(SecuredApps.applicationSecrets());
            env.put("APP_JWT_SECRET", TestTokens.SECRET);
            env.put("JWTGATE_REVOCATION_STORE", "memory");
            jetty.start(env, OTHER_PING); // the double-registered application never answers 200
            checkRefused(jetty, 503, "server /" + SecuredApps.CONTAINER,
                    "org.eclipse.jetty.ee10.security.jaspi.provider.JaspiAuthConfigProvider");
            // No corrected WAR here: this base deploys at start only (hot deployment off, scanInterval 0), so the
            // correction is Tomcat's case; Jetty's registration is the administrator's XML, which the refusal left alone.
        }
    }
}
