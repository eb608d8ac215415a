package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.tokens.TestTokens;

class JwtAuthFilterSmokeIT {

    @Test
    void whenValidTokenThenServletSeesPrincipal() throws Exception {
        try (JettyApp app = JettyApp.start(TestTokens.settings())) {
            HttpResponse<String> response = app.getWithToken("/api", TestTokens.hs256("alice", "admin"));
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("user=alice admin=true auth=Bearer"), response.body());
        }
    }

    @Test
    void whenNoTokenThen401WithBearerChallenge() throws Exception {
        try (JettyApp app = JettyApp.start(TestTokens.settings())) {
            HttpResponse<String> response = app.get("/api");
            assertEquals(401, response.statusCode());
            assertEquals("Bearer realm=\"jwtgate\"", response.headers().firstValue("WWW-Authenticate").orElseThrow());
        }
    }

    @Test
    void whenUnknownInitParamThenStartFails() {
        Map<String, String> params = new java.util.HashMap<>(TestTokens.settings());
        params.put("jwt.isuer", "x");
        Exception e = assertThrows(Exception.class, () -> JettyApp.start(params).close());
        Throwable t = e;
        StringBuilder messages = new StringBuilder();
        while (t != null) {
            messages.append(t.getMessage()).append('\n');
            t = t.getCause();
        }
        assertTrue(messages.toString().contains("jwt.isuer"), messages.toString());
    }
}
