package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.sample.token.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /refresh}: the refresh token from the cookie or JSON {@code refresh_token} → a new
 * pair. An already-rotated token revokes its whole family and answers 401, as does an unknown one (503 while another
 * request revokes the family: sent again, it finds that done).
 * Refreshed by the cookie, the new pair goes into the cookies only (the body carries no bearer token a
 * script of the page could read); refreshed by the body, the body carries it, as to any client.
 * A DPoP client's family rotates only for a request with a DPoP proof by its key (RFC 9449 §5), and
 * its new access token is bound to that key; anything else is the same 401.
 */
@Singleton
public class RefreshServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RefreshServlet.class);

    private final Sessions sessions;
    private final TokenResponses responses;
    private final CrossSiteCheck crossSite;
    private final DpopTokenRequests dpop;

    @Inject
    public RefreshServlet(Sessions sessions, TokenResponses responses, JwtGateConfig config, DpopTokenRequests dpop) {
        this.sessions = sessions;
        this.responses = responses;
        this.crossSite = new CrossSiteCheck(config.csrfMode());
        this.dpop = dpop;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> fields = RequestBody.read(request);
        String fromBody = fields.get("refresh_token");
        String fromCookie = TokenCookies.refreshToken(request);
        if (fromBody != null && fromCookie != null && !fromBody.equals(fromCookie)) {
            throw new BadRequestException("The refresh_token field and cookie disagree");
        }
        String token = fromBody != null ? fromBody : fromCookie;
        if (token == null || token.isEmpty()) {
            throw new BadRequestException("No refresh token: send the refresh_token cookie or JSON field");
        }
        boolean byCookie = fromBody == null;
        // The cookie authenticates this request as much as an access cookie would: same origin check. A token in
        // the body is refused from another site as at /login: a cross-site form carrying the attacker's own token
        // would otherwise set the attacker's session in the victim's browser (login CSRF).
        if (byCookie ? crossSite.isNotProvenSameOrigin(request) : crossSite.isEvidentlyCrossSite(request)) {
            LOG.debug("Refused POST /refresh: cross-site request");
            error(response, 403, "csrf_refused", "Cross-site request refused");
            return;
        }
        String dpopThumbprint = null;
        if (dpop.requested(request)) {
            // An unknown refresh token ends here, before its proof is checked and recorded in Redis.
            if (sessions.refreshTokenOwner(token) == null) {
                LOG.debug("Refused POST /refresh: unknown refresh token with a DPoP proof");
                responses.cookies().clear(response);
                error(response, 401, "invalid_grant", "Invalid, expired or revoked refresh token");
                return;
            }
            try {
                dpopThumbprint = dpop.verify(request);
            } catch (InvalidDpopProofException e) {
                dpop.refuse(request, response, e);
                return;
            }
        }
        Sessions.RefreshOutcome outcome = sessions.refresh(token, dpopThumbprint);
        if (outcome instanceof Sessions.Refreshed refreshed) {
            if (byCookie) {
                responses.tokensForCookieClient(response, refreshed.pair());
            } else {
                responses.tokens(response, refreshed.pair());
            }
            return;
        }
        if (outcome instanceof Sessions.ReuseBeingRevoked) {
            // Another request is revoking the family: this one, sent again, finds it done (401) or takes it over.
            LOG.debug("Refused POST /refresh: refresh token reuse, the family's revocation under way");
            unavailable(response);
            return;
        }
        responses.cookies().clear(response);
        if (outcome instanceof Sessions.ReuseDetected) {
            error(response, 401, "invalid_grant", "Refresh token reuse detected: the session was revoked");
        } else {
            LOG.debug("Refused POST /refresh: unknown, expired or revoked refresh token");
            error(response, 401, "invalid_grant", "Invalid, expired or revoked refresh token");
        }
    }
}
