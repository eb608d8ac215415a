package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.tokens.RawJws;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Over HTTP, through the real filter in Jetty: a token signed over a claims text that is not JSON (a member without
 * its colon, members without commas) gets 200 with the principal; docs/security.md says headers or payloads that are
 * not JSON objects are refused (401 invalid_token, "not a compact JWS ... or a header or claims set that is not JSON").
 */
class NonJsonTokenIT {

    @Test
    void whenTheClaimsAreNotJsonTextThenTheFilterAnswers401() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String notJson = "{\"iss\" \"" + TestTokens.ISSUER + "\" \"aud\" \"" + TestTokens.AUDIENCE + "\" \"sub\" \"alice\""
                + " \"iat\" " + now + " \"exp\" " + (now + 600) + " \"jti\" \"j-1\" \"groups\" [\"admin\" \"dev\"]}";
        String token = RawJws.hs256("{\"alg\" \"HS256\",,}", notJson);
        try (JettyApp app = JettyApp.start(TestTokens.settings())) {
            HttpResponse<String> response = app.getWithToken("/api", token);
            assertEquals(401, response.statusCode(), "answer: " + response.statusCode() + " " + response.body());
            assertEquals("Bearer realm=\"jwtgate\", error=\"invalid_token\", error_description=\"The access token is invalid\"",
                    response.headers().firstValue("WWW-Authenticate").orElse(""));
        }
    }
}
