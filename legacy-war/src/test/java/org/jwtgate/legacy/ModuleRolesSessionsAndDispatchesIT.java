package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The Jakarta Authentication module in the real Tomcat 11 and Jetty 12 against what docs/operations.md
 * ("Container-managed security", "Containers' differences") and the Servlet Container Profile say: sessions, role
 * {@code **} and {@code *} in auth-constraints, a security-role-ref, an async dispatch on a protected resource and one
 * into a protected path (not checked against the constraints, as forwards), a 403 error page that is itself protected,
 * expired tokens on public and protected resources, large POSTs refused, request.authenticate() after
 * request.logout() and after the page committed, DPoP nonces. Answers only printed are not documented.
 */
class ModuleRolesSessionsAndDispatchesIT {

    static final String APP = "secured-roles";

    static void writeVariant(Path dir) throws IOException {
        String probe = CallerProbeServlet.class.getName();
        Path war = LegacyApps.variant(SecuredApps.builtWar(), dir, APP, Map.of(
                "<display-name>JwtGate secured example</display-name>", "<display-name>roles</display-name>"
                        + "<servlet><servlet-name>rprobe</servlet-name><servlet-class>" + probe + "</servlet-class>"
                        + "<async-supported>true</async-supported>"
                        + "<security-role-ref><role-name>boss</role-name><role-link>admin</role-link></security-role-ref>"
                        + "</servlet>"
                        + "<servlet-mapping><servlet-name>rprobe</servlet-name><url-pattern>/probe/*</url-pattern>"
                        + "<url-pattern>/admin/probe/*</url-pattern><url-pattern>/any/*</url-pattern>"
                        + "<url-pattern>/known/*</url-pattern><url-pattern>/deny/*</url-pattern><url-pattern>/admin/denied</url-pattern></servlet-mapping>"
                        + "<security-constraint><web-resource-collection><web-resource-name>any</web-resource-name>"
                        + "<url-pattern>/any/*</url-pattern></web-resource-collection>"
                        + "<auth-constraint><role-name>**</role-name></auth-constraint></security-constraint>"
                        + "<security-constraint><web-resource-collection><web-resource-name>known</web-resource-name>"
                        + "<url-pattern>/known/*</url-pattern></web-resource-collection>"
                        + "<auth-constraint><role-name>*</role-name></auth-constraint></security-constraint>"
                        + "<security-constraint><web-resource-collection><web-resource-name>deny</web-resource-name>"
                        + "<url-pattern>/deny/*</url-pattern></web-resource-collection><auth-constraint/></security-constraint>"
                        + "<error-page><error-code>403</error-code><location>/admin/denied</location></error-page>"));
        SecuredApps.addClass(war, CallerProbeServlet.class);
        Path nonce = LegacyApps.variant(SecuredApps.builtWar(), dir, NONCE_APP, Map.of(
                "<param-name>jwtgate.realm</param-name>",
                "<param-name>jwtgate.dpop.mode</param-name><param-value>allowed</param-value></context-param>"
                        + "<context-param><param-name>jwtgate.dpop.nonce</param-name><param-value>required</param-value></context-param>"
                        + "<context-param><param-name>jwtgate.dpop.nonce-secret</param-name><param-value>roles-nonce-secret-00123456789abcdef</param-value></context-param>"
                        + "<context-param><param-name>jwtgate.realm</param-name>"));
    }

    static final String NONCE_APP = "secured-roles-nonce";

    /** dpop.nonce=required through the module: 401 use_dpop_nonce carrying DPoP-Nonce, then the proof with it passes. */
    private static List<Executable> checkNonce(ServletContainer c) throws Exception {
        DpopKey key = DpopKey.es256();
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "admin"), key));
        String path = "/" + NONCE_APP + "/admin/page";
        java.net.http.HttpResponse<String> first = c.get(path, "Authorization", "DPoP " + token,
                "DPoP", key.proof("GET", c.uri(path).toString()).accessToken(token).sign());
        String nonce = first.headers().firstValue("DPoP-Nonce").orElse(null);
        System.out.println("ROLES " + c.name() + " nonceFirst " + first.statusCode() + " " + first.headers().map() + " " + first.body());
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(401, first.statusCode(), first.headers().map() + " " + first.body()));
        checks.add(() -> assertTrue(nonce != null, "no DPoP-Nonce on use_dpop_nonce: " + first.headers().map()));
        if (nonce != null) {
            java.net.http.HttpResponse<String> second = c.get(path, "Authorization", "DPoP " + token,
                    "DPoP", key.proof("GET", c.uri(path).toString()).accessToken(token).nonce(nonce).sign());
            System.out.println("ROLES " + c.name() + " nonceSecond " + second.statusCode() + " " + second.headers().map() + " " + second.body());
            checks.add(() -> assertEquals(200, second.statusCode(), second.body()));
            checks.add(() -> assertTrue(second.body().startsWith("who user=alice admin=true staff=false auth=DPoP"), second.body()));
        }
        return checks;
    }

    private static String expired(String subject, String... groups) {
        JwtClaims claims = TestTokens.claims(subject, groups);
        claims.setIssuedAt(TestTokens.secondsFromNow(-3600));
        claims.setExpirationTime(TestTokens.secondsFromNow(-1800));
        return TestTokens.hs256(claims);
    }

    private static String cookieOf(RawHttp.Response response) {
        List<String> all = new ArrayList<>();
        response.headers().forEach((name, values) -> {
            if (name.equalsIgnoreCase("Set-Cookie")) {
                all.addAll(values);
            }
        });
        return all.stream().filter(c -> c.startsWith("JSESSIONID=")).map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                .findFirst().orElse(null);
    }

    private static void check(ServletContainer c, boolean tomcat) {
        String p = "/" + APP;
        String admin = SecuredApps.token("alice", "admin");
        String bearer = "Authorization: Bearer ";
        Map<String, RawHttp.Response> seen = new java.util.LinkedHashMap<>();
        seen.put("publicAdmin", RawHttp.get(c.httpPort, p + "/probe/x", bearer + admin));
        seen.put("protectedAdmin", RawHttp.get(c.httpPort, p + "/admin/probe/x", bearer + admin));
        seen.put("anyNoRoles", RawHttp.get(c.httpPort, p + "/any/x", bearer + SecuredApps.token("nina")));
        seen.put("anyGuest", RawHttp.get(c.httpPort, p + "/any/x", bearer + SecuredApps.token("gus", "guest")));
        seen.put("anyNone", RawHttp.get(c.httpPort, p + "/any/x"));
        seen.put("knownGuest", RawHttp.get(c.httpPort, p + "/known/x", bearer + SecuredApps.token("gus", "guest")));
        seen.put("knownStar", RawHttp.get(c.httpPort, p + "/known/x", bearer + SecuredApps.token("sam", "*")));
        seen.put("knownStaff", RawHttp.get(c.httpPort, p + "/known/x", bearer + SecuredApps.token("bob", "staff")));
        RawHttp.Response withSession = RawHttp.get(c.httpPort, p + "/admin/probe/x?session", bearer + admin);
        seen.put("sessionCreate", withSession);
        String cookie = cookieOf(withSession);
        if (cookie != null) {
            seen.put("sessionOnlyProtected", RawHttp.get(c.httpPort, p + "/admin/probe/x", "Cookie: " + cookie));
            seen.put("sessionOnlyPublic", RawHttp.get(c.httpPort, p + "/probe/x", "Cookie: " + cookie));
            seen.put("sessionOnlyAny", RawHttp.get(c.httpPort, p + "/any/x", "Cookie: " + cookie));
        }
        String old = expired("alice", "admin");
        seen.put("expiredPublic", RawHttp.get(c.httpPort, p + "/probe/x", bearer + old));
        seen.put("expiredProtected", RawHttp.get(c.httpPort, p + "/admin/probe/x", bearer + old));
        seen.put("asyncProtected", RawHttp.get(c.httpPort, p + "/admin/probe/x?async", bearer + admin));
        seen.put("asyncProtectedNone", RawHttp.get(c.httpPort, p + "/admin/probe/x?async"));
        seen.put("forbiddenProtectedErrorPage", RawHttp.get(c.httpPort, p + "/admin/page", bearer + SecuredApps.token("bob", "staff")));
        seen.put("loginPublic", RawHttp.get(c.httpPort, p + "/probe/x?login"));
        seen.put("loginProtected", RawHttp.get(c.httpPort, p + "/admin/probe/x?login", bearer + admin));
        seen.put("authcNone", RawHttp.get(c.httpPort, p + "/probe/x?authc"));
        seen.put("reloginProtected", RawHttp.get(c.httpPort, p + "/admin/probe/x?relogin", bearer + admin));
        seen.put("denyNone", RawHttp.get(c.httpPort, p + "/deny/x"));
        seen.put("denyAdmin", RawHttp.get(c.httpPort, p + "/deny/x", bearer + admin));
        String big = "x".repeat(3 * 1024 * 1024);
        seen.put("bigPostNone", RawHttp.request(c.httpPort, "POST", p + "/admin/page", big, "Content-Type: application/octet-stream"));
        seen.put("bigPostExpired", RawHttp.request(c.httpPort, "POST", p + "/admin/page", big, "Content-Type: application/octet-stream",
                bearer + old));
        seen.put("asyncIntoProtectedNone", RawHttp.get(c.httpPort, p + "/probe/x?asyncto=/admin/page"));
        seen.put("asyncIntoProtectedStaff", RawHttp.get(c.httpPort, p + "/probe/x?asyncto=/admin/page", bearer + SecuredApps.token("bob", "staff")));
        seen.forEach((name, response) -> System.out.println("ROLES " + c.name() + " " + name + " " + response));

        List<Executable> checks = new ArrayList<>();
        RawHttp.Response r;
        // Tomcat and Jetty: the same answers on a protected resource for role names and the role-ref.
        RawHttp.Response pa = seen.get("protectedAdmin");
        checks.add(() -> assertEquals(200, pa.status(), "protectedAdmin " + pa));
        checks.add(() -> assertTrue(pa.body().startsWith("probe user=alice admin=true boss=true staff=false"),
                "role-ref boss->admin on a protected resource: " + pa.body()));
        checks.add(() -> assertTrue(pa.body().contains(" star=false"), "isUserInRole(\"*\"): " + pa.body()));
        // operations.md: "Protect every resource that needs the user (a role, or <role-name>**</role-name> for any authenticated user)"
        RawHttp.Response anyNoRoles = seen.get("anyNoRoles");
        checks.add(() -> assertEquals(200, anyNoRoles.status(), "role ** with a valid token holding no role: " + anyNoRoles));
        RawHttp.Response anyGuest = seen.get("anyGuest");
        checks.add(() -> assertEquals(200, anyGuest.status(), "role ** with a valid token holding an undeclared role: " + anyGuest));
        RawHttp.Response anyNone = seen.get("anyNone");
        checks.add(() -> assertEquals(401, anyNone.status(), "role ** without a token: " + anyNone));
        checks.add(() -> assertEquals(403, seen.get("knownGuest").status(), "role * with an undeclared role: " + seen.get("knownGuest")));
        checks.add(() -> assertEquals(403, seen.get("knownStar").status(), "role * with the token role '*': " + seen.get("knownStar")));
        checks.add(() -> assertEquals(200, seen.get("knownStaff").status(), "role * with a declared role: " + seen.get("knownStaff")));
        // operations.md: "An HTTP session never authenticates a request by itself".
        checks.add(() -> assertEquals(200, withSession.status(), "sessionCreate " + withSession));
        if (cookie != null) {
            RawHttp.Response so = seen.get("sessionOnlyProtected");
            checks.add(() -> assertEquals(401, so.status(), "session cookie only, protected: " + so));
            RawHttp.Response sp = seen.get("sessionOnlyPublic");
            checks.add(() -> assertTrue(sp.body().startsWith("probe user=anonymous"), "session cookie only, public: " + sp));
            RawHttp.Response sa = seen.get("sessionOnlyAny");
            checks.add(() -> assertEquals(401, sa.status(), "session cookie only, role **: " + sa));
        }
        RawHttp.Response ep = seen.get("expiredProtected");
        checks.add(() -> assertEquals(401, ep.status(), "expired, protected: " + ep));
        checks.add(() -> assertTrue(String.valueOf(ep.header("WWW-Authenticate")).contains("error=\"invalid_token\""), "expired, protected: " + ep));
        RawHttp.Response epub = seen.get("expiredPublic");
        checks.add(() -> assertEquals(tomcat ? 401 : 200, epub.status(), "expired, public (operations.md: Tomcat verifies, Jetty does not look): " + epub));
        RawHttp.Response ap = seen.get("asyncProtected");
        checks.add(() -> assertEquals(200, ap.status(), "async, protected: " + ap));
        checks.add(() -> assertTrue(ap.body().startsWith("probe user=alice admin=true"), "async, protected: " + ap));
        checks.add(() -> assertTrue(ap.body().contains("dispatch=ASYNC"), "async, protected: " + ap));
        checks.add(() -> assertEquals(401, seen.get("asyncProtectedNone").status(), "async, protected, no token: " + seen.get("asyncProtectedNone")));
        for (String name : List.of("bigPostNone", "bigPostExpired")) {
            RawHttp.Response big3 = seen.get(name);
            checks.add(() -> assertEquals(401, big3.status(), name + ": " + big3));
            checks.add(() -> assertTrue(big3.body().startsWith("{\"error\":"), name + ": " + big3));
        }
        // operations.md: an async dispatch into a protected path is not checked against the constraints (as forwards):
        // it runs with the caller the request had, anonymous on Jetty even with a token, the token's on Tomcat.
        RawHttp.Response intoNone = seen.get("asyncIntoProtectedNone");
        checks.add(() -> assertEquals(200, intoNone.status(), "async dispatch into /admin/page, no token: " + intoNone));
        checks.add(() -> assertTrue(intoNone.body().startsWith("who user=anonymous"), "async dispatch, no token: " + intoNone));
        RawHttp.Response intoStaff = seen.get("asyncIntoProtectedStaff");
        checks.add(() -> assertEquals(200, intoStaff.status(), "async dispatch into /admin/page, role staff: " + intoStaff));
        checks.add(() -> assertTrue(intoStaff.body().startsWith(tomcat ? "who user=bob admin=false staff=true" : "who user=anonymous"),
                "async dispatch, role staff: " + intoStaff));
        // operations.md: after request.logout(), request.authenticate() with a valid token on a protected page: Tomcat
        // answers false with the 401 challenge (the token is not read again), Jetty throws ServletException.
        RawHttp.Response relogin = seen.get("reloginProtected");
        if (tomcat) {
            checks.add(() -> assertEquals(401, relogin.status(), "logout then authenticate, Tomcat: " + relogin));
            checks.add(() -> assertTrue(relogin.body().startsWith("{\"error\":\"unauthorized\""), "logout then authenticate, Tomcat: " + relogin));
        } else {
            checks.add(() -> assertEquals("authenticate-threw(Authentication failed)", relogin.body(), "logout then authenticate, Jetty: " + relogin));
        }
        // operations.md: request.authenticate() after the page committed throws IllegalStateException; nothing appended.
        RawHttp.Response authc = seen.get("authcNone");
        checks.add(() -> assertTrue(authc.body().startsWith("page sent,authenticate-threw(IllegalStateException),")
                && !authc.body().contains("\"error\":"), "authenticate() after commit: " + authc));
        RawHttp.Response fe = seen.get("forbiddenProtectedErrorPage");
        checks.add(() -> assertEquals(403, fe.status(), "403 with a protected error page: " + fe));
        if (tomcat) {
            RawHttp.Response pub = seen.get("publicAdmin");
            checks.add(() -> assertTrue(pub.body().startsWith("probe user=alice admin=true boss=true"), "public, Tomcat: " + pub.body()));
        }
        try {
            checks.addAll(checkNonce(c));
        } catch (Exception e) {
            checks.add(() -> { throw e; });
        }
        assertAll(c.name(), checks.stream());
    }

    @Test
    void tomcat() throws Exception {
        ModuleVariantRuns.inTomcat("roles-tomcat", APP, ModuleRolesSessionsAndDispatchesIT::writeVariant,
                Map.of("JWTGATE_REVOCATION_STORE", "memory"), c -> check(c, true));
    }

    @Test
    void jetty() throws Exception {
        ModuleVariantRuns.inJetty("roles-jetty", APP, ModuleRolesSessionsAndDispatchesIT::writeVariant,
                Map.of("JWTGATE_REVOCATION_STORE", "memory"), c -> check(c, false));
    }
}
