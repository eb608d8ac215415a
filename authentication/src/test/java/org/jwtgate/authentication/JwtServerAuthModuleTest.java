package org.jwtgate.authentication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.callback.GroupPrincipalCallback;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.Certificates;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The module's answers to each kind of request, as a container sees them: the status it returns, what
 * it wrote, and the callbacks it made. A real JwtGate (memory store, or a store that cannot answer)
 * verifies real tokens; only the container's request and response are stubs.
 */
class JwtServerAuthModuleTest {

    /** The handler a container passes: records every call's callbacks. */
    private final List<Callback[]> calls = new ArrayList<>();
    private final List<JwtServerAuthModule> modules = new ArrayList<>();

    @AfterEach
    void close() {
        modules.forEach(JwtServerAuthModule::close);
    }

    private JwtServerAuthModule module(Map<String, String> settings) throws AuthException {
        return module(JwtServerAuthModule.builder().settings(settings).sources(ConfigSources.none()));
    }

    private JwtServerAuthModule module(JwtServerAuthModule.Builder builder) throws AuthException {
        JwtServerAuthModule module = builder.build();
        modules.add(module);
        module.initialize(null, null, callbacks -> calls.add(callbacks), null);
        return module;
    }

    private JwtServerAuthModule module() throws AuthException {
        return module(TestTokens.settings());
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    // ---- no token ----------------------------------------------------------------------------

    @Test
    void whenNoTokenOnProtectedResourceThen401BearerChallengeAndSendContinue() throws Exception {
        Exchange exchange = Exchange.get(true);
        assertEquals(AuthStatus.SEND_CONTINUE, module().validateRequest(exchange, new Subject(), null));
        assertEquals(401, exchange.status);
        assertEquals("Bearer realm=\"jwtgate\"", exchange.headersWritten.get("WWW-Authenticate"));
        assertEquals("no-store", exchange.headersWritten.get("Cache-Control"));
        assertTrue(calls.isEmpty());
    }

    @Test
    void whenNoTokenOnUnprotectedResourceThenSuccessWithoutCaller() throws Exception {
        Exchange exchange = Exchange.get(false);
        assertEquals(AuthStatus.SUCCESS, module().validateRequest(exchange, new Subject(), null));
        assertEquals(0, exchange.status, "nothing written");
        assertTrue(calls.isEmpty(), "no caller established");
    }

    @Test
    void whenAnotherSchemeOnProtectedResourceThen401Challenge() throws Exception {
        Exchange exchange = Exchange.get(true, "Authorization", "Basic YWxpY2U6c2VjcmV0");
        assertEquals(AuthStatus.SEND_CONTINUE, module().validateRequest(exchange, new Subject(), null));
        assertEquals(401, exchange.status);
    }

    // ---- a valid token ------------------------------------------------------------------------

    /**
     * A token listing the role "*": isUserInRole("*") is false whatever the caller holds (the servlet API; the filter
     * answers so). Handed "*" as a group, Jetty 12's identity answered it true (a roles probe's find, shown with Jetty's
     * DefaultIdentityService); Tomcat special-cases it. The module leaves it out of the groups.
     */
    @Test
    void whenATokenListsTheRoleStarThenItIsNotHandedToTheContainer() throws Exception {
        Exchange exchange = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice", "*", "user")));
        assertEquals(AuthStatus.SUCCESS, module().validateRequest(exchange, new Subject(), null));
        GroupPrincipalCallback groups = assertInstanceOf(GroupPrincipalCallback.class, calls.get(0)[1]);
        assertEquals(List.of("user"), List.of(groups.getGroups()));
    }

    @Test
    void whenValidTokenThenCallerAndGroupsHandedInOneCallAndSuccess() throws Exception {
        Exchange exchange = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice", "admin", "staff")));
        Subject client = new Subject();
        assertEquals(AuthStatus.SUCCESS, module().validateRequest(exchange, client, null));

        assertEquals(1, calls.size(), "Tomcat needs the caller and its groups in one handle() call");
        Callback[] callbacks = calls.get(0);
        CallerPrincipalCallback caller = assertInstanceOf(CallerPrincipalCallback.class, callbacks[0]);
        GroupPrincipalCallback groups = assertInstanceOf(GroupPrincipalCallback.class, callbacks[1]);
        JwtPrincipal principal = assertInstanceOf(JwtPrincipal.class, caller.getPrincipal());
        assertEquals("alice", principal.getName());
        assertSame(client, caller.getSubject());
        assertSame(client, groups.getSubject());
        assertEquals(List.of("admin", "staff"), List.of(groups.getGroups()).stream().sorted().toList());

        assertEquals("Bearer", exchange.getMap().get("jakarta.servlet.http.authType"));
        assertSame(principal, exchange.attributes.get(JwtAuthFilter.PRINCIPAL_ATTRIBUTE));
        assertEquals(principal.claims(), exchange.attributes.get(JwtAuthFilter.CLAIMS_ATTRIBUTE));
        assertEquals(0, exchange.status, "nothing written");
    }

    @Test
    void whenTheContainersMapIsReadOnlyThenAValidTokenStillEstablishesTheCallerAgainToo() throws Exception {
        Exchange exchange = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice", "admin")));
        // Tomcat's and Jetty's maps are the module's to write; the profile allows others.
        MessageInfo readOnly = exchange.withMap(Map.of("jakarta.security.auth.message.MessagePolicy.isMandatory", "true"));
        JwtServerAuthModule module = module();
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(readOnly, new Subject(), null));
        // Asked again for the same request (Tomcat's request.authenticate()): the caller it already has.
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(readOnly, new Subject(), null));
        assertEquals(2, calls.size());
        assertEquals("alice", assertInstanceOf(CallerPrincipalCallback.class, calls.get(1)[0]).getPrincipal().getName());
        assertEquals(0, exchange.status, "nothing written");
    }

    @Test
    void whenTheContainerGivesNoMapThenAValidTokenStillEstablishesTheCaller() throws Exception {
        Exchange exchange = Exchange.get(false, "Authorization", bearer(TestTokens.hs256("alice", "admin")));
        assertEquals(AuthStatus.SUCCESS, module().validateRequest(exchange.withMap(null), new Subject(), null));
        assertEquals("alice", assertInstanceOf(CallerPrincipalCallback.class, calls.get(0)[0]).getPrincipal().getName());
    }

    /**
     * Jetty's container registration initializes the module for every request, on the thread that then validates
     * it, with that request's context's handler; during a redeploy two contexts share the module, and the other
     * context's initialize may come in between.
     */
    @Test
    void whenAnotherContextInitializesBetweenThenTheCallerGoesToTheHandlerInitializedOnTheRequestsThread() throws Exception {
        JwtServerAuthModule module = module();
        List<String> oldContext = new ArrayList<>();
        List<String> newContext = new ArrayList<>();
        ExecutorService oldContextsThread = Executors.newSingleThreadExecutor();
        try {
            // Each context's handler, held by its authenticator as Jetty's and Tomcat's are (the module holds it weakly).
            javax.security.auth.callback.CallbackHandler oldHandler = callbacks -> oldContext.add(callerOf(callbacks));
            javax.security.auth.callback.CallbackHandler newHandler = callbacks -> newContext.add(callerOf(callbacks));
            oldContextsThread.submit(() -> {
                module.initialize(null, null, oldHandler, null);
                return null;
            }).get();
            module.initialize(null, null, newHandler, null);
            System.gc(); // the old context's handler is still its authenticator's
            Exchange oldRequest = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice", "admin")));
            assertEquals(AuthStatus.SUCCESS, oldContextsThread.submit(() -> module.validateRequest(oldRequest, new Subject(), null)).get());
            Exchange newRequest = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("bob", "admin")));
            assertEquals(AuthStatus.SUCCESS, module.validateRequest(newRequest, new Subject(), null));

            assertEquals(List.of("alice"), oldContext, "the old context's request, to the handler initialized on its thread");
            assertEquals(List.of("bob"), newContext);

            // Taken by the request: a later one on that thread, not initialized again, uses the handler given last.
            Exchange later = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("carol", "admin")));
            assertEquals(AuthStatus.SUCCESS, oldContextsThread.submit(() -> module.validateRequest(later, new Subject(), null)).get());
            assertEquals(List.of("bob", "carol"), newContext);
        } finally {
            oldContextsThread.shutdownNow();
        }
    }

    /** A start replays an initialize the container made before it, on the deploying thread: no validation follows there. */
    @Test
    void whenNoValidationFollowsAnInitializeOnItsThreadThenThatThreadKeepsTheHandlerAliveForNoOne() throws Exception {
        JwtServerAuthModule module = module();
        ExecutorService deployingThread = Executors.newSingleThreadExecutor();
        try {
            List<Callback[]> own = new ArrayList<>();
            Object[] given = {(javax.security.auth.callback.CallbackHandler) own::add}; // a new instance, unlike a lambda capturing nothing
            java.lang.ref.WeakReference<Object> probe = new java.lang.ref.WeakReference<>(given[0]);
            deployingThread.submit(() -> {
                module.initialize(null, null, (javax.security.auth.callback.CallbackHandler) given[0], null);
                return null;
            }).get();
            module.initialize(null, null, callbacks -> calls.add(callbacks), null); // the container's own, from now on
            given[0] = null;
            for (int i = 0; i < 50 && probe.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertNull(probe.get(), "the replayed handler, held by the deploying thread");
        } finally {
            deployingThread.shutdownNow();
        }
    }

    @Test
    void whenTheClockIsNullThenRefused() {
        assertThrows(NullPointerException.class, () -> JwtServerAuthModule.builder().clock(null));
    }

    private static String callerOf(Callback[] callbacks) {
        return ((CallerPrincipalCallback) callbacks[0]).getPrincipal().getName();
    }

    // ---- DPoP: the filter's verification, proof included ----------------------------------------

    @Test
    void whenDpopAllowedThenABoundTokenPassesWithItsProofOnceAndNeverAsBearer() throws Exception {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        JwtServerAuthModule module = module(settings);
        DpopKey key = DpopKey.es256();
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice"), key));
        String proof = key.proof("GET", "http://127.0.0.1:8080/admin/x").accessToken(token).sign();

        Exchange withProof = Exchange.get(true, "Authorization", "DPoP " + token, "DPoP", proof);
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(withProof, new Subject(), null));
        assertEquals("DPoP", withProof.getMap().get("jakarta.servlet.http.authType"));
        JwtPrincipal principal = assertInstanceOf(JwtPrincipal.class, withProof.attributes.get(JwtAuthFilter.PRINCIPAL_ATTRIBUTE));
        assertTrue(principal.isSenderConstrained());
        assertEquals(0, withProof.status, "nothing written");

        Exchange replayed = Exchange.get(true, "Authorization", "DPoP " + token, "DPoP", proof);
        assertEquals(AuthStatus.SEND_CONTINUE, module.validateRequest(replayed, new Subject(), null));
        assertEquals(401, replayed.status);
        assertTrue(replayed.headersWritten.get("WWW-Authenticate").startsWith("DPoP realm=\"jwtgate\", error=\"invalid_dpop_proof\""),
                replayed.headersWritten.toString());

        Exchange noProof = Exchange.get(true, "Authorization", "DPoP " + token);
        assertEquals(AuthStatus.SEND_CONTINUE, module.validateRequest(noProof, new Subject(), null));
        assertEquals(401, noProof.status);
        assertTrue(noProof.headersWritten.get("WWW-Authenticate").contains("error=\"invalid_dpop_proof\""),
                noProof.headersWritten.toString());

        Exchange downgraded = Exchange.get(true, "Authorization", bearer(token));
        assertEquals(AuthStatus.SEND_CONTINUE, module.validateRequest(downgraded, new Subject(), null));
        assertEquals(401, downgraded.status);
        assertTrue(downgraded.headersWritten.get("WWW-Authenticate").startsWith("Bearer realm=\"jwtgate\", error=\"invalid_token\""),
                downgraded.headersWritten.toString());
        assertEquals(1, calls.size(), "only the request with its proof established a caller");
    }

    /**
     * Tomcat's {@code request.authenticate()} asks the module again, with the same request and response: the
     * caller is handed back, not verified again, so a one-time DPoP proof is not refused as a replay into the
     * response the application is writing. Another module instance does not trust this one's record.
     */
    @Test
    void whenAskedAgainForARequestItAuthenticatedThenTheCallerIsHandedBackWithoutVerifyingAgain() throws Exception {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        JwtServerAuthModule module = module(settings);
        DpopKey key = DpopKey.es256();
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "admin"), key));
        String proof = key.proof("GET", "http://127.0.0.1:8080/admin/x").accessToken(token).sign();
        Exchange exchange = Exchange.get(false, "Authorization", "DPoP " + token, "DPoP", proof);
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(exchange, new Subject(), null));

        MessageInfo authenticate = exchange.again(true);
        Subject client = new Subject();
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(authenticate, client, null));
        assertEquals(0, exchange.status, "nothing written into the application's response");
        assertEquals(2, calls.size());
        assertSame(exchange.attributes.get(JwtAuthFilter.PRINCIPAL_ATTRIBUTE), ((CallerPrincipalCallback) calls.get(1)[0]).getPrincipal());
        assertSame(client, ((CallerPrincipalCallback) calls.get(1)[0]).getSubject());
        assertEquals(List.of("admin"), List.of(((GroupPrincipalCallback) calls.get(1)[1]).getGroups()));
        assertEquals("DPoP", authenticate.getMap().get("jakarta.servlet.http.authType"));

        settings.put(ConfigKeys.JWT_ISSUER, "https://another.example");
        JwtServerAuthModule other = module(settings);
        assertEquals(AuthStatus.SEND_CONTINUE, other.validateRequest(exchange.again(true), new Subject(), null),
                "another module verifies for itself (and trusts another issuer)");
        assertEquals(401, exchange.status);
    }

    /**
     * Tomcat's {@code request.logout()} calls {@code cleanSubject} with the request: the caller goes, with the
     * request attributes the filter's logout removes too, and for the rest of the request the token is not read
     * again (as under the filter): {@code authenticate()} then challenges, and an unprotected resource sees no one.
     */
    @Test
    void whenLogoutCleansTheSubjectThenTheAttributesGoAndTheTokenIsNotReadAgain() throws Exception {
        JwtServerAuthModule module = module();
        Exchange exchange = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice", "admin")));
        Subject client = new Subject();
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(exchange, client, null));
        client.getPrincipals().add((JwtPrincipal) exchange.attributes.get(JwtAuthFilter.PRINCIPAL_ATTRIBUTE));

        module.cleanSubject(exchange.again(true), client);
        assertTrue(client.getPrincipals(JwtPrincipal.class).isEmpty());
        assertNull(exchange.attributes.get(JwtAuthFilter.PRINCIPAL_ATTRIBUTE));
        assertNull(exchange.attributes.get(JwtAuthFilter.CLAIMS_ATTRIBUTE));

        assertEquals(AuthStatus.SUCCESS, module.validateRequest(exchange.again(false), new Subject(), null));
        assertEquals(0, exchange.status);
        assertEquals(AuthStatus.SEND_CONTINUE, module.validateRequest(exchange.again(true), new Subject(), null));
        assertEquals(401, exchange.status);
        assertEquals("Bearer realm=\"jwtgate\"", exchange.headersWritten.get("WWW-Authenticate"));
        assertEquals(1, calls.size(), "no caller established after the logout");
    }

    /**
     * Tomcat's {@code request.authenticate()} asks the module again on a request it already answered: an unprotected
     * resource's anonymous request, or one after {@code request.logout()}. One client request counts once.
     */
    @Test
    void whenAskedAgainForARequestItCountedThenItIsNotCountedAgain() throws Exception {
        JwtServerAuthModule module = module();
        org.jwtgate.internal.metrics.GateMetrics counters = org.jwtgate.internal.metrics.GateMetrics.of(module.gate());
        Exchange anonymous = Exchange.get(false);
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(anonymous, new Subject(), null));
        assertEquals(AuthStatus.SEND_CONTINUE, module.validateRequest(anonymous.again(true), new Subject(), null));
        assertEquals(401, anonymous.status, "authenticate() still challenges");

        Exchange loggedOut = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice", "admin")));
        Subject client = new Subject();
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(loggedOut, client, null));
        module.cleanSubject(loggedOut.again(true), client);
        assertEquals(AuthStatus.SEND_CONTINUE, module.validateRequest(loggedOut.again(true), new Subject(), null));

        assertEquals(Map.of("requests.anonymous", 1L, "requests.authenticated", 1L), moved(counters.snapshot()));
    }

    /** The request counters of a snapshot that are not zero. */
    private static Map<String, Long> moved(Map<String, Long> snapshot) {
        Map<String, Long> moved = new HashMap<>();
        snapshot.forEach((name, value) -> {
            if (name.startsWith("requests.") && value != 0) {
                moved.put(name, value);
            }
        });
        return moved;
    }

    @Test
    void whenValidTokenWithoutRolesThenEmptyGroups() throws Exception {
        Exchange exchange = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("bob")));
        assertEquals(AuthStatus.SUCCESS, module().validateRequest(exchange, new Subject(), null));
        assertArrayEquals(new String[0], ((GroupPrincipalCallback) calls.get(0)[1]).getGroups());
    }

    @Test
    void whenValidTokenOnUnprotectedResourceThenCallerEstablishedToo() throws Exception {
        Exchange exchange = Exchange.get(false, "Authorization", bearer(TestTokens.hs256("alice")));
        assertEquals(AuthStatus.SUCCESS, module().validateRequest(exchange, new Subject(), null));
        assertEquals(1, calls.size());
    }

    @Test
    void whenValidTokenInCookieOnSafeMethodThenSuccess() throws Exception {
        Exchange exchange = Exchange.withCookie("GET", "access_token", TestTokens.hs256("alice"));
        assertEquals(AuthStatus.SUCCESS, module().validateRequest(exchange, new Subject(), null));
    }

    // ---- refusals --------------------------------------------------------------------------

    @Test
    void whenTokenInvalidThen401InvalidTokenAndSendContinueWithoutEcho() throws Exception {
        String token = TestTokens.hs256("alice") + "x";
        Exchange exchange = Exchange.get(true, "Authorization", bearer(token));
        assertEquals(AuthStatus.SEND_CONTINUE, module().validateRequest(exchange, new Subject(), null));
        assertEquals(401, exchange.status);
        assertTrue(exchange.headersWritten.get("WWW-Authenticate").startsWith("Bearer realm=\"jwtgate\", error=\"invalid_token\""),
                exchange.headersWritten.toString());
        assertTrue(exchange.bodyText().startsWith("{\"error\":\"invalid_token\""), exchange.bodyText());
        assertFalse(exchange.bodyText().contains(token.substring(0, 20)));
        assertTrue(calls.isEmpty());
    }

    /**
     * A certificate-bound token (RFC 8705 §3, {@code cnf.x5t#S256}) passes the module as the filter: only with the
     * client certificate it names in the container's attribute; without it 401 {@code invalid_token}.
     */
    @Test
    void whenACertificateBoundTokenComesWithoutItsCertificateThen401InvalidToken() throws Exception {
        X509Certificate certificate = Certificates.selfSignedRsa().certificate();
        JwtClaims claims = TestTokens.claims("alice", "admin");
        claims.setClaim("cnf", Map.of("x5t#S256", Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()))));
        String token = TestTokens.hs256(claims);
        JwtServerAuthModule module = module();

        Exchange without = Exchange.get(true, "Authorization", bearer(token));
        assertEquals(AuthStatus.SEND_CONTINUE, module.validateRequest(without, new Subject(), null));
        assertEquals(401, without.status);
        assertEquals("Bearer realm=\"jwtgate\", error=\"invalid_token\", error_description=\"The access token is bound to a"
                + " client certificate the request did not present\"", without.headersWritten.get("WWW-Authenticate"));
        assertTrue(calls.isEmpty());

        Exchange with = Exchange.get(true, "Authorization", bearer(token));
        with.attributes.put("jakarta.servlet.request.X509Certificate", new X509Certificate[] {certificate});
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(with, new Subject(), null));
        assertEquals(1, calls.size());
    }

    @Test
    void whenTokenInvalidOnUnprotectedResourceThen401AsOnTheFiltersOptionalPaths() throws Exception {
        Exchange exchange = Exchange.get(false, "Authorization", bearer("not.a.token"));
        assertEquals(AuthStatus.SEND_CONTINUE, module().validateRequest(exchange, new Subject(), null));
        assertEquals(401, exchange.status);
    }

    @Test
    void whenTwoAuthorizationHeadersThen400InvalidRequest() throws Exception {
        String token = TestTokens.hs256("alice");
        Exchange exchange = Exchange.get(true, "Authorization", bearer(token), "Authorization", bearer(token));
        assertEquals(AuthStatus.SEND_FAILURE, module().validateRequest(exchange, new Subject(), null));
        assertEquals(400, exchange.status);
        assertTrue(exchange.headersWritten.get("WWW-Authenticate").contains("error=\"invalid_request\""));
    }

    @Test
    void whenTokenRevokedThen401OnTheNextRequest() throws Exception {
        JwtServerAuthModule module = module();
        String token = TestTokens.hs256("carol");
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(Exchange.get(true, "Authorization", bearer(token)), new Subject(), null));

        module.revocationService().revoke(module.gate().verify(token));
        Exchange exchange = Exchange.get(true, "Authorization", bearer(token));
        assertEquals(AuthStatus.SEND_CONTINUE, module.validateRequest(exchange, new Subject(), null));
        assertEquals(401, exchange.status);
        assertTrue(exchange.headersWritten.get("WWW-Authenticate").contains("error_description=\"The access token has been revoked\""),
                exchange.headersWritten.toString());
    }

    @Test
    void whenStoreUnavailableAndFailureModeClosedThen503RetryAfter() throws Exception {
        JwtServerAuthModule module = module(JwtServerAuthModule.builder().settings(TestTokens.settings())
                .sources(ConfigSources.none()).revocationStore(new UnreachableStore()));
        Exchange exchange = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice")));
        assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(exchange, new Subject(), null));
        assertEquals(503, exchange.status);
        assertEquals("5", exchange.headersWritten.get("Retry-After"));
        assertTrue(calls.isEmpty());
    }

    @Test
    void whenStoreUnavailableAndFailureModeOpenThenCallerEstablished() throws Exception {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.REVOCATION_FAILURE_MODE, "open");
        JwtServerAuthModule module = module(JwtServerAuthModule.builder().settings(settings)
                .sources(ConfigSources.none()).revocationStore(new UnreachableStore()));
        Exchange exchange = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice")));
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(exchange, new Subject(), null));
        assertEquals(1, calls.size());
    }

    @Test
    void whenCookieAuthenticatedPostComesCrossSiteThen403CsrfRefused() throws Exception {
        Exchange exchange = Exchange.withCookie("POST", "access_token", TestTokens.hs256("alice"),
                "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example");
        assertEquals(AuthStatus.SEND_FAILURE, module().validateRequest(exchange, new Subject(), null));
        assertEquals(403, exchange.status);
        assertTrue(exchange.bodyText().contains("csrf_refused"), exchange.bodyText());
        assertTrue(calls.isEmpty());
    }

    /** A WebSocket opening handshake is a GET, but the socket acts as the user: cross-site, it is hijacking. */
    @Test
    void whenCookieAuthenticatedWebSocketHandshakeComesCrossSiteThen403CsrfRefused() throws Exception {
        Exchange exchange = Exchange.withCookie("GET", "access_token", TestTokens.hs256("alice"),
                "Upgrade", "websocket", "Connection", "Upgrade", "Origin", "https://evil.example");
        assertEquals(AuthStatus.SEND_FAILURE, module().validateRequest(exchange, new Subject(), null));
        assertEquals(403, exchange.status);
        assertTrue(exchange.bodyText().contains("csrf_refused"), exchange.bodyText());
        assertTrue(calls.isEmpty());

        Exchange sameOrigin = Exchange.withCookie("GET", "access_token", TestTokens.hs256("alice"),
                "Upgrade", "websocket", "Connection", "Upgrade", "Origin", "http://127.0.0.1:8080");
        assertEquals(AuthStatus.SUCCESS, module().validateRequest(sameOrigin, new Subject(), null));
    }

    @Test
    void whenRealmConfiguredThenChallengeNamesIt() throws Exception {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.REALM, "secured");
        Exchange exchange = Exchange.get(true);
        module(settings).validateRequest(exchange, new Subject(), null);
        assertEquals("Bearer realm=\"secured\"", exchange.headersWritten.get("WWW-Authenticate"));
    }

    // ---- what the container hands over ---------------------------------------------------------

    @Test
    void whenContainerHandsNoRequestThenAnonymousSuccess() throws Exception {
        Exchange exchange = Exchange.get(false).withoutMessages();
        assertEquals(AuthStatus.SUCCESS, module().validateRequest(exchange, new Subject(), null));
        assertTrue(calls.isEmpty());
    }

    @Test
    void whenContainerHandsNoRequestWhereAuthenticationIsMandatoryThenRefused() throws Exception {
        // Before: SUCCESS without a caller, whatever the resource: a mandatory one was let through anonymous.
        Exchange exchange = Exchange.get(true).withoutMessages();
        assertEquals(AuthStatus.SEND_FAILURE, module().validateRequest(exchange, new Subject(), null));
        assertTrue(calls.isEmpty());
    }

    @Test
    void whenContainerHandsNoResponseThenRefusedWithNothingToWriteOn() throws Exception {
        Exchange exchange = Exchange.get(false, "Authorization", bearer("not.a.token")).withoutResponse();
        assertEquals(AuthStatus.SEND_CONTINUE, module().validateRequest(exchange, new Subject(), null));
        assertTrue(calls.isEmpty());
    }

    @Test
    void whenInitializedWithoutHandlerThenAuthException() throws Exception {
        JwtServerAuthModule module = module();
        assertThrows(AuthException.class, () -> module.initialize(null, null, null, Map.of()));
    }

    @Test
    void whenSupportedMessageTypesAskedThenServletRequestAndResponse() throws Exception {
        assertArrayEquals(new Class<?>[] {HttpServletRequest.class, HttpServletResponse.class}, module().getSupportedMessageTypes());
    }

    @Test
    void whenSubjectCleanedThenJwtPrincipalRemovedAndTheRestKept() throws Exception {
        JwtServerAuthModule module = module();
        Subject subject = new Subject();
        subject.getPrincipals().add(module.gate().verify(TestTokens.hs256("alice")));
        subject.getPrincipals().add(() -> "other");
        module.cleanSubject(Exchange.get(true), subject);
        assertEquals(1, subject.getPrincipals().size());
        assertEquals("other", subject.getPrincipals().iterator().next().getName());
        assertEquals(AuthStatus.SEND_SUCCESS, module.secureResponse(Exchange.get(true), null));
    }

    // ---- configuration ---------------------------------------------------------------------

    @Test
    void whenPathKeySetThenBuildFailsNamingItAndWhereItCameFrom() {
        for (String key : List.of(ConfigKeys.PATHS_EXCLUDE, ConfigKeys.PATHS_OPTIONAL, ConfigKeys.PATHS_ROLES)) {
            Map<String, String> settings = new HashMap<>(TestTokens.settings());
            settings.put(key, key.equals(ConfigKeys.PATHS_ROLES) ? "/admin/*=admin" : "/public/*");
            String message = assertThrows(ConfigurationException.class,
                    () -> JwtServerAuthModule.builder().settings(settings).sources(ConfigSources.none()).build()).getMessage();
            assertTrue(message.startsWith("Setting [" + key + "] is not used by the Jakarta Authentication module (from module setting)"),
                    message);
        }
    }

    /**
     * Settings given in code or Jetty XML ({@code new JwtServerAuthModule(Map)}) are not init-params: the module reads
     * none, so a message naming one sends the administrator to a setting that does not exist.
     */
    @Test
    void whenSettingsGivenInCodeAreWrongThenTheMessagesNameThemAsModuleSettingsNotInitParams() {
        Map<String, String> missing = new HashMap<>(TestTokens.settings());
        missing.remove(ConfigKeys.JWT_ISSUER);
        String message = assertThrows(ConfigurationException.class,
                () -> JwtServerAuthModule.builder().settings(missing).sources(ConfigSources.none()).build()).getMessage();
        assertEquals("Missing required setting [jwt.issuer] (module setting, config.file, JWTGATE_JWT_ISSUER or"
                + " jwtgate.jwt.issuer)", message);

        Map<String, String> typo = new HashMap<>(TestTokens.settings());
        typo.put("jwt.isuer", "https://issuer.example");
        message = assertThrows(ConfigurationException.class,
                () -> JwtServerAuthModule.builder().settings(typo).sources(ConfigSources.none()).build()).getMessage();
        assertEquals("Unknown setting [jwt.isuer] in module setting; did you mean [jwt.issuer]?", message);

        Map<String, String> bad = new HashMap<>(TestTokens.settings());
        bad.put(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "soon");
        message = assertThrows(ConfigurationException.class, () -> new JwtServerAuthModule(bad)).getMessage();
        assertTrue(message.contains("[jwt.clock-skew-seconds]") && message.endsWith("(from module setting)"), message);
    }

    /**
     * A null value (code's {@code System.getenv("…")} of an unset variable, Jetty XML's {@code <Env>}) was dropped
     * without a word: {@code jwt.audience} given null started a module that checks no audience, as the filter's
     * builder refuses.
     */
    @Test
    void whenASettingIsGivenNullInCodeThenTheBuildFailsNamingItRatherThanDroppingTheCheck() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> JwtServerAuthModule.builder().settings(TestTokens.settings()).set(ConfigKeys.JWT_AUDIENCE, null));
        assertEquals("Setting [jwt.audience] given no value (null); leave it out instead", refused.getMessage());

        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.JWT_AUDIENCE, null);
        IllegalArgumentException inMap = assertThrows(IllegalArgumentException.class,
                () -> JwtServerAuthModule.builder().settings(settings));
        assertTrue(inMap.getMessage().contains("[jwt.audience]"), inMap.getMessage());
        inMap = assertThrows(IllegalArgumentException.class, () -> new JwtServerAuthModule(settings).close());
        assertTrue(inMap.getMessage().contains("[jwt.audience]"), inMap.getMessage());
    }

    @Test
    void whenSettingBadThenBuildFailsNamingTheKeyButNotTheSecret() {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.JWT_SECRET, "short-k3y");
        String message = assertThrows(ConfigurationException.class,
                () -> JwtServerAuthModule.builder().settings(settings).sources(ConfigSources.none()).build()).getMessage();
        assertTrue(message.contains("[jwt.secret]"), message);
        assertFalse(message.contains("short-k3y"), message);
    }

    @Test
    void whenEnvironmentGivenThenItWinsOverSettingsAsForTheFilter() throws Exception {
        JwtServerAuthModule module = module(JwtServerAuthModule.builder().settings(TestTokens.settings())
                .sources(ConfigSources.of(Map.of("JWTGATE_REALM", "from-env"), Map.of())));
        Exchange exchange = Exchange.get(true);
        module.validateRequest(exchange, new Subject(), null);
        assertEquals("Bearer realm=\"from-env\"", exchange.headersWritten.get("WWW-Authenticate"));
    }

    @Test
    void whenContainerInstantiatesItThenSettingsComeFromOptionsAndContainerKeysAreIgnored() throws Exception {
        JwtServerAuthModule module = new JwtServerAuthModule(ConfigSources::none);
        modules.add(module);
        Map<String, Object> options = new HashMap<>(TestTokens.settings());
        options.put("org.apache.catalina.authenticator.jaspic.ServerAuthModule.1", JwtServerAuthModule.class.getName());
        options.put("ServerAuthModule", JwtServerAuthModule.class.getName());
        module.initialize(null, null, callbacks -> calls.add(callbacks), options);
        module.initialize(null, null, callbacks -> calls.add(callbacks), Map.of()); // Jetty: again for every request

        Exchange exchange = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice", "admin")));
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(exchange, new Subject(), null));
        assertEquals("alice", module.gate().verify(TestTokens.hs256("alice")).getName());
    }

    @Test
    void whenContainerOptionsGiveSettingsThatTakeNoEffectThenTheStartWarnsNamingThemButNotTheirValues() throws Exception {
        JwtServerAuthModule module = new JwtServerAuthModule(ConfigSources::none);
        modules.add(module);
        Map<String, Object> options = new HashMap<>(TestTokens.settings());
        options.put(ConfigKeys.DPOP_ALGORITHMS, "ES256");
        options.put(ConfigKeys.REDIS_PASSWORD, "hunter2-redis");
        CapturedLog log = CapturedLog.during(() -> module.initialize(null, null, callbacks -> calls.add(callbacks), options));
        List<String> warnings = log.warnings().stream().filter(line -> line.contains("take no effect")).toList();
        assertEquals(1, warnings.size(), log.text());
        assertTrue(warnings.get(0).contains("JwtGate authentication module registered for the container: settings that"
                + " take no effect") && warnings.get(0).contains("[dpop.algorithms] (from module option): dpop.mode is off")
                && warnings.get(0).contains("[redis.password] (from module option): revocation.store is memory"), warnings.get(0));
        assertFalse(log.text().contains("hunter2-redis"), log.text());
    }

    @Test
    void whenContainerOptionsAreWrongThenEveryRequestIs503AndNothingThrows() throws Exception {
        JwtServerAuthModule module = new JwtServerAuthModule(ConfigSources::none);
        modules.add(module);
        Map<String, Object> options = new HashMap<>(TestTokens.settings());
        options.put("jwt.isuer", "typo");
        module.initialize(null, null, callbacks -> calls.add(callbacks), options);

        Exchange exchange = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice")));
        assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(exchange, new Subject(), null));
        assertEquals(503, exchange.status);
        String message = assertThrows(IllegalStateException.class, module::gate).getMessage();
        assertTrue(message.contains("Unknown setting [jwt.isuer] in module option; did you mean [jwt.issuer]?"), message);
    }

    @Test
    void whenTheStartFailsOtherwiseThanBySettingsThenEveryRequestIs503AndNothingThrows() throws Exception {
        // Before: a NoClassDefFoundError (jedis missing from the server's lib) or another unexpected error escaped
        // initialize(), leaving the module neither started nor refused: Tomcat started a new one per request, each 500.
        JwtServerAuthModule module = new JwtServerAuthModule(() -> {
            throw new NoClassDefFoundError("redis/clients/jedis/JedisCluster");
        });
        modules.add(module);
        CapturedLog log = CapturedLog.during(
                () -> module.initialize(null, null, callbacks -> calls.add(callbacks), new HashMap<>(TestTokens.settings())));

        Exchange exchange = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice")));
        assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(exchange, new Subject(), null));
        assertEquals(503, exchange.status);
        assertTrue(calls.isEmpty());
        assertEquals(org.jwtgate.engine.Health.Status.DOWN, module.health().status());
        assertEquals("not started: its start failed (the log says why)", module.health().details().get("module"));
        assertTrue(assertThrows(IllegalStateException.class, module::gate).getMessage().contains("JedisCluster"));
        assertTrue(log.lines().stream().anyMatch(l -> l.contains(" ERROR ") && l.contains("module not started")), log.text());
        assertTrue(log.text().contains("java.lang.NoClassDefFoundError: redis/clients/jedis/JedisCluster"), log.text());
    }

    /**
     * docs/monitoring.md: health's details are words that may be shown on a public path, never a user or a host. A
     * module the container's options did not start says why in the log; its health only that it did not start.
     */
    @Test
    void whenContainerOptionsAreWrongThenHealthSaysNotStartedWithoutTheirValues() throws Exception {
        JwtServerAuthModule module = new JwtServerAuthModule(ConfigSources::none);
        modules.add(module);
        Map<String, Object> options = new HashMap<>(TestTokens.settings());
        options.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        options.put(ConfigKeys.REDIS_NODES, "redis-7.payments.internal:63790000");
        module.initialize(null, null, callbacks -> calls.add(callbacks), options);

        assertTrue(assertThrows(IllegalStateException.class, module::gate).getMessage().contains("redis-7.payments.internal"),
                "the reason, for code and the log");
        org.jwtgate.engine.Health health = module.health();
        assertEquals(org.jwtgate.engine.Health.Status.DOWN, health.status());
        assertEquals("not started: its settings were refused (the log names the setting)", health.details().get("module"),
                health.toString());
    }

    @Test
    void whenClosedThen503AndNotStartedAgain() throws Exception {
        JwtServerAuthModule module = module();
        module.close();
        module.initialize(null, null, callbacks -> calls.add(callbacks), Map.of());
        Exchange exchange = Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice")));
        assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(exchange, new Subject(), null));
        assertEquals(503, exchange.status);
        assertThrows(IllegalStateException.class, module::revocationService);
    }

    @Test
    void whenBuiltFromAMapThenStartedWithIt() {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        assertThrows(ConfigurationException.class, () -> new JwtServerAuthModule(Map.of(ConfigKeys.REVOCATION_STORE, "memory")));
        // The environment of the build may hold nothing for JwtGate: a full map starts.
        try (JwtServerAuthModule module = new JwtServerAuthModule(settings)) {
            assertEquals(TestTokens.ISSUER, module.gate().config().verification().issuer());
        }
    }

    /**
     * docs/monitoring.md: "one INFO start-up line per filter or module with its effective configuration", and at start the
     * WARNs for settings that take no effect and for {@code revocation.store=none}. A module built with the builder (the
     * documented way for code, e.g. before {@code registerServerAuthModule}) logged none of them.
     */
    @Test
    void whenBuiltWithTheBuilderThenItsStartIsLoggedWithTheStartWarnings() throws Exception {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.REVOCATION_STORE, "none");
        settings.put(ConfigKeys.DPOP_ALGORITHMS, "ES256");
        CapturedLog log = CapturedLog.during(
                () -> modules.add(JwtServerAuthModule.builder().settings(settings).sources(ConfigSources.none()).build()));
        assertTrue(log.lines().stream().anyMatch(line -> line.contains(" INFO ")
                && line.contains("JwtGate authentication module built in code started: ")), log.text());
        assertTrue(log.warnings().stream().anyMatch(
                line -> line.contains("revocation.store=none: revoked tokens stay valid until they expire")), log.text());
        assertTrue(log.warnings().stream().anyMatch(
                line -> line.contains("take no effect") && line.contains("[dpop.algorithms]")), log.text());
    }

    @Test
    void whenSettingsAndConfigBothGivenThenBuilderRefuses() {
        assertThrows(IllegalStateException.class, () -> JwtServerAuthModule.builder().set(ConfigKeys.REALM, "x")
                .config(org.jwtgate.config.JwtGateConfig.of(TestTokens.settings())).build());
    }

    /** A store whose backend cannot be reached. */
    private static final class UnreachableStore implements RevocationStore {

        @Override
        public boolean isRevoked(TokenRef token) {
            throw new RevocationUnavailableException("redis-cluster unreachable (test)");
        }

        @Override
        public RevocationResult revokeToken(TokenRef token, Duration ttl) {
            throw new RevocationUnavailableException("unreachable");
        }

        @Override
        public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
            throw new RevocationUnavailableException("unreachable");
        }

        @Override
        public RevocationResult register(TokenRef token, Duration ttl) {
            throw new RevocationUnavailableException("unreachable");
        }

        @Override
        public String describe() {
            return "unreachable";
        }

        @Override
        public void close() {
        }
    }

    // ---- metrics and health ------------------------------------------------------------------

    /** The module counts as the filter does and shows it in its MBeans, named after it; they go when it closes. */
    @Test
    void whenRequestsAreAnsweredThenTheModulesMBeansCountThemAndClosingRemovesThem() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName requests = new javax.management.ObjectName(
                "org.jwtgate:type=Requests,filter=\"" + JwtServerAuthModule.METRICS_NAME + "\"");
        JwtServerAuthModule module = module();
        module.validateRequest(Exchange.get(false), new Subject(), null);
        module.validateRequest(Exchange.get(true), new Subject(), null);
        module.validateRequest(Exchange.get(true, "Authorization", bearer(TestTokens.hs256("alice"))), new Subject(), null);
        module.validateRequest(Exchange.get(true, "Authorization", bearer("not.a.token")), new Subject(), null);
        assertEquals(1L, server.getAttribute(requests, "Anonymous"));
        assertEquals(1L, server.getAttribute(requests, "RefusedMissing"));
        assertEquals(1L, server.getAttribute(requests, "Authenticated"));
        assertEquals(1L, server.getAttribute(requests, "RefusedInvalid"));
        assertEquals(2L, server.getAttribute(requests, "Refused"));
        assertEquals(org.jwtgate.engine.Health.Status.UP, module.health().status());
        module.close();
        assertFalse(server.isRegistered(requests));
        assertEquals(org.jwtgate.engine.Health.Status.DOWN, module.health().status());
        assertEquals("not started: closed", module.health().details().get("module"));
    }
}
