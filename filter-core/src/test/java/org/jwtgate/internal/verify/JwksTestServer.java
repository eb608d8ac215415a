package org.jwtgate.internal.verify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A loopback key server (the JDK's) for the JWKS tests that need a set slow to read or an answer held back, and a
 * verifier whose resolver has a lowered fetch timeout or wait, so such tests take seconds, not minutes.
 */
final class JwksTestServer implements AutoCloseable {

    final AtomicInteger hits = new AtomicInteger();
    volatile String body;
    volatile int status = 200;
    /** When set, each answer waits for it (at most 20 s) before its headers. */
    volatile CountDownLatch holdAnswers;
    private final HttpServer server;

    JwksTestServer(String body) throws IOException {
        this.body = body;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            hits.incrementAndGet();
            CountDownLatch hold = holdAnswers;
            if (hold != null) {
                try {
                    hold.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = this.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    @Override
    public void close() {
        CountDownLatch hold = holdAnswers;
        if (hold != null) {
            hold.countDown();
        }
        server.stop(0);
    }

    /** A verifier of RS256 tokens whose keys come from {@code uri}, fetched within {@code fetchTimeout}. */
    static JwtVerifier verifier(String uri, int minRefreshSeconds, Duration fetchTimeout, Duration refreshWait) {
        JwtGateConfig config = JwtGateConfig.of(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI, uri,
                ConfigKeys.JWT_ALGORITHMS, "RS256",
                ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, Integer.toString(minRefreshSeconds)));
        JwksKeyResolver keys = new JwksKeyResolver(URI.create(uri), 300, minRefreshSeconds, Set.of("RS256"),
                new GateMetrics(), fetchTimeout, refreshWait);
        return JwtVerifier.withKeys(config.verification(), config.token(), keys);
    }

    static String rs256(KeyPair pair, String kid) {
        return TestTokens.sign(TestTokens.claims("alice", "admin"), "RS256", pair.getPrivate(),
                jws -> jws.setKeyIdHeaderValue(kid));
    }

    /** {@code byKid}'s keys, then one entry for each of {@code moduli} (kids big-0, big-1, …). */
    static String setWith(Map<String, KeyPair> byKid, List<String> moduli) {
        String good = JwtVerifierJwksTest.jwks(byKid);
        StringBuilder set = new StringBuilder(good.substring(0, good.lastIndexOf(']')));
        for (int i = 0; i < moduli.size(); i++) {
            set.append(",{\"kty\":\"RSA\",\"kid\":\"big-").append(i).append("\",\"use\":\"sig\",\"n\":\"")
                    .append(moduli.get(i)).append("\",\"e\":\"AQAB\"}");
        }
        return set.append("]}").toString();
    }

    /**
     * {@code count} distinct odd 8,192-bit numbers without a prime factor below 1,000 (base64url): the JDK and jose4j
     * take each as an RSA modulus, and each costs RsaModulus a primality test (about 0.15 s here).
     */
    static List<String> largeModuli(int count) {
        return moduli(count, 8192);
    }

    /** {@code count} distinct odd {@code bits}-bit numbers without a prime factor below 1,000 (base64url). */
    static List<String> moduli(int count, int bits) {
        SecureRandom random = new SecureRandom();
        BigInteger smallPrimes = BigInteger.ONE;
        for (int p = 2; p < 1000; p++) {
            if (BigInteger.valueOf(p).isProbablePrime(40)) {
                smallPrimes = smallPrimes.multiply(BigInteger.valueOf(p));
            }
        }
        List<String> moduli = new ArrayList<>();
        while (moduli.size() < count) {
            BigInteger n = new BigInteger(bits, random).setBit(bits - 1).setBit(0);
            if (!n.gcd(smallPrimes).equals(BigInteger.ONE)) {
                continue;
            }
            byte[] bytes = n.toByteArray();
            if (bytes[0] == 0) {
                bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
            }
            moduli.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        return moduli;
    }
}
