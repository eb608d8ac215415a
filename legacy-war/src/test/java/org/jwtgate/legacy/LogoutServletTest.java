package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.revocation.NoRevocationStore;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.RevocationUnconfirmedException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testkit.logs.CapturedLog;

/** The example's logout when the revocation cannot be taken: 503 + Retry-After while Redis cannot, 501 with no store; never a 500. */
class LogoutServletTest {

    /** A store that cannot answer, as a cluster that is down or failing over. */
    private static final class UnavailableStore implements RevocationStore {
        @Override
        public boolean isRevoked(TokenRef token) {
            throw new RevocationUnavailableException("Redis down");
        }

        @Override
        public RevocationResult revokeToken(TokenRef token, Duration ttl) {
            throw new RevocationUnavailableException("Redis down");
        }

        @Override
        public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
            throw new RevocationUnavailableException("Redis down");
        }

        @Override
        public RevocationResult register(TokenRef token, Duration ttl) {
            throw new RevocationUnavailableException("Redis down");
        }

        @Override
        public String describe() {
            return "unavailable";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void whenRedisCannotTakeTheRevocationThenTheAnswerIs503WithRetryAfter() throws Exception {
        HttpServletResponse response = logoutWith(new UnavailableStore(), "memory");

        verify(response).setHeader("Retry-After", "1");
        verify(response).sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "logout not recorded: please retry");
        verify(response, never()).getWriter();
    }

    /** A store whose user's ACL refuses WAIT: the revocation is written, in force, then the WAIT refused. */
    private static final class WaitRefusedStore implements RevocationStore {
        private TokenRef revoked;

        @Override
        public boolean isRevoked(TokenRef token) {
            return token.equals(revoked);
        }

        @Override
        public RevocationResult revokeToken(TokenRef token, Duration ttl) {
            revoked = token;
            throw new RevocationUnconfirmedException("Redis token revocation is stored and in force, but Redis refused"
                    + " the WAIT that confirms it on replicas (NOPERM this user has no permissions to run the 'wait'"
                    + " command)", 1, null);
        }

        @Override
        public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RevocationResult register(TokenRef token, Duration ttl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String describe() {
            return "wait refused";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void whenRedisRefusesTheWaitThenTheLogoutSucceedsNotDurableWithAWarning() throws Exception {
        // The revocation is stored and in force (the token is refused from the next request on), and no retry would
        // confirm it until the ACL allows WAIT: a 503 "please retry" would be untrue twice over.
        // System.Logger goes to SLF4J here (slf4j-jdk-platform-logging), whose simple provider writes to System.err.
        StringWriter body = new StringWriter();
        HttpServletResponse response;
        String log;
        try (CapturedLog captured = CapturedLog.standardError()) {
            response = logoutWith(new WaitRefusedStore(), "memory", body);
            log = captured.text();
        }

        verify(response, never()).sendError(anyInt(), anyString());
        assertEquals("logged out durable=false", body.toString().strip());
        assertTrue(log.lines().anyMatch(l -> l.contains("WARN")
                && l.contains("refused the WAIT") && l.contains("+wait")), log);
    }

    @Test
    void whenRevocationStoreIsNoneThenTheAnswerIs501() throws Exception {
        // Before: the store's UnsupportedOperationException escaped the servlet, and the container answered 500.
        HttpServletResponse response = logoutWith(new NoRevocationStore(), "none");

        verify(response).sendError(HttpServletResponse.SC_NOT_IMPLEMENTED, "logout needs a revocation store (revocation.store=none)");
        verify(response, never()).getWriter();
    }

    @Test
    void whenRevocationStoreIsNoneAndTheTokenHasNoJtiThenTheAnswerIs501Too() throws Exception {
        // Before: with no store, jwt.required-claims may leave jti out, and the service's "needs a jti" escaped: 500.
        HttpServletResponse response = logoutWith(new NoRevocationStore(), "none", null, new StringWriter());

        verify(response).sendError(HttpServletResponse.SC_NOT_IMPLEMENTED, "logout needs a revocation store (revocation.store=none)");
        verify(response, never()).getWriter();
    }

    /** POST /logout of a signed-in caller, with {@code store} behind the filter's RevocationService; the response. */
    private static HttpServletResponse logoutWith(RevocationStore store, String storeSetting) throws Exception {
        return logoutWith(store, storeSetting, new StringWriter());
    }

    /** As above, the answer's body written to {@code body}. */
    private static HttpServletResponse logoutWith(RevocationStore store, String storeSetting, StringWriter body)
            throws Exception {
        return logoutWith(store, storeSetting, "j1", body);
    }

    /** As above, for a caller whose token has {@code tokenId} as its jti (null: none). */
    private static HttpServletResponse logoutWith(RevocationStore store, String storeSetting, String tokenId,
                                                  StringWriter body) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                ConfigKeys.JWT_SECRET, "0123456789abcdefghijklmnopqrstuvwxyz",
                ConfigKeys.JWT_ISSUER, "https://legacy.example",
                ConfigKeys.REVOCATION_STORE, storeSetting));
        if (tokenId == null) {
            settings.put(ConfigKeys.JWT_REQUIRED_CLAIMS, "sub,exp,iat");
        }
        JwtGateConfig config = JwtGateConfig.of(settings);
        RevocationService revocations = new RevocationService(store, config.revocation(), config.verification(),
                Clock.systemUTC());
        ServletContext context = mock(ServletContext.class);
        when(context.getAttribute(RevocationService.CONTEXT_ATTRIBUTE)).thenReturn(revocations);
        ServletConfig servletConfig = mock(ServletConfig.class);
        when(servletConfig.getServletContext()).thenReturn(context);
        LogoutServlet servlet = new LogoutServlet();
        servlet.init(servletConfig);

        Instant now = Instant.now();
        JwtPrincipal grace = new JwtPrincipal("grace", "grace", "https://legacy.example", tokenId, now,
                now.plusSeconds(300), Set.of(), Map.of());
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getUserPrincipal()).thenReturn(grace);
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getWriter()).thenReturn(new PrintWriter(body, true));
        servlet.doPost(request, response);
        return response;
    }
}
