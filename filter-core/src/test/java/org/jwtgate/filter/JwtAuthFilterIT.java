package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testing.Causes;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The filter in a real Jetty over real HTTP, configured through the documented parameter names
 * ({@link ConfigKeys}): what the application sees (the rest of the Servlet API too), and every answer of RFC 6750.
 */
class JwtAuthFilterIT {

    private static final String REALM_ONLY = "Bearer realm=\"jwtgate\"";

    private static JettyApp app;
    /** The application of "the rest of the servlet API" below. */
    private static JettyApp servletApi;

    /** The documented init-params of the main test application. */
    static Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.PATHS_EXCLUDE, "/public/*, /health, *.css");
        params.put(ConfigKeys.PATHS_OPTIONAL, "/catalog/*");
        params.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin; /reports/*=analyst|admin");
        return params;
    }

    @BeforeAll
    static void start() throws Exception {
        app = JettyApp.start(params());
        servletApi = startServletApiApp();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            app.close();
        } finally {
            if (servletApi != null) {
                servletApi.close();
            }
        }
    }

    private static void assertJsonError(HttpResponse<String> response, String error) {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().map().toString());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        assertTrue(response.body().startsWith("{\"error\":\"" + error + "\",\"error_description\":\""), response.body());
    }

    // ---- authenticated requests --------------------------------------------------------------

    /**
     * With {@code revocation.store=none}, start-up lets {@code jwt.required-claims} leave out {@code jti} and
     * {@code sub}: such a token is valid and must pass. Before, the revocation step refused its missing identity with
     * an IllegalArgumentException, which the container answered with 500.
     */
    @Test
    void whenRevocationIsOffThenATokenWithoutJtiOrSubIsAuthenticatedNotAnError() throws Exception {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.REVOCATION_STORE, "none");
        params.put(ConfigKeys.JWT_REQUIRED_CLAIMS, "exp,iat");
        params.put(ConfigKeys.CLAIMS_PRINCIPAL, "email");
        JwtClaims noJti = TestTokens.claims("alice");
        noJti.unsetClaim("jti");
        noJti.setStringClaim("email", "alice@example.com");
        JwtClaims noSub = TestTokens.claims("alice");
        noSub.unsetClaim("sub");
        noSub.setStringClaim("email", "alice@example.com");
        try (JettyApp none = JettyApp.start(params)) {
            assertEquals(200, none.getWithToken("/api", TestTokens.hs256(noJti)).statusCode());
            assertEquals(200, none.getWithToken("/api", TestTokens.hs256(noSub)).statusCode());
        }
    }

    @Test
    void whenValidTokenThenServletSeesPrincipalRolesAuthTypeRemoteUserAndClaims() throws Exception {
        HttpResponse<String> response = app.getWithToken("/api/orders", TestTokens.hs256("alice", "admin"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("user=alice admin=true auth=Bearer remote=alice claims=true", response.body());
    }

    @Test
    void whenValidTokenWithoutTheRoleThenIsUserInRoleIsFalse() throws Exception {
        HttpResponse<String> response = app.getWithToken("/api/orders", TestTokens.hs256("bob", "dev"));
        assertEquals(200, response.statusCode());
        assertEquals("user=bob admin=false auth=Bearer remote=bob claims=true", response.body());
    }

    @Test
    void whenValidTokenInTheCookieThenAuthenticated() throws Exception {
        HttpResponse<String> response = app.get("/api", "Cookie", "access_token=" + TestTokens.hs256("alice"));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("user=alice"), response.body());
    }

    // ---- 401 -------------------------------------------------------------------------------

    @Test
    void whenNoTokenThen401WithRealmOnlyChallenge() throws Exception {
        HttpResponse<String> response = app.get("/api");
        assertEquals(401, response.statusCode());
        assertEquals(REALM_ONLY, response.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertJsonError(response, "unauthorized");
    }

    @Test
    void whenAnotherAuthenticationSchemeThen401WithRealmOnlyChallenge() throws Exception {
        HttpResponse<String> response = app.get("/api", "Authorization", "Basic YWxpY2U6c2VjcmV0");
        assertEquals(401, response.statusCode());
        assertEquals(REALM_ONLY, response.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    /** RFC 9110 §11.1: "Bearer-v2" is a scheme of its own, not a malformed Bearer header (RFC 6750 §3.1: no error). */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"Bearer-v2", "Bearer.jwt", "Bearer_legacy"})
    void whenSchemeNameOnlyBeginsWithBearerThenItIsAnotherScheme(String scheme) throws Exception {
        String credentials = scheme + " " + TestTokens.hs256("alice");
        HttpResponse<String> response = app.get("/api", "Authorization", credentials);
        assertEquals(401, response.statusCode());
        assertEquals(REALM_ONLY, response.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertJsonError(response, "unauthorized");
        assertEquals(200, app.get("/catalog/x", "Authorization", credentials).statusCode());
    }

    @Test
    void whenTokenOnlyInTheQueryStringOrFormBodyThenItIsNotRead() throws Exception {
        String token = TestTokens.hs256("alice", "admin");
        assertEquals(401, app.get("/api?access_token=" + token).statusCode());
        HttpResponse<String> form = app.send(HttpRequest.newBuilder(app.uri("/api"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("access_token=" + token)).build());
        assertEquals(401, form.statusCode());
        assertEquals(REALM_ONLY, form.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void whenTokenBadThen401InvalidTokenWithJsonBody() throws Exception {
        String token = TestTokens.sign(TestTokens.claims("alice"), "HS256",
                TestTokens.hmacKey("wrong-secret-0123456789abcdefghijkl"), jws -> { });
        HttpResponse<String> response = app.getWithToken("/api", token);
        assertEquals(401, response.statusCode());
        assertEquals("Bearer realm=\"jwtgate\", error=\"invalid_token\", error_description=\"The access token is invalid\"",
                response.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals("{\"error\":\"invalid_token\",\"error_description\":\"The access token is invalid\"}", response.body());
        assertJsonError(response, "invalid_token");
    }

    @Test
    void whenTokenExpiredThen401SayingSo() throws Exception {
        JwtClaims claims = TestTokens.claims("alice");
        claims.setIssuedAt(TestTokens.secondsFromNow(-3600));
        claims.setExpirationTime(TestTokens.secondsFromNow(-600));
        HttpResponse<String> response = app.getWithToken("/api", TestTokens.hs256(claims));
        assertEquals(401, response.statusCode());
        assertEquals("Bearer realm=\"jwtgate\", error=\"invalid_token\", error_description=\"The access token expired\"",
                response.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void whenTokenRevokedThen401InvalidTokenRevoked() throws Exception {
        String token = TestTokens.hs256("carol", "admin");
        assertEquals(200, app.getWithToken("/api", token).statusCode());
        JwtPrincipal principal = app.filter().gate().verify(token);
        assertTrue(app.filter().revocationService().revoke(principal).durable());
        HttpResponse<String> response = app.getWithToken("/api", token);
        assertEquals(401, response.statusCode());
        assertEquals("Bearer realm=\"jwtgate\", error=\"invalid_token\", error_description=\"The access token has been revoked\"",
                response.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(200, app.getWithToken("/api", TestTokens.hs256("carol", "admin")).statusCode(),
                "another token of the same user is still accepted");
    }

    @Test
    void whenUserRevokedThenHisEarlierTokensAre401() throws Exception {
        JwtClaims earlier = TestTokens.claims("dave");
        earlier.setIssuedAt(TestTokens.secondsFromNow(-5));
        String token = TestTokens.hs256(earlier);
        assertEquals(200, app.getWithToken("/api", token).statusCode());
        app.filter().revocationService().revokeUser("dave");
        assertEquals(401, app.getWithToken("/api", token).statusCode());
    }

    // ---- 400 -------------------------------------------------------------------------------

    @ParameterizedTest(name = "Authorization [{0}]")
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer a b", "Bearer a,b", "Bearer \"abc\""})
    void whenAuthorizationHeaderMalformedThen400InvalidRequest(String header) throws Exception {
        RawHttp.Response response = RawHttp.get(app.port(), "/api", "Authorization: " + header);
        assertEquals(400, response.status(), response.toString());
        assertTrue(response.header("WWW-Authenticate").contains("error=\"invalid_request\""), response.toString());
        assertEquals("no-store", response.header("Cache-Control"));
        assertTrue(response.body().startsWith("{\"error\":\"invalid_request\""), response.body());
    }

    @Test
    void whenTwoAuthorizationHeadersThen400InvalidRequest() {
        String token = TestTokens.hs256("alice");
        RawHttp.Response response = RawHttp.get(app.port(), "/api", "Authorization: Bearer " + token,
                "Authorization: Bearer " + token);
        assertEquals(400, response.status(), response.toString());
        assertTrue(response.header("WWW-Authenticate").contains("error=\"invalid_request\""), response.toString());
    }

    @Test
    void whenHeaderAndCookieCarryDifferentTokensThen400InvalidRequest() throws Exception {
        HttpResponse<String> response = app.get("/api", "Authorization", "Bearer " + TestTokens.hs256("alice"),
                "Cookie", "access_token=" + TestTokens.hs256("mallory", "admin"));
        assertEquals(400, response.statusCode());
        assertJsonError(response, "invalid_request");
    }

    @Test
    void whenHeaderAndCookieCarryTheSameTokenThenAccepted() throws Exception {
        String token = TestTokens.hs256("alice");
        HttpResponse<String> response = app.get("/api", "Authorization", "Bearer " + token, "Cookie", "access_token=" + token);
        assertEquals(200, response.statusCode());
    }

    // ---- paths ------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/public/index.html", "/public", "/health", "/styles/site.css"})
    void whenPathExcludedThenNoTokenNeeded(String path) throws Exception {
        HttpResponse<String> response = app.get(path);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("user=anonymous"), response.body());
    }

    @Test
    void whenPathExcludedThenEvenABadTokenIsIgnored() throws Exception {
        assertEquals(200, app.getWithToken("/health", "not.a.token").statusCode());
    }

    @Test
    void whenPathOptionalAndNoTokenThenAnonymous() throws Exception {
        HttpResponse<String> response = app.get("/catalog/42");
        assertEquals(200, response.statusCode());
        assertEquals("user=anonymous admin=false auth=null remote=null claims=false", response.body());
    }

    @Test
    void whenPathOptionalAndValidTokenThenAuthenticated() throws Exception {
        HttpResponse<String> response = app.getWithToken("/catalog/42", TestTokens.hs256("alice", "admin"));
        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("user=alice admin=true auth=Bearer"), response.body());
    }

    @Test
    void whenPathOptionalAndBadTokenThen401() throws Exception {
        HttpResponse<String> response = app.getWithToken("/catalog/42", TestTokens.hs256("alice") + "x");
        assertEquals(401, response.statusCode());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
    }

    @Test
    void whenRoleMissingThen403InsufficientScope() throws Exception {
        HttpResponse<String> response = app.getWithToken("/admin/users", TestTokens.hs256("bob", "dev"));
        assertEquals(403, response.statusCode());
        assertEquals("Bearer realm=\"jwtgate\", error=\"insufficient_scope\", "
                + "error_description=\"The access token lacks a role this resource requires\", scope=\"admin\"",
                response.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertJsonError(response, "insufficient_scope");
    }

    @Test
    void whenOneOfTheRolesPresentThenAllowed() throws Exception {
        assertEquals(200, app.getWithToken("/admin/users", TestTokens.hs256("alice", "admin")).statusCode());
        assertEquals(200, app.getWithToken("/reports/q1", TestTokens.hs256("erin", "analyst")).statusCode());
        assertEquals(403, app.getWithToken("/reports/q1", TestTokens.hs256("bob", "dev")).statusCode());
    }

    /**
     * {@code **} is the servlet API's "any authenticated user", and the filter's own {@code isUserInRole("**")} says
     * so: a paths.roles rule naming it admits every caller, which inside paths.optional makes a path need a token.
     * Before, the rule asked the token for a role literally named {@code **}: every caller got 403.
     */
    @Test
    void whenARoleRuleNamesTheAnyAuthenticatedUserRoleThenEveryCallerPassesAndAnonymousOnesAreAsked() throws Exception {
        try (JettyApp any = optionalCatalog("/catalog/edit/*=**")) {
            HttpResponse<String> response = any.getWithToken("/catalog/edit/42", TestTokens.hs256("bob", "dev"));
            assertEquals(200, response.statusCode(), response.headers().map() + " " + response.body());
            assertEquals(401, any.get("/catalog/edit/42").statusCode());
            assertEquals(200, any.get("/catalog/42").statusCode());
        }
    }

    /**
     * JAX-RS and Spring MVC 5 serve /catalog/edit/ as /catalog/edit. Before, the exact rule did not apply to the path
     * with a trailing slash: inside paths.optional an anonymous caller got 200 there, and a caller without the role too.
     */
    @Test
    void whenAnExactRoleRulesPathIsAskedWithATrailingSlashThenItsRoleIsRequiredToo() throws Exception {
        try (JettyApp catalog = optionalCatalog("/catalog/edit=editor")) {
            assertEquals(401, catalog.get("/catalog/edit/").statusCode());
            assertEquals(403, catalog.getWithToken("/catalog/edit/", TestTokens.hs256("bob", "dev")).statusCode());
            assertEquals(200, catalog.getWithToken("/catalog/edit/", TestTokens.hs256("eve", "editor")).statusCode());
            assertEquals(200, catalog.get("/catalog/42/").statusCode(), "no exact rule for /catalog/42");
        }
    }

    /** An app whose /catalog/* is optional, with one paths.roles rule. */
    private static JettyApp optionalCatalog(String roleRule) throws Exception {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.PATHS_OPTIONAL, "/catalog/*");
        params.put(ConfigKeys.PATHS_ROLES, roleRule);
        return JettyApp.start(params);
    }

    @Test
    void whenRolePathWithoutTokenThen401NotForbidden() throws Exception {
        assertEquals(401, app.get("/admin/users").statusCode());
    }

    /** Each of these must not reach the servlet without a token: 400 from Jetty, or 401 from the filter. */
    @ParameterizedTest(name = "GET {0}")
    @ValueSource(strings = {"/public/../api", "/public/./../api", "/public/x/../../api", "/public/..;/api",
            "/public/..;x=y/api", "/api;x=y", "/api;.css", "/api%3b.css", "/api%3B.css", "//api", "//public/../api",
            "/public/%2e%2e/api", "/public/%2E%2E/api", "/public/.%2e/api", "/public/%2e%2e%2fapi", "/public%2f..%2fapi",
            "/public%2F..%2Fapi", "/PUBLIC/x", "/api/x.css%00", "/api%00.css", "/public/..%5capi", "/public/..\\api",
            "/health/", "/health;/../api", "/api/%2e%2e/public/x/../../admin", "/./api", "/api/.", "/%2e/api"})
    void whenPathTrickAimsAtAProtectedPathThenNeverServedWithoutAToken(String target) {
        RawHttp.Response response = RawHttp.get(app.port(), target);
        assertTrue(response.status() == 400 || response.status() == 401, target + " → " + response);
        assertFalse(response.body().contains("user="), "reached the servlet: " + response);
    }

    @Test
    void whenAbsoluteFormTargetHidesDotSegmentsThenStillProtected() {
        RawHttp.Response response = RawHttp.get(app.port(), "http://127.0.0.1:" + app.port() + "/public/../api");
        assertTrue(response.status() == 400 || response.status() == 401, response.toString());
    }

    @Test
    void whenControlRequestsThenThePathTestsAreMeaningful() {
        // Same raw client: a plain public path is served, a plain protected one is 401.
        assertEquals(200, RawHttp.get(app.port(), "/public/x").status());
        assertEquals(401, RawHttp.get(app.port(), "/api").status());
    }

    // ---- CSRF --------------------------------------------------------------------------------

    private static HttpResponse<String> post(String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri("/api/orders")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return app.send(request.build());
    }

    @Test
    void whenCookieAuthenticatedPostProvesNoOriginThen403() throws Exception {
        HttpResponse<String> response = post("Cookie", "access_token=" + TestTokens.hs256("alice"));
        assertEquals(403, response.statusCode());
        assertJsonError(response, "csrf_refused");
    }

    @Test
    void whenCookieAuthenticatedPostIsCrossSiteThen403() throws Exception {
        String cookie = "access_token=" + TestTokens.hs256("alice");
        assertEquals(403, post("Cookie", cookie, "Sec-Fetch-Site", "cross-site").statusCode());
        assertEquals(403, post("Cookie", cookie, "Origin", "https://evil.example").statusCode());
        assertEquals(403, post("Cookie", cookie, "Referer", "https://evil.example/page").statusCode());
    }

    /**
     * A forged request is refused as such whatever roles its victim holds, as the Jakarta Authentication module does
     * (the container checks roles after it). Before, a user without the path's role got 403 insufficient_scope, so
     * the attack was counted and logged as a role refusal.
     */
    @Test
    void whenCrossSiteCookiePostByAUserWithoutThePathsRoleThen403CsrfRefused() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(app.uri("/admin/users")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .headers("Cookie", "access_token=" + TestTokens.hs256("bob", "dev"), "Origin", "https://evil.example")
                .build();
        HttpResponse<String> response = app.send(request);
        assertEquals(403, response.statusCode());
        assertJsonError(response, "csrf_refused");
    }

    @Test
    void whenCookieAuthenticatedPostIsSameOriginThenAllowed() throws Exception {
        String cookie = "access_token=" + TestTokens.hs256("alice");
        assertEquals(200, post("Cookie", cookie, "Sec-Fetch-Site", "same-origin").statusCode());
        assertEquals(200, post("Cookie", cookie, "Origin", "http://127.0.0.1:" + app.port()).statusCode());
        assertEquals(200, post("Cookie", cookie, "Referer", "http://127.0.0.1:" + app.port() + "/page").statusCode());
    }

    /**
     * A browser that sends neither Sec-Fetch-Site nor Origin (IE 11, Firefox before 70 with a form) is checked by its
     * Referer, the page's full address: one whose query holds "|" or a lone "%" (left as typed) was refused (403).
     */
    @Test
    void whenTheRefererOfTheOwnPageHoldsCharactersUriRefusesThenACookiePostIsAllowed() throws Exception {
        String cookie = "access_token=" + TestTokens.hs256("alice");
        String own = "http://127.0.0.1:" + app.port();
        assertEquals(200, post("Cookie", cookie, "Referer", own + "/search?q=a|b&discount=50%").statusCode());
        assertEquals(403, post("Cookie", cookie, "Referer", "https://evil.example/search?q=a|b").statusCode());
    }

    /**
     * Served under a host name with "_" (a Docker Compose service), a browser without Fetch Metadata sends that name in
     * Origin: it is the request's own origin. Before, java.net.URI found no host in it and the POST got 403.
     */
    @Test
    void whenTheHostNameHasAnUnderscoreThenASameOriginCookiePostIsAllowedAndACrossSiteOneRefused() throws Exception {
        String host = "my_app:" + app.port();
        String cookie = "Cookie: access_token=" + TestTokens.hs256("alice");
        assertEquals(200, statusOf(host, cookie, "Origin: http://" + host));
        assertEquals(200, statusOf(host, cookie, "Referer: http://" + host + "/page"));
        assertEquals(403, statusOf(host, cookie, "Origin: https://evil.example"));
        assertEquals(403, statusOf(host, cookie, "Origin: http://other_app:" + app.port()));
    }

    /** The status of a POST to /api/orders sent with this Host header (RawHttp always sends its own). */
    private static int statusOf(String host, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("POST /api/orders HTTP/1.1\r\nHost: " + host
                + "\r\nConnection: close\r\nContent-Length: 0\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(answer.split(" ", 3)[1]);
        }
    }

    @Test
    void whenHeaderAuthenticatedPostThenAllowedWhateverTheOrigin() throws Exception {
        HttpResponse<String> response = post("Authorization", "Bearer " + TestTokens.hs256("alice"),
                "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
        assertEquals(200, response.statusCode());
    }

    @Test
    void whenCookieAuthenticatedGetThenNoOriginNeeded() throws Exception {
        assertEquals(200, app.get("/api", "Cookie", "access_token=" + TestTokens.hs256("alice")).statusCode());
    }

    /**
     * A WebSocket opening handshake is a GET, but the socket it opens acts as the user: a page of another site that
     * opens one with the user's cookie (cross-site WebSocket hijacking) talks to it as the user. Browsers always send
     * Origin with it. Before, it passed as a safe GET and reached the application.
     */
    @Test
    void whenCookieAuthenticatedWebSocketHandshakeIsCrossSiteThen403CsrfRefused() throws Exception {
        String cookie = "Cookie: access_token=" + TestTokens.hs256("alice");
        RawHttp.Response response = upgrade("Upgrade: websocket", cookie, "Origin: https://evil.example");
        assertEquals(403, response.status(), response.toString());
        assertTrue(response.body().startsWith("{\"error\":\"csrf_refused\""), response.body());
        assertEquals(403, upgrade("Upgrade: websocket", cookie, "Sec-Fetch-Site: cross-site",
                "Origin: https://evil.example").status());
        assertEquals(403, upgrade("Upgrade: websocket", cookie).status(), "an Upgrade request that proves no origin");
        // Upgrade is a comma list of case-insensitive protocol names (RFC 9110 section 7.8), in one field or several.
        assertEquals(403, upgrade("Upgrade: foo/2, WebSocket", cookie, "Origin: https://evil.example").status());
        assertEquals(403, upgrade("Upgrade: foo/2", cookie, "Upgrade: WEBSOCKET", "Origin: https://evil.example")
                .status());
    }

    @Test
    void whenCookieAuthenticatedWebSocketHandshakeIsSameOriginThenAllowed() throws Exception {
        String cookie = "Cookie: access_token=" + TestTokens.hs256("alice");
        String own = "Origin: http://127.0.0.1:" + app.port();
        assertEquals(200, upgrade("Upgrade: websocket", cookie, own).status());
        assertEquals(200, upgrade("Upgrade: websocket", cookie, "Sec-Fetch-Site: same-origin", own).status());
        // Another protocol than websocket in Upgrade leaves a GET what it is.
        assertEquals(200, upgrade("Upgrade: websocketx", cookie, "Origin: https://evil.example").status());
    }

    @Test
    void whenHeaderAuthenticatedWebSocketHandshakeThenAllowedWhateverTheOrigin() throws Exception {
        RawHttp.Response response = upgrade("Upgrade: websocket", "Authorization: Bearer " + TestTokens.hs256("alice"),
                "Origin: https://evil.example", "Sec-Fetch-Site: cross-site");
        assertEquals(200, response.status(), response.toString());
        assertEquals("user=alice admin=false auth=Bearer remote=alice claims=true", response.body());
    }

    /**
     * An HTTP/1.1 opening handshake (RFC 6455 section 4.1) to /api/socket, with this Upgrade line and these header
     * lines too.
     */
    private static RawHttp.Response upgrade(String upgrade, String... headers) {
        String[] lines = new String[headers.length + 4];
        lines[0] = upgrade;
        lines[1] = "Connection: Upgrade";
        lines[2] = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
        lines[3] = "Sec-WebSocket-Version: 13";
        System.arraycopy(headers, 0, lines, 4, headers.length);
        return RawHttp.get(app.port(), "/api/socket", lines);
    }

    // ---- the rest of the servlet API ---------------------------------------------------------
    // An application that uses more of the Servlet API than getUserPrincipal(): logout, login, roles, sessions, its
    // own error pages, unwrapping, serialization (a review's probes; request.authenticate() is in DispatchIT).

    /** The filter mapped as README recommends (REQUEST, ASYNC, ERROR), sessions on, error pages for 403 and 500. */
    private static JettyApp startServletApiApp() throws Exception {
        return JettyApp.startContext(context -> {
            Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
            params.put(ConfigKeys.PATHS_EXCLUDE, "/public/*");
            params.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");
            context.setSessionHandler(new SessionHandler());
            FilterHolder holder = JettyApp.jwtGate(params);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
            context.addServlet(new ServletHolder(new ServletApiServlet()), "/");
            context.addServlet(new ServletHolder(new ErrorPageServlet()), "/error-page");
            ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
            errors.addErrorPage(403, "/error-page");
            errors.addErrorPage(500, "/error-page");
            context.setErrorHandler(errors);
        });
    }

    static String seen(HttpServletRequest request) {
        return "user=" + (request.getUserPrincipal() == null ? null : request.getUserPrincipal().getName())
                + " remote=" + request.getRemoteUser() + " auth=" + request.getAuthType()
                + " any=" + request.isUserInRole("**")
                + " attr=" + (request.getAttribute(JwtAuthFilter.PRINCIPAL_ATTRIBUTE) != null)
                + " current=" + JwtAuthFilter.currentPrincipal().map(JwtPrincipal::getName).orElse(null);
    }

    /** /api/logout, /api/login, /api/login-after-logout, /api/roles, /api/roles-after-logout, /api/session, … */
    static final class ServletApiServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
            response.setContentType("text/plain");
            PrintWriter out = response.getWriter();
            switch (request.getRequestURI()) {
                case "/api/logout" -> {
                    String before = seen(request);
                    request.logout();
                    out.print(before + " | " + seen(request));
                }
                case "/api/login" -> {
                    try {
                        request.login("bob", "pw");
                        out.print("logged-in " + seen(request));
                    } catch (ServletException e) {
                        out.print("refused " + seen(request));
                    }
                }
                case "/api/login-after-logout" -> {
                    request.logout();
                    try {
                        request.login("alice", "pw");
                        out.print("logged-in " + seen(request));
                    } catch (ServletException e) {
                        out.print("refused " + seen(request));
                    }
                }
                case "/api/roles" -> {
                    StringBuilder roles = new StringBuilder();
                    for (String role : new String[] {null, "", "*", "**", "admin", "Admin", "ADMIN", " admin"}) {
                        roles.append(role == null ? "null" : "[" + role + "]").append('=')
                                .append(request.isUserInRole(role)).append(' ');
                    }
                    out.print(roles.toString().strip());
                }
                case "/api/roles-after-logout" -> {
                    request.logout();
                    out.print("null=" + request.isUserInRole(null) + " any=" + request.isUserInRole("**")
                            + " admin=" + request.isUserInRole("admin"));
                }
                case "/api/session" -> {
                    HttpSession session = request.getSession(true);
                    session.setAttribute("user", request.getUserPrincipal());
                    out.print("names=" + Collections.list(session.getAttributeNames()));
                }
                case "/api/session-read" -> {
                    HttpSession session = request.getSession(false);
                    out.print("session=" + (session == null ? null : new TreeSet<>(Collections.list(session.getAttributeNames()))));
                }
                case "/api/unwrap" -> {
                    ServletRequestWrapper wrapper = (ServletRequestWrapper) request;
                    HttpServletRequest inner = (HttpServletRequest) wrapper.getRequest();
                    out.print("wrapperFor=" + wrapper.isWrapperFor(inner.getClass()) + " inner.user="
                            + inner.getUserPrincipal() + " inner.attr="
                            + (inner.getAttribute(JwtAuthFilter.PRINCIPAL_ATTRIBUTE) != null));
                }
                case "/api/serialize" -> {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (ObjectOutputStream objects = new ObjectOutputStream(bytes)) {
                        objects.writeObject(request.getUserPrincipal());
                    }
                    JwtPrincipal copy;
                    try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                        copy = (JwtPrincipal) objects.readObject();
                    } catch (ClassNotFoundException e) {
                        throw new ServletException(e);
                    }
                    out.print("equal=" + copy.equals(request.getUserPrincipal()) + " claims="
                            + copy.claims().equals(((JwtPrincipal) request.getUserPrincipal()).claims()));
                }
                case "/api/send-error-403" -> response.sendError(403, "application says no");
                case "/api/throw-after-logout" -> {
                    request.logout();
                    throw new ServletException("the application failed");
                }
                case "/api/body" -> out.print("read " + request.getInputStream().readAllBytes().length + " " + seen(request));
                default -> out.print("app " + seen(request));
            }
        }
    }

    /** An HTML error page, as applications have, that shows what the container hands it. */
    static final class ErrorPageServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/html");
            response.getWriter().print("<html>error " + request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) + " message="
                    + request.getAttribute(RequestDispatcher.ERROR_MESSAGE) + " " + seen(request) + "</html>");
        }
    }

    @Test
    void whenTheApplicationLogsOutThenTheCallerIsForgottenEverywhere() throws Exception {
        HttpResponse<String> answer = servletApi.getWithToken("/api/logout", TestTokens.hs256("alice", "user"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("user=alice remote=alice auth=Bearer any=true attr=true current=alice"
                + " | user=null remote=null auth=null any=false attr=false current=null", answer.body());
        HttpResponse<String> roles = servletApi.getWithToken("/api/roles-after-logout", TestTokens.hs256("alice", "admin"));
        assertEquals("null=false any=false admin=false", roles.body());
    }

    /** While the token's caller stands login() is refused; after logout() Jetty, without a login service, refuses too. */
    @Test
    void whenTheApplicationCallsLoginThenJettyWithoutALoginServiceRefusesIt() throws Exception {
        HttpResponse<String> standing = servletApi.getWithToken("/api/login", TestTokens.hs256("alice"));
        assertEquals("refused user=alice remote=alice auth=Bearer any=true attr=true current=alice", standing.body());
        HttpResponse<String> afterLogout = servletApi.getWithToken("/api/login-after-logout", TestTokens.hs256("alice"));
        assertEquals("refused user=null remote=null auth=null any=false attr=false current=null", afterLogout.body());
    }

    @Test
    void whenAskedForRoleNamesThenIsUserInRoleAnswersAsTheServletApiSays() throws Exception {
        HttpResponse<String> admin = servletApi.getWithToken("/api/roles", TestTokens.hs256("alice", "admin"));
        assertEquals("null=false []=false [*]=false [**]=true [admin]=true [Admin]=false [ADMIN]=false [ admin]=false",
                admin.body());
        // A token whose roles claim lists the empty string: isUserInRole("") is no role check anyone means.
        HttpResponse<String> empty = servletApi.getWithToken("/api/roles", TestTokens.hs256("alice", ""));
        assertTrue(empty.body().startsWith("null=false []=false"), empty.body());
    }

    @Test
    void whenAuthenticatedOrRefusedThenTheFilterCreatesNoSession() throws Exception {
        HttpResponse<String> answer = servletApi.getWithToken("/api/session-read", TestTokens.hs256("alice"));
        assertEquals("session=null", answer.body());
        assertEquals(List.of(), answer.headers().allValues("Set-Cookie"));
        HttpResponse<String> refused = servletApi.get("/api/session-read");
        assertEquals(401, refused.statusCode());
        assertEquals(List.of(), refused.headers().allValues("Set-Cookie"));
    }

    /** A session the application made authenticates nothing: the next request without a token is refused. */
    @Test
    void whenTheApplicationMadeASessionThenItDoesNotStandInForTheToken() throws Exception {
        HttpResponse<String> made = servletApi.getWithToken("/api/session", TestTokens.hs256("alice"));
        assertEquals("names=[user]", made.body());
        String cookie = made.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> again = servletApi.get("/api/session-read", "Cookie", cookie);
        assertEquals(401, again.statusCode(), again.body());
        HttpResponse<String> bob = servletApi.get("/api/session-read", "Cookie", cookie,
                "Authorization", "Bearer " + TestTokens.hs256("bob"));
        assertEquals("session=[user]", bob.body());
    }

    @Test
    void whenTheApplicationUnwrapsTheRequestThenTheContainersHasNoUserButTheAttribute() throws Exception {
        HttpResponse<String> answer = servletApi.getWithToken("/api/unwrap", TestTokens.hs256("alice"));
        assertEquals("wrapperFor=true inner.user=null inner.attr=true", answer.body());
    }

    /** The application's own 403 (sendError) goes to its error page, which sees the user. */
    @Test
    void whenTheApplicationSendsAnErrorThenItsErrorPageSeesTheUser() throws Exception {
        HttpResponse<String> answer = servletApi.getWithToken("/api/send-error-403", TestTokens.hs256("alice"));
        assertEquals(403, answer.statusCode());
        assertEquals("<html>error 403 message=application says no user=alice remote=alice auth=Bearer any=true attr=true"
                + " current=alice</html>", answer.body());
    }

    /** An exception after logout(): the error page runs with nobody, not the token's caller. */
    @Test
    void whenTheApplicationFailsAfterLogoutThenItsErrorPageSeesNobody() throws Exception {
        HttpResponse<String> answer = servletApi.getWithToken("/api/throw-after-logout", TestTokens.hs256("alice"));
        assertEquals(500, answer.statusCode());
        assertTrue(answer.body().contains("user=null remote=null auth=null any=false attr=false current=null"), answer.body());
    }

    /** security.md (CORS): a preflight carries no token, so a CORS filter must answer it before the filter does. */
    @Test
    void whenACorsPreflightReachesTheFilterThenItIs401() throws Exception {
        RawHttp.Response answer = RawHttp.request(servletApi.port(), "OPTIONS", "/api/x", "", "Origin: https://other.example",
                "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: authorization");
        assertEquals(401, answer.status(), answer.toString());
    }

    @Test
    void whenTheHeaderAndTheCookieCarryDifferentTokensThen400() throws Exception {
        RawHttp.Response users = RawHttp.get(servletApi.port(), "/api/x", "Authorization: Bearer " + TestTokens.hs256("alice"),
                "Cookie: access_token=" + TestTokens.hs256("bob"));
        assertEquals(400, users.status(), users.toString());
        RawHttp.Response same = RawHttp.get(servletApi.port(), "/api/x", "Authorization: Bearer " + TestTokens.hs256("alice"),
                "Cookie: access_token=" + TestTokens.hs256("alice"));
        assertEquals(400, same.status(), "two different tokens of the same user: " + same);
    }

    /**
     * docs/operations.md (Tomcat 11): Jetty 12 answers a refused upload announced with {@code Expect: 100-continue}
     * without asking for its body (no {@code 100 Continue} first); Tomcat needs {@code continueResponseTiming="onRead"}.
     */
    @Test
    void whenARefusedUploadExpects100ContinueThenJettyAnswers401First() throws Exception {
        assertEquals("HTTP/1.1 401 Unauthorized", expectContinue("Authorization: Bearer not.a.token"));
        assertEquals("HTTP/1.1 401 Unauthorized", expectContinue(null));
    }

    private static String expectContinue(String authorization) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), servletApi.port())) {
            socket.setSoTimeout(5_000);
            String head = "POST /api/body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n"
                    + "Expect: 100-continue\r\n" + (authorization == null ? "" : authorization + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            try {
                for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                    if (c != '\r') {
                        line.append((char) c);
                    }
                }
            } catch (SocketTimeoutException e) {
                return "timeout after [" + line + "]";
            }
            return line.toString();
        }
    }

    @Test
    void whenTheApplicationSerializesThePrincipalThenItComesBackEqual() throws Exception {
        JwtClaims claims = TestTokens.claims("alice", "admin");
        claims.setClaim("address", Map.of("city", "Paris", "zip", List.of(75001, 1.5, true)));
        claims.setClaim("big", new BigInteger("123456789012345678901234567890"));
        claims.setClaim("none", null);
        HttpResponse<String> answer = servletApi.getWithToken("/api/serialize", TestTokens.hs256(claims));
        assertEquals("equal=true claims=true", answer.body());
    }

    /** A token whose principal claim is empty names nobody: the application must not see a user named "". */
    @Test
    void whenTheTokensSubjectIsEmptyThenItIsNotAUser() throws Exception {
        HttpResponse<String> answer = servletApi.getWithToken("/api/x", TestTokens.hs256(TestTokens.claims("")));
        assertEquals(401, answer.statusCode(), answer.body());
    }

    // ---- other ways to configure and build the filter -----------------------------------------

    @Nested
    class Configuration {

        @TempDir
        Path directory;

        @Test
        void whenBuiltProgrammaticallyThenItAuthenticates() throws Exception {
            JwtAuthFilter filter = JwtAuthFilter.builder()
                    .set(ConfigKeys.JWT_SECRET, TestTokens.SECRET)
                    .set(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER)
                    .set(ConfigKeys.JWT_AUDIENCE, TestTokens.AUDIENCE)
                    .set(ConfigKeys.REVOCATION_STORE, "memory")
                    .set(ConfigKeys.REALM, "embedded")
                    .sources(ConfigSources.none())
                    .build();
            try (JettyApp embedded = JettyApp.start(filter, Map.of())) {
                assertEquals(200, embedded.getWithToken("/api", TestTokens.hs256("alice")).statusCode());
                assertEquals("Bearer realm=\"embedded\"",
                        embedded.get("/api").headers().firstValue("WWW-Authenticate").orElseThrow());
            }
        }

        @Test
        void whenWebFilterSubclassWithInitParamsThenItAuthenticates() throws Exception {
            // What a container does with @WebFilter: instantiate the class, pass its @WebInitParams.
            WebFilter annotation = AnnotatedJwtFilter.class.getAnnotation(WebFilter.class);
            Map<String, String> initParams = new HashMap<>();
            for (WebInitParam param : annotation.initParams()) {
                initParams.put(param.name(), param.value());
            }
            try (JettyApp annotated = JettyApp.start(new AnnotatedJwtFilter(), initParams)) {
                assertEquals(200, annotated.getWithToken("/api", TestTokens.hs256("alice")).statusCode());
                assertEquals(200, annotated.get("/health").statusCode());
                assertEquals(401, annotated.get("/api").statusCode());
            }
        }

        @Test
        void whenConfiguredByAPropertiesFileThenItAuthenticates() throws Exception {
            Path file = directory.resolve("jwtgate.properties");
            Files.writeString(file, String.join("\n",
                    ConfigKeys.JWT_SECRET + "=" + TestTokens.SECRET,
                    ConfigKeys.JWT_ISSUER + "=" + TestTokens.ISSUER,
                    ConfigKeys.JWT_AUDIENCE + "=" + TestTokens.AUDIENCE,
                    ConfigKeys.REVOCATION_STORE + "=memory",
                    ConfigKeys.PATHS_EXCLUDE + "=/health"));
            JwtAuthFilter filter = JwtAuthFilter.builder().sources(ConfigSources.none()).build();
            try (JettyApp fromFile = JettyApp.start(filter, Map.of(ConfigKeys.CONFIG_FILE, file.toString()))) {
                assertEquals(200, fromFile.getWithToken("/api", TestTokens.hs256("alice")).statusCode());
                assertEquals(200, fromFile.get("/health").statusCode());
                assertEquals(401, fromFile.get("/api").statusCode());
            }
        }

        @Test
        void whenConfiguredByEnvironmentVariablesThenTheyOverrideInitParams() throws Exception {
            Map<String, String> environment = Map.of(
                    "JWTGATE_JWT_SECRET", TestTokens.SECRET,
                    "JWTGATE_JWT_ISSUER", TestTokens.ISSUER,
                    "JWTGATE_REVOCATION_STORE", "memory");
            JwtAuthFilter filter = JwtAuthFilter.builder().sources(ConfigSources.of(environment, Map.of())).build();
            Map<String, String> initParams = Map.of(ConfigKeys.JWT_ISSUER, "https://overridden.example");
            try (JettyApp fromEnvironment = JettyApp.start(filter, initParams)) {
                assertEquals(200, fromEnvironment.getWithToken("/api", TestTokens.hs256("alice")).statusCode());
            }
        }

        @Test
        void whenEnvironmentHasAnUnknownJwtgateVariableThenStartFailsNamingIt() {
            JwtAuthFilter filter = JwtAuthFilter.builder()
                    .sources(ConfigSources.of(Map.of("JWTGATE_JWT_ISUER", "x"), Map.of())).build();
            Exception e = assertThrows(Exception.class, () -> JettyApp.start(filter, TestTokens.settings()).close());
            String messages = Causes.messages(e);
            assertTrue(messages.contains("JWTGATE_JWT_ISUER"), messages);
            assertTrue(messages.contains("did you mean [JWTGATE_JWT_ISSUER]"), messages);
        }

        @Test
        void whenInitParamValueInvalidThenStartFailsNamingKeyAndValue() {
            Map<String, String> params = new HashMap<>(TestTokens.settings());
            params.put(ConfigKeys.JWT_ALGORITHMS, "none");
            Exception e = assertThrows(Exception.class,
                    () -> JettyApp.start(JwtAuthFilter.builder().sources(ConfigSources.none()).build(), params).close());
            String messages = Causes.messages(e);
            assertTrue(messages.contains("[jwt.algorithms]") && messages.contains("[none]"), messages);
            assertFalse(messages.contains(TestTokens.SECRET), messages);
        }

        @Test
        void whenJwksUnreachableThen503WithRetryAfter() throws Exception {
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = socket.getLocalPort();
            }
            JwtAuthFilter filter = JwtAuthFilter.builder()
                    .set(ConfigKeys.JWT_JWKS_URI, "http://127.0.0.1:" + closedPort + "/jwks.json")
                    .set(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER)
                    .set(ConfigKeys.REVOCATION_STORE, "memory")
                    .set(ConfigKeys.REVOCATION_RETRY_AFTER_SECONDS, "9")
                    .sources(ConfigSources.none()).build();
            try (JettyApp jwks = JettyApp.start(filter, Map.of())) {
                String token = TestTokens.sign(TestTokens.claims("alice"), "RS256", TestTokens.rsaKeyPair().getPrivate(),
                        jws -> jws.setKeyIdHeaderValue("k1"));
                HttpResponse<String> response = jwks.getWithToken("/api", token);
                assertEquals(503, response.statusCode());
                assertEquals("9", response.headers().firstValue("Retry-After").orElseThrow());
                assertJsonError(response, "temporarily_unavailable");
                assertNotEquals(0, filter.metrics().unavailableCount());
            }
        }

        /**
         * The key server fails after the start: a token of a new key (a kid the set held lacks) gets 503 with
         * Retry-After, not 401 (its client would throw it away); so do made-up kids within the interval, without a
         * fetch; a token of a key held still passes.
         */
        @Test
        void whenTheJwksFetchForAnUnknownKidFailsThen503WithRetryAfterNot401() throws Exception {
            java.security.KeyPair held = TestTokens.rsaKeyPair();
            org.jose4j.jwk.PublicJsonWebKey jwk = org.jose4j.jwk.PublicJsonWebKey.Factory.newPublicJwk(held.getPublic());
            jwk.setKeyId("k1");
            byte[] set = new org.jose4j.jwk.JsonWebKeySet(jwk).toJson().getBytes(StandardCharsets.UTF_8);
            java.util.concurrent.atomic.AtomicInteger status = new java.util.concurrent.atomic.AtomicInteger(200);
            java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
            com.sun.net.httpserver.HttpServer keyServer = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            keyServer.createContext("/jwks.json", exchange -> {
                hits.incrementAndGet();
                exchange.sendResponseHeaders(status.get(), set.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(set);
                }
            });
            keyServer.start();
            try {
                JwtAuthFilter filter = JwtAuthFilter.builder()
                        .set(ConfigKeys.JWT_JWKS_URI, "http://127.0.0.1:" + keyServer.getAddress().getPort() + "/jwks.json")
                        .set(ConfigKeys.JWT_ALGORITHMS, "RS256")
                        .set(ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "2")
                        .set(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER)
                        .set(ConfigKeys.REVOCATION_STORE, "memory")
                        .set(ConfigKeys.REVOCATION_RETRY_AFTER_SECONDS, "9")
                        .sources(ConfigSources.none()).build();
                try (JettyApp app = JettyApp.start(filter, Map.of())) {
                    String heldKey = TestTokens.sign(TestTokens.claims("alice"), "RS256", held.getPrivate(),
                            jws -> jws.setKeyIdHeaderValue("k1"));
                    String newKey = TestTokens.sign(TestTokens.claims("alice"), "RS256",
                            TestTokens.rsaKeyPair().getPrivate(), jws -> jws.setKeyIdHeaderValue("k2"));
                    assertEquals(200, app.getWithToken("/api", heldKey).statusCode());
                    status.set(500); // the key server fails
                    Thread.sleep(2_100); // past jwt.jwks-min-refresh-seconds=2
                    HttpResponse<String> response = app.getWithToken("/api", newKey);
                    assertEquals(503, response.statusCode(), response.body());
                    assertEquals("9", response.headers().firstValue("Retry-After").orElseThrow());
                    assertJsonError(response, "temporarily_unavailable");
                    assertEquals(2, hits.get(), "k2's token refreshed the set");
                    HttpResponse<String> again = app.getWithToken("/api", newKey);
                    assertEquals(503, again.statusCode(), "within the interval after the failed fetch");
                    assertEquals(2, hits.get(), "within the interval: no fetch");
                    assertEquals(200, app.getWithToken("/api", heldKey).statusCode(), "the key held still verifies");
                }
            } finally {
                keyServer.stop(0);
            }
        }
    }

    /** What an application writes instead of editing web.xml; the parameter names are the documented ones. */
    @WebFilter(urlPatterns = "/*", initParams = {
            @WebInitParam(name = ConfigKeys.JWT_SECRET, value = TestTokens.SECRET),
            @WebInitParam(name = ConfigKeys.JWT_ISSUER, value = TestTokens.ISSUER),
            @WebInitParam(name = ConfigKeys.REVOCATION_STORE, value = "memory"),
            @WebInitParam(name = ConfigKeys.PATHS_EXCLUDE, value = "/health")})
    public static class AnnotatedJwtFilter extends JwtAuthFilter {
    }
}
