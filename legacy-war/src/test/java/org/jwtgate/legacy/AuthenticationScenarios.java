package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.attacks.HostileTokens;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * What an administrator expects of JwtGate's Jakarta Authentication module in a legacy WAR whose
 * security lives in web.xml and {@code @ServletSecurity}, checked over HTTP against a real container
 * (one start per subclass) and a real Redis Cluster: {@code /secured} switches the module on by its
 * context-param, {@code /secured-container} is registered by the container's configuration (conf/).
 * The container enforces the constraints; the module only says who the caller is, or answers as RFC
 * 6750 says. The hostile tokens of the filter's attack suite ({@link HostileTokens}) get no 200 and no
 * 500 here either. Redis is stopped last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AuthenticationScenarios {

    private static final CliJar CLI = CliJar.locate();
    private static final String ADMIN_PAGE = "/secured/admin/page";
    private static final KeyPair RSA = TestTokens.rsaKeyPair();
    private static final KeyPair EC = TestTokens.ecKeyPair("secp256r1");

    /** Serves nothing: any request to it proves a jku/x5u header was followed. */
    private static HttpServer attackerServer;
    private static final AtomicInteger ATTACKER_HITS = new AtomicInteger();
    /** Every token the hostile tests sent: none may reach the container's log, a segment of one neither. */
    private static final List<String> SENT = new CopyOnWriteArrayList<>();

    abstract ServletContainer container();

    abstract RedisCluster cluster();

    /** The status of a context whose deployment failed: Tomcat 404, Jetty 503. */
    abstract int failedDeploymentStatus();

    /**
     * Whether a deployment that fails before the module's listener ran leaves its (unstarted) module
     * registered with the factory: Jetty tells an application's listeners nothing then (see
     * {@code ModuleLifecycle}); Tomcat stops the failed application, which runs every listener's
     * contextDestroyed.
     */
    abstract boolean failedDeploymentKeepsItsRegistration();

    /**
     * Whether an unprotected resource sees the caller of a valid token. Tomcat asks the module on every
     * request; Jetty 12 defers authentication there and hands the module no request when the application
     * asks (jetty/jetty.project#15129), so the caller stays anonymous.
     */
    abstract boolean unprotectedResourcesSeeTheCaller();

    @BeforeAll
    static void startAttackerServer() throws IOException {
        attackerServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        attackerServer.createContext("/", exchange -> {
            ATTACKER_HITS.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        attackerServer.start();
    }

    @AfterAll
    static void stopAttackerServer() {
        if (attackerServer != null) {
            attackerServer.stop(0);
        }
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return token == null ? container().get(path) : container().getWithToken(path, token);
    }

    private int status(String path, String token) throws Exception {
        return get(path, token).statusCode();
    }

    private int post(String path, String token) {
        return token == null ? RawHttp.request(container().httpPort, "POST", path, "x=1").status()
                : RawHttp.request(container().httpPort, "POST", path, "x=1", "Authorization: Bearer " + token).status();
    }

    // ---- the constraints, enforced by the container with the module's caller --------------------

    @Test
    void whenNoTokenThen401WithTheRfc6750ChallengeOfTheAppsRealm() throws Exception {
        HttpResponse<String> response = container().get(ADMIN_PAGE);
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("Bearer realm=\"secured\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a bearer token is required\"}",
                response.body());
    }

    /** {@code dpop.mode=allowed}: both schemes offered, one {@code WWW-Authenticate} field each, Jetty as Tomcat. */
    @Test
    void whenNoTokenAndDpopAllowedThen401WithEachSchemesChallengeInAFieldOfItsOwn() throws Exception {
        HttpResponse<String> response = container().get("/" + SecuredApps.DPOP + "/admin/page");
        assertEquals(401, response.statusCode(), response.body());
        List<String> challenges = response.headers().allValues("WWW-Authenticate");
        assertEquals(2, challenges.size(), challenges.toString());
        assertTrue(challenges.get(0).startsWith("Bearer realm="), challenges.toString());
        assertTrue(challenges.get(1).startsWith("DPoP realm=") && challenges.get(1).contains("algs=\""), challenges.toString());
    }

    @Test
    void whenUserTokenOnTheAdminAreaThen403() throws Exception {
        assertEquals(403, status(ADMIN_PAGE, SecuredApps.token("bob", "staff")));
    }

    @Test
    void whenAdminTokenThen200AndTheServletSeesThePrincipalAndRoles() throws Exception {
        HttpResponse<String> admin = get(ADMIN_PAGE, SecuredApps.token("alice", "admin"));
        assertEquals(200, admin.statusCode(), admin.body());
        assertEquals("who user=alice admin=true staff=false auth=Bearer principal=org.jwtgate.principal.JwtPrincipal"
                + " method=GET app=/secured", admin.body().strip());
    }

    @Test
    void whenUserAreaThenEitherRoleAndNoOther() throws Exception {
        HttpResponse<String> staff = get("/secured/user/page", SecuredApps.token("bob", "staff"));
        assertEquals(200, staff.statusCode(), staff.body());
        assertTrue(staff.body().startsWith("who user=bob admin=false staff=true auth=Bearer"), staff.body());
        assertEquals(200, status("/secured/user/page", SecuredApps.token("alice", "admin")));
        assertEquals(403, status("/secured/user/page", SecuredApps.token("carl", "guest")));
        assertEquals(401, status("/secured/user/page", null));
    }

    @Test
    void whenPublicAreaThenNoTokenNeededAndAPresentTokenIsVerified() throws Exception {
        HttpResponse<String> anonymous = get("/secured/public/page", null);
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.body().startsWith("who user=anonymous admin=false"), anonymous.body());

        HttpResponse<String> withToken = get("/secured/public/page", SecuredApps.token("alice", "admin"));
        assertEquals(200, withToken.statusCode(), withToken.body());
        HttpResponse<String> badToken = get("/secured/public/page", SecuredApps.token("alice", "admin") + "x");
        if (unprotectedResourcesSeeTheCaller()) {
            assertTrue(withToken.body().startsWith("who user=alice admin=true"), withToken.body());
            assertEquals(401, badToken.statusCode(), "a token sent is a token checked, as on the filter's optional paths");
        } else {
            assertTrue(withToken.body().startsWith("who user=anonymous"), withToken.body());
            assertEquals(200, badToken.statusCode());
            assertTrue(badToken.body().startsWith("who user=anonymous"), "a bad token never makes a caller");
        }
    }

    @Test
    void whenMethodSpecificConstraintThenOnlyPostNeedsTheAdminRole() throws Exception {
        assertEquals(200, status("/secured/reports/q1", null));
        assertEquals(401, post("/secured/reports/q1", null));
        assertEquals(403, post("/secured/reports/q1", SecuredApps.token("bob", "staff")));
        RawHttp.Response admin = RawHttp.request(container().httpPort, "POST", "/secured/reports/q1", "x=1",
                "Authorization: Bearer " + SecuredApps.token("alice", "admin"), "Content-Type: application/x-www-form-urlencoded");
        assertEquals(200, admin.status(), admin.toString());
        assertTrue(admin.body().contains("who user=alice admin=true staff=false auth=Bearer"), admin.body());
        assertTrue(admin.body().contains("method=POST"), admin.body());
    }

    @Test
    void whenServletSecurityAnnotationThenTheContainerEnforcesIt() throws Exception {
        assertEquals(401, status("/secured/annotated/page", null));
        assertEquals(403, status("/secured/annotated/page", SecuredApps.token("bob", "staff")));
        HttpResponse<String> admin = get("/secured/annotated/page", SecuredApps.token("alice", "admin"));
        assertEquals(200, admin.statusCode(), admin.body());
        assertTrue(admin.body().startsWith("who user=alice admin=true staff=false auth=Bearer"), admin.body());
    }

    @Test
    void whenRequestLogoutCalledThenTheTokenStillAuthenticatesTheNextRequest() throws Exception {
        String token = SecuredApps.token("alice", "admin");
        HttpResponse<String> logout = get(ADMIN_PAGE + "?logout", token);
        assertEquals(200, logout.statusCode(), logout.body());
        assertTrue(logout.body().startsWith("logged-out user=anonymous"), logout.body());
        assertTrue(logout.body().strip().endsWith(" principal-attribute=" + !logoutCleansTheModulesSubject()), logout.body());
        assertEquals(200, status(ADMIN_PAGE, token), "logout() ends nothing: revoke the token instead");
    }

    /**
     * Whether the container's {@code request.logout()} calls the module's {@code cleanSubject} (Tomcat), which
     * removes the request attributes as the filter's logout does; Jetty 12 forgets its caller without asking it.
     */
    abstract boolean logoutCleansTheModulesSubject();

    /**
     * {@code request.authenticate()} on a request the module authenticated: the caller stands. Tomcat asks the
     * module again, and verifying a DPoP request's one-time proof again refused it, with a 401 written into
     * the application's response.
     */
    @Test
    void whenTheApplicationCallsAuthenticateOnAnAuthenticatedDpopRequestThenTheCallerStands() throws Exception {
        DpopKey key = DpopKey.es256();
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "admin"), key));
        // On Jetty 12, authenticate() on an unprotected resource answers the 401 challenge, even with a valid token.
        Stream<String> paths = unprotectedResourcesSeeTheCaller()
                ? Stream.of("/" + SecuredApps.DPOP + "/admin/page", "/" + SecuredApps.DPOP + "/public/page")
                : Stream.of("/" + SecuredApps.DPOP + "/admin/page");
        for (String path : paths.toList()) {
            HttpResponse<String> response = container().get(path + "?authenticate", "Authorization", "DPoP " + token,
                    "DPoP", key.proof("GET", container().uri(path).toString()).accessToken(token).sign());
            assertEquals(200, response.statusCode(), path + ": " + response.headers().map() + " " + response.body());
            assertTrue(response.body().startsWith("authenticated user=alice admin=true staff=false auth=DPoP"),
                    path + ": " + response.body());
        }
    }

    /**
     * One client request moves one outcome of the module's {@code Requests} MBean (docs/monitoring.md), also when the
     * application asks the module again with {@code request.authenticate()}. On Tomcat, an unprotected resource's
     * request without a token was counted {@code anonymous} and then {@code refused} {@code missing}. Jetty 12 never
     * hands the module an unprotected resource's request (jetty/jetty.project#15129): none is counted there.
     */
    @Test
    void whenTheApplicationCallsAuthenticateThenTheRequestIsCountedOnce() throws Exception {
        String token = SecuredApps.token("alice", "admin");
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {ADMIN_PAGE + "?authenticate", token});
        if (unprotectedResourcesSeeTheCaller()) {
            cases.add(new String[] {"/secured/public/page?authenticate", null});
            cases.add(new String[] {"/secured/public/page?authenticate", token});
        }
        cases.add(new String[] {"/secured/public/page", null});
        for (String[] each : cases) {
            long expected = each[0].startsWith("/secured/public/") && !unprotectedResourcesSeeTheCaller() ? 0 : 1;
            Map<String, Long> before = requestCounters();
            HttpResponse<String> response = get(each[0], each[1]);
            Map<String, Long> moved = new TreeMap<>();
            requestCounters().forEach((name, value) -> {
                if (value - before.get(name) != 0) {
                    moved.put(name, value - before.get(name));
                }
            });
            long outcomes = Stream.of("Authenticated", "Public", "Anonymous", "Refused", "Unavailable", "FailOpen")
                    .mapToLong(name -> moved.getOrDefault(name, 0L)).sum();
            assertEquals(expected, outcomes, each[0] + (each[1] == null ? " without a token" : " with a token") + ": status "
                    + response.statusCode() + ", counters moved " + moved);
        }
    }

    /**
     * Tomcat runs an async dispatch through its authenticator again, so the module is asked twice for one client
     * request: an anonymous one on a path no constraint covers was counted {@code anonymous} twice. Jetty 12 does not
     * hand the module such a request at all.
     */
    @Test
    void whenTheApplicationDispatchesAsynchronouslyThenTheRequestIsCountedOnce() throws Exception {
        String path = "/" + SecuredApps.ASYNC + "/async/x";
        long expected = unprotectedResourcesSeeTheCaller() ? 1 : 0;
        for (String token : Arrays.asList(null, SecuredApps.token("alice", "admin"))) {
            Map<String, Long> before = requestCounters("/" + SecuredApps.ASYNC);
            HttpResponse<String> response = get(path, token);
            assertEquals(200, response.statusCode(), response.body());
            Map<String, Long> moved = new TreeMap<>();
            requestCounters("/" + SecuredApps.ASYNC).forEach((name, value) -> {
                if (value - before.get(name) != 0) {
                    moved.put(name, value - before.get(name));
                }
            });
            long outcomes = Stream.of("Authenticated", "Public", "Anonymous", "Refused", "Unavailable", "FailOpen")
                    .mapToLong(name -> moved.getOrDefault(name, 0L)).sum();
            assertEquals(expected, outcomes, path + (token == null ? " without a token" : " with a token") + ": "
                    + response.body().strip() + ", counters moved " + moved);
        }
    }

    private Map<String, Long> requestCounters() throws Exception {
        return requestCounters("/secured");
    }

    /** The module's {@code Requests} MBean of the application at {@code contextPath}, read through the probe application. */
    private Map<String, Long> requestCounters(String contextPath) throws Exception {
        HttpResponse<String> probe = container().get("/" + SecuredApps.PROBE + "/state?requests=" + contextPath);
        assertEquals(200, probe.statusCode(), probe.body());
        Map<String, Long> counters = new TreeMap<>();
        probe.body().lines().filter(line -> line.startsWith("requests ")).forEach(line -> {
            String[] nameValue = line.substring("requests ".length()).split("=", 2);
            counters.put(nameValue[0], Long.parseLong(nameValue[1]));
        });
        assertFalse(counters.isEmpty(), probe.body());
        return counters;
    }

    @Test
    void whenMalformedAuthorizationThen400InvalidRequest() {
        String token = SecuredApps.token("alice", "admin");
        RawHttp.Response response = RawHttp.get(container().httpPort, ADMIN_PAGE,
                "Authorization: Bearer " + token, "Authorization: Bearer " + token);
        assertEquals(400, response.status(), response.toString());
        assertTrue(response.header("WWW-Authenticate").contains("error=\"invalid_request\""), response.toString());
    }

    // ---- revocation through the CLI --------------------------------------------------------------

    @Test
    void whenTokenRevokedThroughTheCliThen401OnTheVeryNextRequest() throws Exception {
        String token = SecuredApps.token("carol", "admin");
        String sameUserOtherToken = SecuredApps.token("carol", "admin");
        assertEquals(200, status(ADMIN_PAGE, token));

        CliJar.Result revoke = CLI.runWithStdin(SecuredApps.cliEnvironment(cluster()), token, "revoke-token", "-");
        assertEquals(0, revoke.exitCode(), revoke.toString());

        HttpResponse<String> refused = get(ADMIN_PAGE, token);
        assertEquals(401, refused.statusCode(), refused.body());
        assertEquals("Bearer realm=\"secured\", error=\"invalid_token\", error_description=\"The access token has been revoked\"",
                refused.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(200, status(ADMIN_PAGE, sameUserOtherToken));
    }

    /**
     * The application revokes its caller's token through the RevocationService the module publishes (docs/operations.md,
     * "Logout"): the legacy application's LogoutServlet, in a protected area. The very next request with that token is
     * refused, a second logout with it too; the user's other token stays valid.
     */
    @Test
    void whenTheApplicationRevokesTheCallersTokenThenTheVeryNextRequestIsRefused() throws Exception {
        String app = "/" + SecuredApps.LOGOUT;
        String token = SecuredApps.token("judy", "staff");
        String other = SecuredApps.token("judy", "staff");
        assertEquals(200, status(app + "/user/page", token));

        HttpResponse<String> logout = container().post(app + "/user/logout", "Authorization", "Bearer " + token);
        assertEquals(200, logout.statusCode(), logout.body());
        assertEquals("logged out durable=true", logout.body().strip());

        HttpResponse<String> refused = get(app + "/user/page", token);
        assertEquals(401, refused.statusCode(), refused.body());
        assertEquals("Bearer realm=\"secured\", error=\"invalid_token\", error_description=\"The access token has been revoked\"",
                refused.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(401, container().post(app + "/user/logout", "Authorization", "Bearer " + token).statusCode());
        assertEquals(200, status(app + "/user/page", other));
    }

    @Test
    void whenUserRevokedThroughTheCliThenAllTheirTokensRefusedInBothRegistrations() throws Exception {
        String first = SecuredApps.token("dave", "admin");
        String second = SecuredApps.token("dave", "staff");
        assertEquals(200, status(ADMIN_PAGE, first));
        assertEquals(200, status("/secured-container/user/page", second));

        CliJar.Result revoke = CLI.run(SecuredApps.cliEnvironment(cluster()), "revoke-user", "dave");
        assertEquals(0, revoke.exitCode(), revoke.toString());

        assertEquals(401, status(ADMIN_PAGE, first));
        assertEquals(401, status("/secured-container/user/page", second));
        assertEquals(200, status(ADMIN_PAGE, SecuredApps.token("erin", "admin")));
    }

    // ---- the container-level registration ---------------------------------------------------

    @Test
    void whenRegisteredForTheContainerThenTheSameAnswersWithTheConfiguredRealm() throws Exception {
        HttpResponse<String> none = container().get("/secured-container/admin/page");
        assertEquals(401, none.statusCode(), none.body());
        assertEquals("Bearer realm=\"secured-container\"", none.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(403, status("/secured-container/admin/page", SecuredApps.token("bob", "staff")));
        HttpResponse<String> admin = get("/secured-container/admin/page", SecuredApps.token("alice", "admin"));
        assertEquals(200, admin.statusCode(), admin.body());
        assertEquals("who user=alice admin=true staff=false auth=Bearer principal=org.jwtgate.principal.JwtPrincipal"
                + " method=GET app=/secured-container", admin.body().strip());
        assertEquals(401, status("/secured-container/annotated/page", SecuredApps.token("alice", "admin") + "x"));
    }

    // ---- misconfiguration ---------------------------------------------------------------------

    @Test
    void whenContextParamUnknownThenDeploymentFailsAndTheLogNamesIt() throws Exception {
        assertEquals(failedDeploymentStatus(), status("/" + SecuredApps.BAD_PARAM + "/public/page", null));
        String expected = "Unknown context-param [jwtgate.jwt.isuer]; did you mean [jwtgate.jwt.issuer]?";
        String logs = container().awaitLog(expected, Duration.ofSeconds(10));
        assertTrue(logs.contains(expected), logs);
    }

    @Test
    void whenSwitchHasAnotherValueThenDeploymentFailsAndTheLogNamesIt() throws Exception {
        assertEquals(failedDeploymentStatus(), status("/" + SecuredApps.BAD_SWITCH + "/public/page", null));
        String expected = "Illegal value for context-param [jwtgate.authentication]: [on]; the only value is [enabled]";
        String logs = container().awaitLog(expected, Duration.ofSeconds(10));
        assertTrue(logs.contains(expected), logs);
    }

    @Test
    void whenSecretTooShortThenDeploymentFailsAndTheLogNamesTheKeyButNotTheSecret() throws Exception {
        assertEquals(failedDeploymentStatus(), status("/" + SecuredApps.BAD_SECRET + "/public/page", null));
        String expected = "Invalid setting [jwt.secret]: the secret has 9 bytes; HS256 needs at least 32 (from context-param)";
        String logs = container().awaitLog(expected, Duration.ofSeconds(10));
        assertTrue(logs.contains(expected), logs);
        assertFalse(logs.contains(LegacyApps.SHORT_SECRET), "the secret itself is never logged");
        assertFalse(logs.contains(TestTokens.SECRET), "the secret itself is never logged");
    }

    @Test
    void whenTheApplicationsOwnListenerFailsItsStartThenTheModuleLeavesNothingRunning() throws Exception {
        assertEquals(failedDeploymentStatus(), status("/" + SecuredApps.FAILING_LISTENER + "/public/page", null));
        String failing = "/" + SecuredApps.FAILING_LISTENER;
        HttpResponse<String> probe = container().get("/" + SecuredApps.PROBE + "/state?path=/secured&path=" + failing);
        assertEquals(200, probe.statusCode(), probe.body());
        String state = probe.body();
        // The probe sees the healthy application's module: its registration and its MBeans.
        assertTrue(state.lines().anyMatch(line -> line.startsWith("registration ") && line.endsWith(" /secured")), state);
        assertTrue(state.contains("context=\"/secured\""), state);
        // Nothing of the failed application's module runs: a started module's MBeans would be there.
        assertFalse(state.contains("context=\"" + failing + "\""), state);
        assertEquals(failedDeploymentKeepsItsRegistration(),
                state.lines().anyMatch(line -> line.startsWith("registration ") && line.endsWith(" " + failing)), state);
    }

    @Test
    void whenOtherAppsFailedThenTheHealthyOnesStillServe() throws Exception {
        assertNotEquals(200, status("/" + SecuredApps.BAD_PARAM + "/admin/page", SecuredApps.token("alice", "admin")));
        assertEquals(200, status(ADMIN_PAGE, SecuredApps.token("alice", "admin")));
        assertEquals(200, status("/secured-container/public/page", null));
    }

    // ---- hostile tokens ----------------------------------------------------------------------

    /**
     * The catalog, sent to the secured application (the HS256 target: TestTokens' secret, issuer and
     * audience); called after @BeforeAll. Every attack is hostile here too — signed for another key or
     * algorithm, malformed, oversized — except the three aimed at a configuration that requires
     * {@code typ: at+jwt}: their tokens are otherwise valid, and this application requires no type.
     */
    static Stream<Arguments> attacks() {
        HostileTokens catalog = new HostileTokens(RSA, EC, "http://127.0.0.1:" + attackerServer.getAddress().getPort());
        return catalog.all().stream()
                .filter(attack -> attack.target() != HostileTokens.Target.TYPED)
                .map(attack -> Arguments.of(Named.of(attack.name(), attack)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void whenHostileTokenSentThenNeitherA200NorA500AndNoEcho(HostileTokens.Attack attack) {
        String token = attack.token().get();
        SENT.add(token);
        int hitsBefore = ATTACKER_HITS.get();
        RawHttp.Response response = RawHttp.get(container().httpPort, ADMIN_PAGE, "Authorization: Bearer " + token);

        assertNotEquals(200, response.status(), response.toString());
        assertNotEquals(500, response.status(), response.toString());
        // 401 invalid_token or 400 invalid_request from the module; 400/431 from the container for an oversized header.
        assertTrue(Set.of(400, 401, 431).contains(response.status()), response.toString());
        assertEquals(hitsBefore, ATTACKER_HITS.get(), "a URL named by the token was fetched");
        if (response.status() == 401) {
            assertTrue(response.header("WWW-Authenticate").startsWith(
                    "Bearer realm=\"secured\", error=\"invalid_token\", error_description=\"The access token "), response.toString());
        }
        String everything = response.headers() + "\n" + response.body();
        assertFalse(everything.contains(HostileTokens.MARKER), "claims echoed: " + response);
        assertFalse(everything.contains(HostileTokens.ATTACKER), "claims echoed: " + response);
        for (String segment : token.split("[.\\s,]+")) {
            if (segment.length() >= 12) {
                assertFalse(everything.contains(segment.substring(0, 12)), "token echoed: " + response);
            }
        }
    }

    /** Header variants around a valid admin token {@code {T}}: the name, and the header lines ({@code {T}} replaced). */
    static Stream<Arguments> hostileHeaders() {
        String[][] cases = {
            {"no token", "Authorization: Bearer"},
            {"scheme and a space", "Authorization: Bearer "},
            {"empty header", "Authorization:"},
            {"two spaces", "Authorization: Bearer  {T}"},
            {"a tab", "Authorization: Bearer\t{T}"},
            {"scheme lower case", "Authorization: bearer {T}"},
            {"scheme upper case", "Authorization: BEARER {T}"},
            {"header name lower case", "authorization: Bearer {T}"},
            {"trailing space", "Authorization: Bearer {T} "},
            {"two tokens, comma", "Authorization: Bearer {T},Bearer {T}"},
            {"two tokens, space", "Authorization: Bearer {T} {T}"},
            {"two headers", "Authorization: Bearer {T}", "Authorization: Bearer {T}"},
            {"bearer and basic", "Authorization: Bearer {T}", "Authorization: Basic dXNlcjpwYXNz"},
            {"basic only", "Authorization: Basic dXNlcjpwYXNz"},
            {"DPoP scheme, no proof", "Authorization: DPoP {T}"},
            {"DPoP header beside a bearer token", "Authorization: Bearer {T}", "DPoP: x.y.z"},
            {"two DPoP headers", "Authorization: DPoP {T}", "DPoP: x.y.z", "DPoP: x.y.z"},
            {"quoted token", "Authorization: Bearer \"{T}\""},
            {"token with a semicolon", "Authorization: Bearer {T};"},
            {"token with a NUL", "Authorization: Bearer {T}\u0000"},
            {"token with DEL", "Authorization: Bearer {T}\u007f"},
            {"token with Latin-1", "Authorization: Bearer {T}\u00e9"},
            {"percent-encoded space", "Authorization: Bearer%20{T}"},
            {"scheme only, other spelling", "Authorization: Bearer:{T}"},
            {"space before the colon", "Authorization : Bearer {T}"},
            {"folded line", "Authorization: Bearer", " {T}"},
            {"token of 9000 characters", "Authorization: Bearer " + "A".repeat(9000)},
            {"token of 60000 characters", "Authorization: Bearer " + "A".repeat(60000)},
            {"token in a cookie only", "Cookie: access_token={T}"},
            {"unknown scheme", "Authorization: Token {T}"},
            {"equals padding", "Authorization: Bearer {T}=="},
            {"a dot more", "Authorization: Bearer {T}."},
            {"leading dot", "Authorization: Bearer .{T}"},
        };
        return Stream.of(cases).map(c -> Arguments.of(Named.of(c[0], Arrays.copyOfRange(c, 1, c.length))));
    }

    /**
     * Each header variant to both registrations' admin page and to the DPoP application's: an answer, never a 500 or a
     * dropped connection; a 200 only for the valid token itself, as its user; a refusal by the module has its
     * challenge, its JSON body, and echoes nothing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileHeaders")
    void whenHostileAuthorizationHeadersSentThenAnAnswerNeverA500(String[] lines) {
        String token = SecuredApps.token("alice", "admin");
        String[] headers = Stream.of(lines).map(line -> line.replace("{T}", token)).toArray(String[]::new);
        for (String app : List.of("/secured", "/secured-container", "/" + SecuredApps.DPOP)) {
            RawHttp.Response response = RawHttp.get(container().httpPort, app + "/admin/page", headers);
            String where = app + " " + Arrays.toString(lines) + ": " + response;
            assertTrue(Set.of(200, 400, 401, 431).contains(response.status()), where);
            if (response.status() == 200) {
                assertTrue(response.body().startsWith("who user=alice admin=true"), where);
            }
            if (response.status() == 401) {
                assertTrue(response.header("WWW-Authenticate").matches("(Bearer|DPoP) realm=\".*"), where);
                assertTrue(response.body().startsWith("{\"error\":"), where);
            }
            if (response.body().startsWith("{\"error\":")) {
                assertFalse(response.toString().contains(token.substring(10, 30)), "token echoed: " + where);
            }
        }
    }

    /**
     * Paths the container normalizes to the admin area (or refuses): without a token, or with a staff token, never a 200.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"//admin/page", "/admin//page", "/./admin/page",
        "/public/../admin/page", "/public/..;/admin/page", "/admin;x=y/page", "/%61dmin/page", "/admin/page/",
        "/admin/page;jsessionid=x", "/admin%2Fpage", "/public/%2e%2e/admin/page", "/admin/./page", "/reports/../admin/page"})
    void whenPathsAreSpelledOtherwiseThenTheAdminAreaStaysClosed(String path) {
        for (String app : List.of("/secured", "/secured-container")) {
            RawHttp.Response anonymous = RawHttp.get(container().httpPort, app + path);
            assertNotEquals(200, anonymous.status(), app + path + " without a token: " + anonymous);
            assertNotEquals(500, anonymous.status(), app + path + " without a token: " + anonymous);
            RawHttp.Response staff = RawHttp.get(container().httpPort, app + path,
                    "Authorization: Bearer " + SecuredApps.token("bob", "staff"));
            assertNotEquals(200, staff.status(), app + path + " with a staff token: " + staff);
            assertNotEquals(500, staff.status(), app + path + " with a staff token: " + staff);
            RawHttp.Response admin = RawHttp.get(container().httpPort, app + path,
                    "Authorization: Bearer " + SecuredApps.token("alice", "admin"));
            assertNotEquals(500, admin.status(), app + path + " with an admin token: " + admin);
        }
    }

    @Test
    void whenTheAttackSuitesUnmodifiedTokenSentThenAccepted() {
        RawHttp.Response response = RawHttp.get(container().httpPort, ADMIN_PAGE,
                "Authorization: Bearer " + HostileTokens.hs256(HostileTokens.claims()));
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.body().startsWith("who user=" + HostileTokens.ATTACKER + " admin=true"), response.body());
    }

    // ---- the module's refusals in the container's log -------------------------------------------

    /**
     * The module logs each refusal at DEBUG (FINE), which the subclasses turn on for all of JwtGate in the container
     * (docs/monitoring.md: rejected requests at DEBUG). Valid, expired, revoked, badly signed, DPoP-bound and seeded
     * random mutations of valid tokens, to both registrations, on top of the attack catalog sent before: the log has
     * the refusals, and neither a token, nor a segment of one, nor the claims of the catalog's tokens.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void whenRefusalsAreLoggedAtDebugThenNoTokenAndNoSegmentOfOneReachesTheContainersLog() throws Exception {
        List<String> sent = new ArrayList<>(SENT);
        for (String app : List.of("/secured", "/secured-container")) {
            String valid = SecuredApps.token("gina", "admin");
            sent.add(valid);
            assertEquals(200, status(app + "/admin/page", valid));
            assertEquals(200, status(app + "/public/page", valid));
            JwtClaims expired = TestTokens.claims("gina", "admin");
            expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 3600));
            expired.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 7200));
            String[] refused = {TestTokens.hs256(expired), valid + "x", valid.substring(0, valid.lastIndexOf('.') + 5),
                    HostileTokens.hs256(HostileTokens.claims()).replace('.', '~')};
            for (String token : refused) {
                sent.add(token);
                RawHttp.Response response = RawHttp.get(container().httpPort, app + "/admin/page", "Authorization: Bearer " + token);
                assertTrue(Set.of(400, 401).contains(response.status()), response.toString());
            }
            RawHttp.Response twice = RawHttp.get(container().httpPort, app + "/admin/page",
                    "Authorization: Bearer " + valid, "Authorization: Bearer " + valid);
            assertEquals(400, twice.status(), twice.toString());

            Random random = new Random(0x10C5EEDL + app.length());
            String base = SecuredApps.token("hank", "admin");
            for (int i = 0; i < 150; i++) {
                String mutated = mutate(base, random);
                sent.add(mutated);
                RawHttp.Response response = RawHttp.get(container().httpPort, app + "/admin/page", "Authorization: Bearer " + mutated);
                assertTrue(Set.of(400, 401).contains(response.status()), "mutation " + i + ": " + response);
            }
        }
        DpopKey key = DpopKey.es256();
        String bound = TestTokens.hs256(DpopKey.bind(TestTokens.claims("gina", "admin"), key));
        sent.add(bound);
        String dpopPage = "/" + SecuredApps.DPOP + "/admin/page";
        RawHttp.Response asBearer = RawHttp.get(container().httpPort, dpopPage, "Authorization: Bearer " + bound);
        assertEquals(401, asBearer.status(), asBearer.toString());
        String proof = key.proof("GET", "http://elsewhere.example" + dpopPage).accessToken(bound).sign();
        sent.add(proof);
        RawHttp.Response badProof = RawHttp.get(container().httpPort, dpopPage, "Authorization: DPoP " + bound, "DPoP: " + proof);
        assertEquals(401, badProof.status(), badProof.toString());
        String revoked = SecuredApps.token("gina", "admin");
        sent.add(revoked);
        assertEquals(200, status(ADMIN_PAGE, revoked));
        CliJar.Result revoke = CLI.runWithStdin(SecuredApps.cliEnvironment(cluster()), revoked, "revoke-token", "-");
        assertEquals(0, revoke.exitCode(), revoke.toString());
        assertEquals(401, status(ADMIN_PAGE, revoked));
        assertEquals(401, status("/secured-container/admin/page", revoked));

        // A token in a header line the container cannot parse (a control character at its end): Tomcat writes the first
        // such line since its start whole, at INFO, unless told otherwise (conf/tomcat/setenv.sh does).
        String inBadLine = SecuredApps.token("gina", "admin");
        sent.add(inBadLine);
        RawHttp.Response badLine = RawHttp.get(container().httpPort, ADMIN_PAGE, "Authorization: Bearer " + inBadLine + "\u0001");
        assertTrue(Set.of(400, 401).contains(badLine.status()), badLine.toString());

        String refusal = "Refused GET /admin/page: token revoked";
        String logs = container().awaitLog(refusal, Duration.ofSeconds(10));
        assertTrue(logs.contains(refusal), "the module's refusals are in the log (DEBUG on)");
        assertTrue(logs.contains("Refused GET /admin/page: malformed bearer token request"), "400s are logged too");
        assertFalse(logs.contains(HostileTokens.MARKER), "claims of a refused token in the log");
        Set<String> found = new java.util.TreeSet<>();
        for (String token : sent) {
            for (String segment : token.split("[.\\s,~]+")) {
                if (segment.length() >= 16) {
                    String middle = segment.substring(segment.length() / 2 - 8, segment.length() / 2 + 8);
                    if (logs.contains(middle)) {
                        found.add(middle);
                    }
                }
            }
        }
        String firstLine = found.isEmpty() ? "" : logs.lines().filter(line -> line.contains(found.iterator().next()))
                .map(line -> line.substring(0, Math.min(line.indexOf(found.iterator().next()), 200))).findFirst().orElse("");
        assertEquals(Set.of(), found, found.size() + " segments of the " + sent.size() + " tokens sent found in the container's"
                + " log, the first in a line starting [" + firstLine + "]");
    }

    /** A valid token with one change that breaks it: a character replaced (not a segment's last), cut, or a segment dropped. */
    private static String mutate(String token, Random random) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=%\"' ";
        int choice = random.nextInt(4);
        if (choice == 0) {
            return token.substring(0, 1 + random.nextInt(token.length() - 2));
        }
        if (choice == 1) {
            String[] parts = token.split("\\.");
            int drop = random.nextInt(3);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                if (i != drop) {
                    out.append(out.length() > 0 ? "." : "").append(parts[i]);
                }
            }
            return out.toString();
        }
        while (true) {
            int at = random.nextInt(token.length() - 1);
            char replacement = alphabet.charAt(random.nextInt(alphabet.length()));
            // A segment's last character may carry unused bits (the same bytes decoded): never change it.
            if (token.charAt(at) != '.' && token.charAt(at + 1) != '.' && replacement != token.charAt(at)) {
                return token.substring(0, at) + replacement + token.substring(at + 1);
            }
        }
    }

    // ---- Redis down: last ---------------------------------------------------------------------

    @Test
    @Order(Integer.MAX_VALUE)
    void whenRedisIsDownThen503WithRetryAfterAndBackOnceItReturns() throws Exception {
        String token = SecuredApps.token("frank", "admin");
        assertEquals(200, status(ADMIN_PAGE, token));
        assertEquals(200, status("/secured-container/admin/page", token));
        String revoked = SecuredApps.token("ivan", "admin");
        assertEquals(200, status(ADMIN_PAGE, revoked));
        CliJar.Result revoke = CLI.runWithStdin(SecuredApps.cliEnvironment(cluster()), revoked, "revoke-token", "-");
        assertEquals(0, revoke.exitCode(), revoke.toString());
        assertEquals(401, status(ADMIN_PAGE, revoked));
        DpopKey key = DpopKey.es256();
        String bound = TestTokens.hs256(DpopKey.bind(TestTokens.claims("frank", "admin"), key));
        String dpopPage = "/" + SecuredApps.DPOP + "/admin/page";
        assertEquals(200, dpop(dpopPage, bound, key).statusCode());
        cluster().stopAll();
        try {
            // A DPoP proof is one-time: with nowhere to record it, the request is not let through.
            List<Integer> dpopStatuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                dpopStatuses.add(dpop(dpopPage, bound, key).statusCode());
            }
            assertEquals(List.of(503, 503, 503, 503, 503), dpopStatuses, "DPoP requests while Redis is down");
            // The near-cache answers while its state is provably fresh (revocation.max-staleness-ms), then Redis is asked.
            HttpResponse<String> unavailable = awaitStatus(ADMIN_PAGE, token, 503, Duration.ofSeconds(15));
            assertEquals("5", unavailable.headers().firstValue("Retry-After").orElse(null));
            assertTrue(unavailable.body().contains("\"error\":\"temporarily_unavailable\""), unavailable.body());
            assertEquals(401, status(ADMIN_PAGE, null), "no token is still a 401: nothing to check");
            awaitStatus("/secured-container/admin/page", token, 503, Duration.ofSeconds(15));
            for (int i = 0; i < 5; i++) {
                int answer = status(ADMIN_PAGE, revoked);
                assertTrue(answer == 401 || answer == 503, "the revoked token while Redis is down: " + answer);
                answer = status("/secured-container/admin/page", revoked);
                assertTrue(answer == 401 || answer == 503, "the revoked token while Redis is down, container registration: " + answer);
            }
        } finally {
            cluster().startAll();
            cluster().awaitClusterOk(Duration.ofSeconds(60));
        }
        awaitStatus(ADMIN_PAGE, token, 200, Duration.ofSeconds(30));
    }

    /** A DPoP request with a fresh proof of {@code key} for {@code path}. */
    private HttpResponse<String> dpop(String path, String token, DpopKey key) throws Exception {
        return container().get(path, "Authorization", "DPoP " + token,
                "DPoP", key.proof("GET", container().uri(path).toString()).accessToken(token).sign());
    }

    private HttpResponse<String> awaitStatus(String path, String token, int status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> response = get(path, token);
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = get(path, token);
        }
        assertEquals(status, response.statusCode(), response.body());
        return response;
    }
}
