package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.sample.account.Account;
import org.jwtgate.sample.account.Authenticator;
import org.jwtgate.sample.account.LoginThrottle;
import org.jwtgate.sample.account.PasswordHasher;
import org.jwtgate.sample.redis.SampleUnavailableException;
import org.jwtgate.sample.token.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /login} (form or JSON {@code username}, {@code password}): 200 with a token pair and
 * both cookies; 401 for an unknown user or a wrong password alike; 429 + Retry-After past the
 * failure limit; 403 when a browser shows the form was posted from another site. With
 * {@code dpop.mode} on and a {@code DPoP} proof, the tokens are bound to the proof's key
 * ({@code token_type: DPoP}, no access cookie); a refused proof is a 400 before any password is checked.
 */
@Singleton
public class LoginServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoginServlet.class);
    private static final int MAX_FIELD_LENGTH = 1024;

    private final Authenticator authenticator;
    private final LoginThrottle throttle;
    private final Sessions sessions;
    private final CrossSiteCheck crossSite;
    private final TokenResponses responses;
    private final DpopTokenRequests dpop;

    @Inject
    public LoginServlet(Authenticator authenticator, LoginThrottle throttle, Sessions sessions, JwtGateConfig config,
                        TokenResponses responses, DpopTokenRequests dpop) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.sessions = sessions;
        this.crossSite = new CrossSiteCheck(config.csrfMode());
        this.responses = responses;
        this.dpop = dpop;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (crossSite.isEvidentlyCrossSite(request)) {
            LOG.debug("Refused POST /login: posted from another site");
            error(response, 403, "csrf_refused", "Cross-site request refused");
            return;
        }
        Map<String, String> fields = RequestBody.read(request);
        String username = fields.get("username");
        String password = fields.get("password");
        if (username == null || password == null || username.isBlank() || password.isEmpty()) {
            throw new BadRequestException("username and password are required");
        }
        if (username.length() > MAX_FIELD_LENGTH || password.length() > MAX_FIELD_LENGTH) {
            throw new BadRequestException("username or password too long");
        }

        String dpopThumbprint = null;
        if (dpop.requested(request)) {
            try {
                dpopThumbprint = dpop.verify(request);
            } catch (InvalidDpopProofException e) {
                dpop.refuse(request, response, e);
                return;
            }
        }

        LoginThrottle.Attempt attempt = throttle.begin(username, request.getRemoteAddr());
        if (attempt.refusedFor().isPresent()) {
            long seconds = Math.max(1, (attempt.refusedFor().get().toMillis() + 999) / 1000);
            LOG.debug("Refused POST /login: too many failed attempts");
            response.setHeader("Retry-After", Long.toString(seconds));
            error(response, 429, "too_many_attempts", "Too many failed logins; retry later");
            return;
        }
        Optional<Account> account;
        try {
            account = authenticator.authenticate(username, password.toCharArray());
        } catch (PasswordHasher.BusyException | SampleUnavailableException e) {
            forget(attempt);
            throw e; // 503 + Retry-After (ApiServlet)
        }
        if (account.isEmpty()) {
            LOG.debug("Refused POST /login: unknown user or wrong password");
            error(response, 401, "invalid_credentials", "Unknown user or wrong password");
            return;
        }
        throttle.succeeded(attempt);
        Optional<Sessions.TokenPair> tokens = sessions.login(account.get(), dpopThumbprint);
        if (tokens.isEmpty()) {
            error(response, 401, "session_revoked", "The user's sessions were revoked while this one started; log in again");
            return;
        }
        if (isFromThePage(request)) {
            responses.tokensForCookieClient(response, tokens.get());
        } else {
            responses.tokens(response, tokens.get());
        }
    }

    /** Takes back the count of an attempt answered 503, unless Redis, which holds the count, is what failed. */
    private void forget(LoginThrottle.Attempt attempt) {
        try {
            throttle.unanswered(attempt);
        } catch (SampleUnavailableException e) {
            LOG.debug("Could not take back the count of a login answered 503: {}", e.getMessage());
        }
    }

    /**
     * A request of this origin's page (its script's fetch, or a form it submits): its pair goes into the HttpOnly
     * cookies only, as a refresh by the cookie does; a script injected into the page could otherwise read both tokens
     * from the body (from a window it submits a form into, too), the refresh token good for a day from anywhere.
     * Browsers say so by fetch metadata; one that sends none (Safari before 16.4, Firefox before 90) by the Origin or
     * Referer it sends (a cross-site one was refused above). curl and API clients send none of them and get the body.
     */
    private static boolean isFromThePage(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return "same-origin".equals(site);
        }
        return request.getHeader("Origin") != null || request.getHeader("Referer") != null;
    }
}
