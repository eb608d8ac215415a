package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * An application's own store that breaks the SPI's word (it throws another RuntimeException than
 * RevocationUnavailableException) is answered as a store that cannot answer: 503 with Retry-After, or a pass with
 * {@code revocation.failure-mode=open}. Before (an API probe's find), a 500 in both modes, whose Jetty error page
 * showed the store's own message.
 */
class OwnStoreFailureIT {

    private static final String STORE_MESSAGE = "pool exhausted at jdbc:secret-host";

    /** A store whose every check throws IllegalStateException. */
    private static RevocationStore breakingStore() {
        return new RevocationStore() {
            @Override
            public boolean isRevoked(TokenRef token) {
                throw new IllegalStateException(STORE_MESSAGE);
            }

            @Override
            public RevocationResult revokeToken(TokenRef token, Duration ttl) {
                throw new UnsupportedOperationException();
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
                return "own store";
            }

            @Override
            public void close() {
            }
        };
    }

    private static HttpResponse<String> requestWith(String failureMode) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.REVOCATION_FAILURE_MODE, failureMode);
        JwtAuthFilter filter = JwtAuthFilter.builder().sources(ConfigSources.none()).revocationStore(breakingStore()).build();
        try (JettyApp app = JettyApp.start(filter, settings)) {
            return app.getWithToken("/api", TestTokens.hs256("own-store"));
        }
    }

    @Test
    void whenAnOwnStoreThrowsARuntimeExceptionThen503WithRetryAfterNot500() throws Exception {
        HttpResponse<String> response = requestWith("closed");
        assertAll(
                () -> assertEquals(503, response.statusCode(), response.body()),
                () -> assertTrue(response.headers().firstValue("Retry-After").isPresent(), "Retry-After"),
                () -> assertFalse(response.body().contains(STORE_MESSAGE), response.body()));
    }

    @Test
    void whenAnOwnStoreThrowsARuntimeExceptionFailingOpenThenTheRequestPasses() throws Exception {
        HttpResponse<String> response = requestWith("open");
        assertEquals(200, response.statusCode(), response.body());
    }
}
