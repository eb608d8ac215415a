package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.KeysUnavailableException;
import org.junit.jupiter.api.Test;

/**
 * Closed before any set loaded (a redeploy while the key server was down): JwksKeyResolver says "a key the set lacks
 * is then not fetched", and a closed gate answers 503 naming the close. Not loaded, it still fetched through its
 * closed client, and the message said "JWKS not loaded yet" (sending the operator to the network).
 */
class JwksClosedBeforeLoadedTest {

    @Test
    void whenClosedBeforeTheFirstSetLoadedThenNothingIsFetchedAndTheMessageNamesTheClose() throws Exception {
        KeyPair pair = TestTokens.rsaKeyPair();
        AtomicInteger hits = new AtomicInteger();
        int[] status = {500};
        String body = JwtVerifierJwksTest.jwks(Map.of("k1", pair));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            hits.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status[0], bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try {
            JwtVerifier verifier = JwtVerifierTest.verifier(JwtVerifierTest.settings(
                    ConfigKeys.JWT_JWKS_URI, "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json",
                    ConfigKeys.JWT_ALGORITHMS, "RS256", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "1"));
            assertEquals(1, hits.get(), "the start's fetch (answered 500)");
            verifier.close();
            status[0] = 200; // the key server is back
            Thread.sleep(1_300); // past jwt.jwks-min-refresh-seconds=1
            String token = TestTokens.sign(TestTokens.claims("alice"), "RS256", pair.getPrivate(),
                    jws -> jws.setKeyIdHeaderValue("k1"));
            long start = System.nanoTime();
            KeysUnavailableException unavailable =
                    assertThrows(KeysUnavailableException.class, () -> verifier.verify(token));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(unavailable.getMessage().contains("JwtGate was closed"),
                    "message: " + unavailable.getMessage() + " (answered in " + millis + " ms)");
            assertEquals(1, hits.get(), "nothing fetched once closed");
        } finally {
            server.stop(0);
        }
    }
}
