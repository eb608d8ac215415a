package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.Filter;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Over HTTP (Jetty): a request thread the container interrupts while it fetches the JWKS for an unknown kid (a
 * stuck-thread valve), or that arrives interrupted: 503 with Retry-After, never 500 or a broken response, although the
 * thread's interrupt is kept while the container writes the answer ({@code JwksFailedFetchUnknownKidTest} checks the
 * outcomes without a container).
 */
class JwksInterruptedRequestIT {

    @Test
    void aRequestInterruptedDuringItsJwksFetchGets503WithRetryAfter() throws Exception {
        KeyPair held = TestTokens.rsaKeyPair();
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(held.getPublic());
        jwk.setKeyId("k1");
        byte[] set = new JsonWebKeySet(jwk).toJson().getBytes(StandardCharsets.UTF_8);
        AtomicInteger hits = new AtomicInteger();
        CountDownLatch[] hold = {null};
        HttpServer keyServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keyServer.createContext("/jwks.json", exchange -> {
            hits.incrementAndGet();
            CountDownLatch h = hold[0];
            if (h != null) {
                try {
                    h.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, set.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(set);
            }
        });
        keyServer.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        keyServer.start();
        Filter interrupter = (request, response, chain) -> {
            String mode = ((jakarta.servlet.http.HttpServletRequest) request).getHeader("X-Interrupt");
            Thread self = Thread.currentThread();
            if ("now".equals(mode)) {
                self.interrupt();
            } else if ("later".equals(mode)) {
                Thread valve = new Thread(() -> {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                    self.interrupt();
                });
                valve.start();
            }
            chain.doFilter(request, response);
        };
        try {
            JwtAuthFilter filter = JwtAuthFilter.builder()
                    .set(ConfigKeys.JWT_JWKS_URI, "http://127.0.0.1:" + keyServer.getAddress().getPort() + "/jwks.json")
                    .set(ConfigKeys.JWT_ALGORITHMS, "RS256")
                    .set(ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "1")
                    .set(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER)
                    .set(ConfigKeys.REVOCATION_STORE, "memory")
                    .set(ConfigKeys.REVOCATION_RETRY_AFTER_SECONDS, "9")
                    .sources(ConfigSources.none()).build();
            try (JettyApp app = JettyApp.startAfter(interrupter, filter, Map.of())) {
                String newKey = TestTokens.sign(TestTokens.claims("alice"), "RS256",
                        TestTokens.rsaKeyPair().getPrivate(), jws -> jws.setKeyIdHeaderValue("k2"));
                Thread.sleep(1_100);
                hold[0] = new CountDownLatch(1);
                java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
                java.net.URI uri = app.uri("/api");
                HttpResponse<String> later = client.send(java.net.http.HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + newKey).header("X-Interrupt", "later").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, later.statusCode(), "interrupted during its fetch: " + later.body());
                assertEquals("9", later.headers().firstValue("Retry-After").orElse("none"));
                hold[0].countDown();
                hold[0] = null;
                Thread.sleep(1_100);
                HttpResponse<String> now = client.send(java.net.http.HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + newKey).header("X-Interrupt", "now").build(),
                        HttpResponse.BodyHandlers.ofString());
                // Arrived interrupted: its fetch ends by the interrupt (503), unless the key server's answer was in
                // before the thread looked (CompletableFuture.get returns a result already there without looking:
                // seen on JDK 25), when the set read without k2 gives the documented 401. Never a 500.
                assertTrue(now.statusCode() == 503 || now.statusCode() == 401, "arrived interrupted: " + now.statusCode()
                        + " " + now.body());
                if (now.statusCode() == 503) {
                    assertEquals("9", now.headers().firstValue("Retry-After").orElse("none"));
                }
            }
        } finally {
            CountDownLatch h = hold[0];
            if (h != null) {
                h.countDown();
            }
            keyServer.stop(0);
        }
    }
}
