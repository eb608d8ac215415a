package org.jwtgate.sample.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.sample.token.Sessions;

/** Writes a token pair: the JSON body (RFC 6749 §5.1 shape) and both cookies. */
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
        cookies.set(response, pair.access().token(), pair.access().lifetime(), pair.refresh().token(),
                pair.refresh().remaining());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", pair.access().token());
        body.put("token_type", "Bearer");
        body.put("expires_in", pair.access().lifetime().toSeconds());
        body.put("refresh_token", pair.refresh().token());
        ApiServlet.json(response, 200, body);
    }
}
