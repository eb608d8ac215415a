package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwtgate.testkit.attacks.HostileTokens.ATTACKER;
import static org.jwtgate.testkit.attacks.HostileTokens.MARKER;
import static org.jwtgate.testkit.attacks.HostileTokens.attackerClaims;
import static org.jwtgate.testkit.attacks.HostileTokens.claims;
import static org.jwtgate.testkit.attacks.HostileTokens.deep;
import static org.jwtgate.testkit.attacks.HostileTokens.hs256;
import static org.jwtgate.testkit.attacks.HostileTokens.signWithJose4j;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.attacks.HostileTokens;
import org.jwtgate.testkit.attacks.HostileTokens.Attack;
import org.jwtgate.testkit.attacks.HostileTokens.Target;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.Certificates;
import org.jwtgate.testkit.tokens.RawJws;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Every attack of issue 2 ({@link HostileTokens}, the catalog the Jakarta Authentication module's
 * container tests send too), sent over HTTP to a real Jetty. None may answer 200 or 500: each
 * gets exactly 401 {@code invalid_token} (400 {@code invalid_request} when the request itself is
 * malformed, 431 when the container refuses an oversized header), and no answer echoes the
 * token or its claims. The controls prove each application accepts the unmodified token, so
 * every refusal is caused by the attack.
 */
class AttackSuiteIT {

    private static final KeyPair RSA = TestTokens.rsaKeyPair();
    private static final KeyPair EC = TestTokens.ecKeyPair("secp256r1");
    /** The applications under attack ({@link Target}), each configured through the documented parameter names. */
    private static final Map<Target, JettyApp> APPS = new EnumMap<>(Target.class);

    private static HttpServer legitimateJwks;
    /** Serves the attacker's keys: any request to it proves a header was trusted. */
    private static HttpServer attackerServer;
    private static final AtomicInteger ATTACKER_HITS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        legitimateJwks = serve(Map.of("/jwks.json", jwks(RSA, "k1")), new AtomicInteger());
        Certificates.SelfSigned attacker = Certificates.selfSignedRsa();
        attackerServer = serve(Map.of(
                "/jwks.json", jwks(new KeyPair(attacker.certificate().getPublicKey(), attacker.privateKey()), "k1"),
                "/cert.pem", attacker.pem()), ATTACKER_HITS);

        APPS.put(Target.HS256, start(TestTokens.settings(), 8192));
        APPS.put(Target.RS256, start(publicKeyParams(TestTokens.pem(RSA), "RS256"), 8192));
        APPS.put(Target.ES256, start(publicKeyParams(TestTokens.pem(EC), "ES256"), 8192));
        Map<String, String> typed = TestTokens.settings();
        typed.put(ConfigKeys.JWT_TYPE, "at+jwt");
        APPS.put(Target.TYPED, start(typed, 8192));
        Map<String, String> jwks = publicKeyParams(null, "RS256");
        jwks.put(ConfigKeys.JWT_JWKS_URI, "http://127.0.0.1:" + legitimateJwks.getAddress().getPort() + "/jwks.json");
        APPS.put(Target.JWKS, start(jwks, 8192));
        // Jetty's header limit raised, token.max-length left at its default: the filter refuses by length.
        APPS.put(Target.BIG_HEADERS, start(TestTokens.settings(), 4 << 20));
        // Both raised, so a 50,000-deep document reaches jose4j's parser.
        Map<String, String> bigTokens = TestTokens.settings();
        bigTokens.put(ConfigKeys.TOKEN_MAX_LENGTH, Integer.toString(1 << 20));
        APPS.put(Target.BIG_TOKENS, start(bigTokens, 4 << 20));
    }

    @AfterAll
    static void stop() throws Exception {
        for (JettyApp app : APPS.values()) {
            app.close();
        }
        if (legitimateJwks != null) {
            legitimateJwks.stop(0);
        }
        if (attackerServer != null) {
            attackerServer.stop(0);
        }
    }

    private static JettyApp start(Map<String, String> params, int requestHeaderSize) throws Exception {
        // The real environment is ignored so a stray JWTGATE_ variable cannot change what is tested.
        return JettyApp.start(JwtAuthFilter.builder().sources(ConfigSources.none()).build(), params, requestHeaderSize);
    }

    private static Map<String, String> publicKeyParams(String pem, String algorithm) {
        Map<String, String> params = new LinkedHashMap<>();
        if (pem != null) {
            params.put(ConfigKeys.JWT_PUBLIC_KEY, pem);
        }
        params.put(ConfigKeys.JWT_ALGORITHMS, algorithm);
        params.put(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER);
        params.put(ConfigKeys.JWT_AUDIENCE, TestTokens.AUDIENCE);
        params.put(ConfigKeys.REVOCATION_STORE, "memory");
        return params;
    }

    private static HttpServer serve(Map<String, String> bodies, AtomicInteger hits) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            String body = bodies.getOrDefault(exchange.getRequestURI().getPath(), "");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body.isEmpty() ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }

    private static String jwks(KeyPair pair, String kid) throws JoseException {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        jwk.setKeyId(kid);
        return new JsonWebKeySet(jwk).toJson();
    }

    // ---- the catalog (shared with the Jakarta Authentication module's container tests) --------

    /** Called after {@code @BeforeAll}: the jku/x5u attacks point at the attacker's running server. */
    static Stream<Arguments> attacks() {
        HostileTokens catalog = new HostileTokens(RSA, EC, "http://127.0.0.1:" + attackerServer.getAddress().getPort());
        return catalog.all().stream().map(attack -> Arguments.of(Named.of(attack.name(), attack)));
    }

    // ---- the tests -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void whenAttackSentThenRefusedCleanlyWithoutEcho(Attack attack) {
        String token = attack.token().get();
        int hitsBefore = ATTACKER_HITS.get();
        RawHttp.Response response = RawHttp.get(APPS.get(attack.target()).port(), "/api", "Authorization: Bearer " + token);

        assertNotEquals(200, response.status(), response.toString());
        assertNotEquals(500, response.status(), response.toString());
        assertTrue(attack.allowed().contains(response.status()),
                "expected one of " + attack.allowed() + " but got " + response);
        assertEquals(hitsBefore, ATTACKER_HITS.get(), "a URL named by the token was fetched");

        if (response.status() == 401) {
            assertTrue(response.header("WWW-Authenticate").startsWith(
                    "Bearer realm=\"jwtgate\", error=\"invalid_token\", error_description=\"The access token "),
                    response.toString());
            assertTrue(response.body().startsWith("{\"error\":\"invalid_token\",\"error_description\":\"The access token "),
                    response.body());
            assertEquals("no-store", response.header("Cache-Control"));
        } else if (response.status() == 400 && attack.allowed().equals(Set.of(400))) {
            assertTrue(response.header("WWW-Authenticate").contains("error=\"invalid_request\""), response.toString());
        }
        assertNoEcho(token, response);
    }

    private static void assertNoEcho(String token, RawHttp.Response response) {
        String everything = response.headers() + "\n" + response.body();
        assertFalse(everything.contains(MARKER), "claims echoed: " + response);
        assertFalse(everything.contains(ATTACKER), "claims echoed: " + response);
        for (String segment : token.split("[.\\s,]+")) {
            if (segment.length() >= 12) {
                assertFalse(everything.contains(segment.substring(0, 12)), "token echoed: " + response);
            }
        }
    }

    static Stream<Arguments> controls() {
        return Stream.of(
                Arguments.of(Named.of("HS256 application", Target.HS256), (Supplier<String>) () -> hs256(claims())),
                Arguments.of(Named.of("RS256 application", Target.RS256),
                        (Supplier<String>) () -> RawJws.rs256(RSA.getPrivate(), "{\"alg\":\"RS256\"}", claims())),
                Arguments.of(Named.of("ES256 application", Target.ES256),
                        (Supplier<String>) () -> signWithJose4j("ES256", EC.getPrivate(), attackerClaims(), jws -> { })),
                Arguments.of(Named.of("typed application", Target.TYPED),
                        (Supplier<String>) () -> hs256("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", claims())),
                Arguments.of(Named.of("JWKS application", Target.JWKS),
                        (Supplier<String>) () -> RawJws.rs256(RSA.getPrivate(), "{\"alg\":\"RS256\",\"kid\":\"k1\"}", claims())),
                Arguments.of(Named.of("big-headers application", Target.BIG_HEADERS), (Supplier<String>) () -> hs256(claims())),
                Arguments.of(Named.of("big-tokens application, 50-deep claims", Target.BIG_TOKENS),
                        (Supplier<String>) () -> hs256(claims("x", deep(50)))));
    }

    @ParameterizedTest(name = "{0} accepts the unmodified token")
    @MethodSource("controls")
    void whenTokenUnmodifiedThenAccepted(Target app, Supplier<String> token) {
        RawHttp.Response response = RawHttp.get(APPS.get(app).port(), "/api", "Authorization: Bearer " + token.get());
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.body().startsWith("user=" + ATTACKER + " admin=true auth=Bearer"), response.body());
    }
}
