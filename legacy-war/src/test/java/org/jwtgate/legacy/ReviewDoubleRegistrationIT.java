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
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A review's probe: the module registered twice for one application, by the administrator (conf/tomcat/jaspic-providers.xml,
 * conf/jetty-authentication/etc/jwtgate-authentication.xml, both for /secured-container) and by the WAR's own
 * context-param (realm "by-param"). In both containers the administrator's settings give way to the WAR's and nothing
 * says so in the log. On Tomcat, once that WAR served, correcting it (the WAR the administrator's registration expects,
 * redeployed) leaves the application without the administrator's registration until Tomcat restarts: one 500, then
 * token clients get the WAR's {@code <login-config>} (a BASIC challenge) instead.
 */
class ReviewDoubleRegistrationIT {

    private static final String PAGE = "/" + SecuredApps.CONTAINER + "/admin/page";

    /** Beside the administrator's registration for /secured-container, and a WAR there that also switches the module on. */
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

    /** Both registrations: the WAR's replaced the administrator's, and nothing says so. */
    private static void checkReplacedSilently(ServletContainer c) {
        String admin = SecuredApps.token("alice", "admin");
        RawHttp.Response twice = RawHttp.get(c.httpPort, PAGE);
        RawHttp.Response served = RawHttp.get(c.httpPort, PAGE, "Authorization: Bearer " + admin);
        String logs = c.logs();
        System.out.println("=== REVIEW " + c.name() + "\nTWICE " + twice + "\nSERVED " + served);
        assertAll(c.name(),
                () -> assertEquals(200, served.status(), served.toString()),
                // Which registration answers while both are there: the WAR's (realm by-param) replaced the administrator's.
                () -> assertTrue(!twice.toString().contains("by-param") || logs.lines().anyMatch(l -> l.contains(SecuredApps.CONTAINER)
                        && (l.contains("WARN") || l.contains("SEVERE") || l.contains("ERROR")) && l.toLowerCase().contains("regist")),
                        "the WAR's context-param registration replaced the administrator's with nothing logged: " + twice));
    }

    /** Corrected (the WAR without JwtGate the administrator's registration expects), the application must be the administrator's again. */
    private static void checkCorrected(ServletContainer c, Path webapps, Path staging) throws Exception {
        String admin = SecuredApps.token("alice", "admin");
        writeCorrected(webapps, staging);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
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
        System.out.println("=== REVIEW " + c.name() + " corrected\nMARKER " + seen + marker
                + "\nNOTOKEN " + noToken + "\nWITHTOKEN " + withToken);
        assertAll(c.name(),
                () -> assertTrue(marker.body().contains("corrected"), "the corrected WAR was not deployed: " + seen + marker),
                // Corrected, the application is the administrator's again: JwtGate's challenge, and the token accepted.
                () -> assertEquals("Bearer realm=\"" + SecuredApps.CONTAINER + "\"", noToken.header("WWW-Authenticate"),
                        "after the corrected WAR was deployed: " + noToken),
                () -> assertEquals(200, withToken.status(), "after the corrected WAR was deployed: " + withToken));
    }

    @Test
    void tomcat() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("review-twice-tomcat");
        Path staging = Files.createDirectories(instance.resolve("staging"));
        try (TomcatContainer tomcat = new TomcatContainer(instance, (base, conf) -> {
            Files.writeString(base.resolve("bin/setenv.sh"), "export JWTGATE_REVOCATION_STORE=memory\n"
                    + "export APP_JWT_SECRET='" + TestTokens.SECRET + "'\n");
            Files.copy(conf.resolve("tomcat/jaspic-providers.xml"), base.resolve("conf/jaspic-providers.xml"),
                    StandardCopyOption.REPLACE_EXISTING);
            SecuredApps.copyLibraries(base.resolve("lib"), true);
            writeDoubleRegistration(base.resolve("webapps"));
        })) {
            Map<String, String> env = new HashMap<>(tomcat.catalinaEnvironment());
            tomcat.start(env, "/" + SecuredApps.CONTAINER + "/public/ping");
            assertAll(() -> checkReplacedSilently(tomcat), () -> checkCorrected(tomcat, instance.resolve("webapps"), staging));
        }
    }

    @Test
    void jetty() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("review-twice-jetty");
        Path[] webapps = new Path[1];
        try (JettyContainer jetty = new JettyContainer(instance, "jetty-authentication", base -> {
            SecuredApps.copyLibraries(base.resolve("lib/jwtgate"), false);
            webapps[0] = Files.createDirectories(base.resolve("webapps"));
            writeDoubleRegistration(webapps[0]);
        })) {
            Map<String, String> env = new HashMap<>(SecuredApps.applicationSecrets());
            env.put("APP_JWT_SECRET", TestTokens.SECRET);
            env.put("JWTGATE_REVOCATION_STORE", "memory");
            jetty.start(env, "/" + SecuredApps.CONTAINER + "/public/ping");
            checkReplacedSilently(jetty); // hot redeployment is not on in this base (scanInterval 0): the correction is Tomcat's case
        }
    }
}
