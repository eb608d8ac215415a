package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The module's answers (security.md's table, operations.md "Container-managed security") in the real
 * Tomcat 11 and Jetty 12 when the application declares error pages for 400/401/403/503, and for HEAD.
 */
class ModuleAnswersUnderErrorPagesIT {

    static final String APP = "secured-errpages";

    static void writeVariant(Path dir) throws IOException {
        String pages = "";
        for (int code : new int[] {400, 401, 403, 503}) {
            pages += "<error-page><error-code>" + code + "</error-code><location>/error-page</location></error-page>";
        }
        Path war = LegacyApps.variant(SecuredApps.builtWar(), dir, APP, Map.of(
                "<display-name>JwtGate secured example</display-name>", "<display-name>errpages</display-name>"
                        + "<servlet><servlet-name>probe</servlet-name><servlet-class>" + DispatchProbeServlet.class.getName()
                        + "</servlet-class></servlet>"
                        + "<servlet-mapping><servlet-name>probe</servlet-name><url-pattern>/error-page</url-pattern></servlet-mapping>"
                        + pages));
        SecuredApps.addClass(war, DispatchProbeServlet.class);
    }

    private static void check(ServletContainer c, boolean unprotectedResourcesSeeTheCaller) {
        String p = "/" + APP + "/admin/page";
        RawHttp.Response none = RawHttp.get(c.httpPort, p);
        RawHttp.Response bad = RawHttp.get(c.httpPort, p, "Authorization: Bearer " + SecuredApps.token("alice", "admin") + "x");
        RawHttp.Response malformed = RawHttp.get(c.httpPort, p, "Authorization: Bearer ab!cd");
        RawHttp.Response staff = RawHttp.get(c.httpPort, p, "Authorization: Bearer " + SecuredApps.token("bob", "staff"));
        RawHttp.Response head = RawHttp.request(c.httpPort, "HEAD", p, "");
        RawHttp.Response headBad = RawHttp.request(c.httpPort, "HEAD", p, "",
                "Authorization: Bearer " + SecuredApps.token("alice", "admin") + "x");
        RawHttp.Response headMalformed = RawHttp.request(c.httpPort, "HEAD", p, "", "Authorization: Bearer ab!cd");
        RawHttp.Response headStaff = RawHttp.request(c.httpPort, "HEAD", p, "",
                "Authorization: Bearer " + SecuredApps.token("bob", "staff"));
        RawHttp.Response csrf = RawHttp.request(c.httpPort, "POST", "/" + APP + "/reports/q1", "x=1",
                "Cookie: access_token=" + SecuredApps.token("alice", "admin"), "Content-Type: application/x-www-form-urlencoded");
        RawHttp.Response authNone = RawHttp.get(c.httpPort, "/" + APP + "/public/page?authenticate");
        RawHttp.Response authToken = RawHttp.get(c.httpPort, "/" + APP + "/public/page?authenticate",
                "Authorization: Bearer " + SecuredApps.token("alice", "admin"));
        System.out.println("CSRF " + csrf + "\nAUTHNONE " + authNone + "\nAUTHTOKEN " + authToken);
        System.out.println("=== " + c.name() + "\nNONE " + none + "\nBAD " + bad + "\nMALFORMED " + malformed + "\nSTAFF " + staff
                + "\nHEAD " + head + "\nHEADBAD " + headBad + "\nHEADMALFORMED " + headMalformed + "\nHEADSTAFF " + headStaff);
        assertAll(c.name(),
                () -> assertEquals(401, none.status(), none.toString()),
                () -> assertEquals("Bearer realm=\"secured\"", none.header("WWW-Authenticate"), none.toString()),
                () -> assertTrue(none.body().contains("{\"error\":\"unauthorized\""), none.toString()),
                () -> assertEquals(401, bad.status(), bad.toString()),
                () -> assertTrue(String.valueOf(bad.header("WWW-Authenticate")).contains("error=\"invalid_token\""), bad.toString()),
                () -> assertTrue(bad.body().contains("{\"error\":\"invalid_token\""), bad.toString()),
                () -> assertEquals(400, malformed.status(), malformed.toString()),
                () -> assertTrue(String.valueOf(malformed.header("WWW-Authenticate")).contains("error=\"invalid_request\""),
                        malformed.toString()),
                () -> assertTrue(malformed.body().contains("{\"error\":\"invalid_request\""), malformed.toString()),
                () -> assertEquals(403, staff.status(), staff.toString()),
                () -> assertEquals(401, head.status(), head.toString()),
                () -> assertEquals("Bearer realm=\"secured\"", head.header("WWW-Authenticate"), head.toString()),
                () -> assertEquals("", head.body(), head.toString()),
                () -> assertEquals(401, headBad.status(), headBad.toString()),
                () -> assertTrue(String.valueOf(headBad.header("WWW-Authenticate")).contains("error=\"invalid_token\""),
                        headBad.toString()),
                () -> assertEquals("", headBad.body(), headBad.toString()),
                () -> assertEquals(400, headMalformed.status(), headMalformed.toString()),
                () -> assertEquals("", headMalformed.body(), headMalformed.toString()),
                () -> assertEquals(403, headStaff.status(), headStaff.toString()),
                () -> assertEquals(403, csrf.status(), csrf.toString()),
                () -> assertTrue(csrf.body().contains("{\"error\":\"csrf_refused\""), csrf.toString()),
                () -> assertEquals(401, authNone.status(), "authenticate() without a token: " + authNone),
                () -> assertEquals("Bearer realm=\"secured\"", authNone.header("WWW-Authenticate"), authNone.toString()),
                // Jetty hides an unprotected resource's request from the module: it cannot see the token, but must answer.
                () -> assertTrue(unprotectedResourcesSeeTheCaller ? authToken.body().startsWith("authenticated user=alice")
                        : authToken.status() == 401, "authenticate() with a token: " + authToken),
                // Tomcat's 403 error page sees the caller, Jetty's does not (not in operations.md "Containers' differences").
                () -> assertTrue(staff.body().contains(unprotectedResourcesSeeTheCaller ? "user=bob" : "user=anonymous"),
                        "the 403 error page: " + staff));
    }

    @Test
    void tomcat() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("errpages-tomcat");
        try (TomcatContainer tomcat = new TomcatContainer(instance, (base, conf) -> {
            Files.writeString(base.resolve("bin/setenv.sh"), "export JWTGATE_REVOCATION_STORE=memory\n"
                    + "export APP_JWT_SECRET='" + TestTokens.SECRET + "'\n");
            writeVariant(base.resolve("webapps"));
        })) {
            Map<String, String> env = new HashMap<>(tomcat.catalinaEnvironment());
            tomcat.start(env, "/" + APP + "/public/ping");
            check(tomcat, true);
        }
    }

    @Test
    void jetty() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("errpages-jetty-authentication");
        try (JettyContainer jetty = new JettyContainer(instance, "jetty-authentication", base -> {
            SecuredApps.copyLibraries(base.resolve("lib/jwtgate"), false);
            writeVariant(base.resolve("webapps"));
            Files.writeString(base.resolve("jul.properties"), "org.jwtgate.level = FINE\n", java.nio.file.StandardOpenOption.APPEND);
        })) {
            Map<String, String> env = new HashMap<>(SecuredApps.applicationSecrets());
            env.put("APP_JWT_SECRET", TestTokens.SECRET);
            env.put("JWTGATE_REVOCATION_STORE", "memory");
            jetty.start(env, "/" + APP + "/public/ping");
            try {
                check(jetty, false);
            } finally {
                System.out.println("JETTYLOG " + jetty.logs().lines().filter(l -> l.contains("jwtgate") || l.contains("Blocking"))
                        .filter(l -> l.contains("page")).toList());
            }
        }
    }
}
