package org.jwtgate.sample.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.sample.token.IssuedAccessToken;
import org.jwtgate.sample.token.RefreshTokens;
import org.jwtgate.sample.token.Sessions;
import org.jwtgate.testkit.tokens.TestTokens;

/** What a token answer hands over: the body and the Set-Cookie headers. */
class TokenResponsesTest {

    private static final String ACCESS = "header.claims.signature";

    private final List<String> setCookies = new ArrayList<>();
    private final StringWriter body = new StringWriter();

    /** A response that keeps its Set-Cookie headers and its body. */
    private HttpServletResponse response() {
        PrintWriter writer = new PrintWriter(body);
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "addHeader", "setHeader" -> {
                            if ("Set-Cookie".equalsIgnoreCase((String) args[0])) {
                                setCookies.add((String) args[1]);
                            }
                        }
                        case "getWriter" -> {
                            return writer;
                        }
                        default -> {
                        }
                    }
                    return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
                });
    }

    private static Sessions.TokenPair bearerPair() {
        Instant now = Instant.now();
        return new Sessions.TokenPair(new IssuedAccessToken(ACCESS, "jti-1", now, now.plusSeconds(900), null),
                new RefreshTokens.Issued("family.refresh", "family", Duration.ofDays(1), null));
    }

    @Test
    void whenAccessCookiesAreOffThenARefreshByTheCookieStillHandsOverTheNewAccessToken() {
        // token.cookie empty: no access cookie. The refresh cookie is set all the same, and a refresh by it rotates
        // the family: the new access token must reach the client somewhere, or it is lost with the old refresh token.
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.TOKEN_COOKIE, "");
        TokenResponses responses = new TokenResponses(JwtGateConfig.of(settings));
        try {
            responses.tokensForCookieClient(response(), bearerPair());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        boolean inCookie = setCookies.stream().anyMatch(cookie -> cookie.contains(ACCESS));
        boolean inBody = body.toString().contains(ACCESS);
        assertTrue(inCookie || inBody, "the new access token is handed to no one: Set-Cookie " + setCookies + ", body " + body);
    }
}
