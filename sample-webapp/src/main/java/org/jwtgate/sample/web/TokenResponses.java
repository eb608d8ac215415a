package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.sample.token.Sessions;

/**
 * Writes a token pair: the JSON body (RFC 6749 §5.1 shape) and both cookies. A DPoP-bound pair is
 * {@code token_type: DPoP} and gets no access cookie (any old one is cleared): a cookie would present
 * the token as a bearer token, which JwtGate refuses for a bound token; the client keeps it in memory
 * and sends it with a proof. The refresh cookie stays (the refresh token is bound to the same key).
 */
@Singleton
public class TokenResponses {

    private final TokenCookies cookies;

    @Inject
    public TokenResponses(JwtGateConfig config) {
        this.cookies = new TokenCookies(config.token().cookie());
    }

    public TokenCookies cookies() {
        return cookies;
    }

    void tokens(HttpServletResponse response, Sessions.TokenPair pair) throws IOException {
        write(response, pair, true);
    }

    /**
     * A pair for a client whose refresh token came in the cookie (the page): the tokens go into the HttpOnly
     * cookies, and the body carries no bearer credential a script of the page could read — no refresh token,
     * and the access token only when it is DPoP-bound (the page keeps that one in memory; useless without its key).
     */
    void tokensForCookieClient(HttpServletResponse response, Sessions.TokenPair pair) throws IOException {
        write(response, pair, false);
    }

    private void write(HttpServletResponse response, Sessions.TokenPair pair, boolean bearerTokensInBody)
            throws IOException {
        boolean bound = pair.access().isDpopBound();
        if (bound) {
            cookies.setRefreshOnly(response, pair.refresh().token(), pair.refresh().remaining());
        } else {
            cookies.set(response, pair.access().token(), pair.access().lifetime(), pair.refresh().token(),
                    pair.refresh().remaining());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        // Without an access cookie (token.cookie empty) the body is the only way the new access token reaches
        // the client: the refresh has rotated the family, so withholding it would lose the session.
        if (bound || bearerTokensInBody || !cookies.carriesAccessToken()) {
            body.put("access_token", pair.access().token());
        }
        body.put("token_type", bound ? "DPoP" : "Bearer");
        body.put("expires_in", pair.access().lifetime().toSeconds());
        if (bearerTokensInBody) {
            body.put("refresh_token", pair.refresh().token());
        }
        response.setHeader("Pragma", "no-cache"); // RFC 6749 §5.1, beside ApiServlet's Cache-Control: no-store
        ApiServlet.json(response, 200, body);
    }
}
