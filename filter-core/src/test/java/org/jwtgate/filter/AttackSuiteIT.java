package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.AesKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testing.Certificates;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testing.RawHttp;
import org.jwtgate.testing.RawJws;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Every attack of issue 2, sent over HTTP to a real Jetty. None may answer 200 or 500: each
 * gets exactly 401 {@code invalid_token} (400 {@code invalid_request} when the request itself is
 * malformed, 431 when the container refuses an oversized header), and no answer echoes the
 * token or its claims. The controls prove each application accepts the unmodified token, so
 * every refusal is caused by the attack.
 */
class AttackSuiteIT {

    /** Claims of attack tokens carry these, so an echo would be visible. */
    private static final String ATTACKER = "mallory";
    private static final String MARKER = "ATTACK-MARKER-7f3a";
    private static final String SECRET_64 = TestTokens.SECRET + TestTokens.SECRET;

    /** The applications under attack, each configured through the documented parameter names. */
    enum App { HS256, RS256, ES256, TYPED, JWKS, BIG_HEADERS, BIG_TOKENS }

    private static final KeyPair RSA = TestTokens.rsaKeyPair();
    private static final KeyPair EC = TestTokens.ecKeyPair("secp256r1");
    private static final Map<App, JettyApp> APPS = new EnumMap<>(App.class);

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

        APPS.put(App.HS256, start(TestTokens.settings(), 8192));
        APPS.put(App.RS256, start(publicKeyParams(TestTokens.pem(RSA), "RS256"), 8192));
        APPS.put(App.ES256, start(publicKeyParams(TestTokens.pem(EC), "ES256"), 8192));
        Map<String, String> typed = TestTokens.settings();
        typed.put(ConfigKeys.JWT_TYPE, "at+jwt");
        APPS.put(App.TYPED, start(typed, 8192));
        Map<String, String> jwks = publicKeyParams(null, "RS256");
        jwks.put(ConfigKeys.JWT_JWKS_URI, "http://127.0.0.1:" + legitimateJwks.getAddress().getPort() + "/jwks.json");
        APPS.put(App.JWKS, start(jwks, 8192));
        // Jetty's header limit raised, token.max-length left at its default: the filter refuses by length.
        APPS.put(App.BIG_HEADERS, start(TestTokens.settings(), 4 << 20));
        // Both raised, so a 50,000-deep document reaches jose4j's parser.
        Map<String, String> bigTokens = TestTokens.settings();
        bigTokens.put(ConfigKeys.TOKEN_MAX_LENGTH, Integer.toString(1 << 20));
        APPS.put(App.BIG_TOKENS, start(bigTokens, 4 << 20));
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

    private static String attackerUrl(String path) {
        return "http://127.0.0.1:" + attackerServer.getAddress().getPort() + path;
    }

    // ---- token material ----------------------------------------------------------------------

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /**
     * Claims JSON with raw member values. Defaults make a token every application accepts; each
     * override replaces a member's raw JSON ({@code null} removes it; a repeated name is appended).
     */
    static String claims(String... overrides) {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("iss", "\"" + TestTokens.ISSUER + "\"");
        members.put("aud", "\"" + TestTokens.AUDIENCE + "\"");
        members.put("sub", "\"" + ATTACKER + "\"");
        members.put("iat", Long.toString(now()));
        members.put("exp", Long.toString(now() + 600));
        members.put("jti", "\"" + UUID.randomUUID() + "\"");
        members.put("groups", "[\"admin\"]");
        members.put("marker", "\"" + MARKER + "\"");
        List<String> duplicates = new ArrayList<>();
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i].startsWith("+")) {
                duplicates.add("\"" + overrides[i].substring(1) + "\":" + overrides[i + 1]);
            } else if (overrides[i + 1] == null) {
                members.remove(overrides[i]);
            } else {
                members.put(overrides[i], overrides[i + 1]);
            }
        }
        List<String> parts = new ArrayList<>();
        members.forEach((name, value) -> parts.add("\"" + name + "\":" + value));
        parts.addAll(duplicates);
        return "{" + String.join(",", parts) + "}";
    }

    /** Signed with the application's real HMAC secret: only the attacked property is wrong. */
    static String hs256(String header, String payload) {
        return RawJws.hs256(header, payload);
    }

    static String hs256(String payload) {
        return hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload);
    }

    static String hmac(String javaAlgorithm, byte[] key, String header, String payload) {
        return RawJws.hmac(javaAlgorithm, key, header, payload);
    }

    static String signWithJose4j(String algorithm, java.security.Key key, JwtClaims claims,
                                 java.util.function.Consumer<JsonWebSignature> headers) {
        return TestTokens.sign(claims, algorithm, key, headers);
    }

    static JwtClaims attackerClaims() {
        JwtClaims claims = TestTokens.claims(ATTACKER, "admin");
        claims.setClaim("marker", MARKER);
        return claims;
    }

    static String segmentsOf(String token, int keep) {
        String[] parts = token.split("\\.", -1);
        return String.join(".", java.util.Arrays.copyOf(parts, keep));
    }

    static String deep(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    // ---- the catalog -------------------------------------------------------------------------

    /** One attack: where it is sent, how the token is made, and the only statuses allowed. */
    record Attack(App app, Supplier<String> token, Set<Integer> allowed) {
    }

    private static Arguments attack(String name, App app, Supplier<String> token) {
        return Arguments.of(Named.of(name, new Attack(app, token, Set.of(401))));
    }

    private static Arguments malformedRequest(String name, App app, Supplier<String> token) {
        return Arguments.of(Named.of(name, new Attack(app, token, Set.of(400))));
    }

    private static Arguments oversized(String name, App app, Supplier<String> token) {
        return Arguments.of(Named.of(name, new Attack(app, token, Set.of(431, 400))));
    }

    static Stream<Arguments> attacks() {
        List<Arguments> all = new ArrayList<>();

        // alg none, in every spelling, with and without a signature part
        for (String none : List.of("none", "None", "NONE", "nOnE", "none ", "")) {
            all.add(attack("alg [" + none + "], empty signature", App.HS256,
                    () -> RawJws.signingInput("{\"alg\":\"" + none + "\",\"typ\":\"JWT\"}", claims()) + "."));
            all.add(attack("alg [" + none + "], HMAC signature by the real secret", App.HS256,
                    () -> hs256("{\"alg\":\"" + none + "\"}", claims())));
        }
        all.add(attack("alg none against a public-key application", App.RS256,
                () -> RawJws.signingInput("{\"alg\":\"none\"}", claims()) + "."));
        all.add(attack("alg header missing", App.HS256, () -> hs256("{\"typ\":\"JWT\"}", claims())));
        all.add(attack("alg as a number", App.HS256, () -> hs256("{\"alg\":256}", claims())));

        // key confusion: HS256 keyed with the public key the application trusts
        all.add(attack("HS256 signed with the RSA public key PEM text", App.RS256,
                () -> hmac("HmacSHA256", TestTokens.pem(RSA).getBytes(StandardCharsets.US_ASCII), "{\"alg\":\"HS256\"}", claims())));
        all.add(attack("HS256 signed with the RSA public key PEM text, no final newline", App.RS256,
                () -> hmac("HmacSHA256", TestTokens.pem(RSA).trim().getBytes(StandardCharsets.US_ASCII), "{\"alg\":\"HS256\"}", claims())));
        all.add(attack("HS256 signed with the RSA public key DER", App.RS256,
                () -> hmac("HmacSHA256", RSA.getPublic().getEncoded(), "{\"alg\":\"HS256\"}", claims())));
        all.add(attack("HS256 signed with the JWKS key's DER, kid of the real key", App.JWKS,
                () -> hmac("HmacSHA256", RSA.getPublic().getEncoded(), "{\"alg\":\"HS256\",\"kid\":\"k1\"}", claims())));
        all.add(attack("HS256 signed with the EC public key DER", App.ES256,
                () -> hmac("HmacSHA256", EC.getPublic().getEncoded(), "{\"alg\":\"HS256\"}", claims())));

        // stripped, truncated, foreign signatures
        all.add(attack("signature stripped, dot kept", App.HS256, () -> segmentsOf(hs256(claims()), 2) + "."));
        all.add(attack("signature stripped with its dot", App.HS256, () -> segmentsOf(hs256(claims()), 2)));
        all.add(attack("signature truncated", App.HS256, () -> {
            String token = hs256(claims());
            return token.substring(0, token.length() - 6);
        }));
        all.add(attack("signature of another token", App.HS256, () -> {
            String mine = hs256(claims("sub", "\"alice\""));
            return segmentsOf(hs256(claims()), 2) + mine.substring(mine.lastIndexOf('.'));
        }));
        all.add(attack("signature by another secret", App.HS256,
                () -> hmac("HmacSHA256", "attacker-secret-0123456789abcdefgh".getBytes(StandardCharsets.UTF_8),
                        "{\"alg\":\"HS256\"}", claims())));
        all.add(attack("signature by an empty-ish key", App.HS256,
                () -> hmac("HmacSHA256", new byte[1], "{\"alg\":\"HS256\"}", claims())));
        all.add(attack("RS256 signature by the attacker's own key", App.RS256,
                () -> RawJws.rs256(Certificates.selfSignedRsa().privateKey(), "{\"alg\":\"RS256\"}", claims())));
        all.add(attack("RS256 payload swapped under a valid signature", App.RS256, () -> {
            String valid = RawJws.rs256(RSA.getPrivate(), "{\"alg\":\"RS256\"}", claims("sub", "\"alice\"", "groups", "[]"));
            String[] parts = valid.split("\\.");
            return parts[0] + "." + RawJws.b64(claims()) + "." + parts[2];
        }));

        // algorithms outside the allowlist, even with a valid signature
        all.add(attack("HS384 by the real secret, only HS256 allowed", App.HS256,
                () -> hmac("HmacSHA384", TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), "{\"alg\":\"HS384\"}", claims())));
        all.add(attack("HS512 by a 64-byte secret, only HS256 allowed", App.HS256,
                () -> hmac("HmacSHA512", SECRET_64.getBytes(StandardCharsets.UTF_8), "{\"alg\":\"HS512\"}", claims())));
        all.add(attack("RS256 against an HMAC application", App.HS256,
                () -> RawJws.rs256(RSA.getPrivate(), "{\"alg\":\"RS256\"}", claims())));
        all.add(attack("PS256 by the real RSA key, only RS256 allowed", App.RS256,
                () -> signWithJose4j("PS256", RSA.getPrivate(), attackerClaims(), jws -> { })));
        all.add(attack("RS512 by the real RSA key, only RS256 allowed", App.RS256,
                () -> signWithJose4j("RS512", RSA.getPrivate(), attackerClaims(), jws -> { })));
        all.add(attack("ES256 against an RSA application", App.RS256,
                () -> signWithJose4j("ES256", EC.getPrivate(), attackerClaims(), jws -> { })));
        all.add(attack("alg in lower case (hs256)", App.HS256, () -> hs256("{\"alg\":\"hs256\"}", claims())));

        // wrong segment counts, bad base64url, padding, whitespace
        all.add(attack("one segment", App.HS256, () -> RawJws.b64(claims())));
        all.add(attack("four segments", App.HS256, () -> hs256(claims()) + ".eHh4"));
        all.add(attack("five segments, not a JWE", App.HS256, () -> hs256(claims()) + ".eHh4.eXl5"));
        all.add(attack("six segments", App.HS256, () -> hs256(claims()) + ".a.b.c"));
        all.add(attack("empty header segment", App.HS256, () -> {
            String token = hs256(claims());
            return token.substring(token.indexOf('.'));
        }));
        all.add(attack("base64 '+' and '/' instead of base64url", App.HS256,
                () -> hs256(claims()).replace('-', '+').replace('_', '/') + "+/"));
        all.add(attack("padding at the end", App.HS256, () -> hs256(claims()) + "=="));
        all.add(attack("undecodable one-character header", App.HS256, () -> "A." + RawJws.b64(claims()) + ".c2ln"));
        all.add(malformedRequest("Bearer with an empty token", App.HS256, () -> ""));
        all.add(malformedRequest("padding inside the token", App.HS256, () -> {
            String[] parts = hs256(claims()).split("\\.");
            return parts[0] + "==." + parts[1] + "." + parts[2];
        }));
        all.add(malformedRequest("space inside the token", App.HS256, () -> hs256(claims()).replaceFirst("\\.", ". ")));
        all.add(malformedRequest("tab inside the token", App.HS256, () -> hs256(claims()).replaceFirst("\\.", ".\t")));
        all.add(malformedRequest("characters outside base64url", App.HS256, () -> "!!!." + RawJws.b64(claims()) + ".c2ln"));
        all.add(malformedRequest("two tokens in one header", App.HS256, () -> hs256(claims()) + ", Bearer " + hs256(claims())));

        // non-JSON or non-object documents, signed by the real secret
        all.add(attack("payload not JSON", App.HS256, () -> hs256("not json " + MARKER)));
        all.add(attack("payload a JSON array", App.HS256, () -> hs256("[\"" + MARKER + "\"]")));
        all.add(attack("payload a JSON string", App.HS256, () -> hs256("\"" + MARKER + "\"")));
        all.add(attack("payload truncated JSON", App.HS256, () -> hs256(claims().substring(0, 40))));
        all.add(attack("payload empty", App.HS256, () -> hs256("")));
        all.add(attack("header not JSON", App.HS256, () -> hs256("HS256", claims())));
        all.add(attack("header a JSON array", App.HS256, () -> hs256("[\"HS256\"]", claims())));
        all.add(attack("header an empty object", App.HS256, () -> hs256("{}", claims())));

        // duplicate member names
        all.add(attack("duplicate alg: none then HS256", App.HS256, () -> hs256("{\"alg\":\"none\",\"alg\":\"HS256\"}", claims())));
        all.add(attack("duplicate alg: HS256 twice", App.HS256, () -> hs256("{\"alg\":\"HS256\",\"alg\":\"HS256\"}", claims())));
        all.add(attack("duplicate sub", App.HS256, () -> hs256(claims("+sub", "\"admin\""))));
        all.add(attack("duplicate exp: now then far future", App.HS256,
                () -> hs256(claims("+exp", Long.toString(now() + 10 * 365 * 86400L)))));
        all.add(attack("duplicate groups", App.HS256, () -> hs256(claims("groups", "[]", "+groups", "[\"admin\"]"))));

        // time claims
        all.add(attack("exp missing", App.HS256, () -> hs256(claims("exp", null))));
        all.add(attack("exp in the past", App.HS256, () -> hs256(claims("iat", Long.toString(now() - 3600),
                "exp", Long.toString(now() - 600)))));
        all.add(attack("exp as a string", App.HS256, () -> hs256(claims("exp", "\"" + (now() + 600) + "\""))));
        all.add(attack("exp in year 9999", App.HS256, () -> hs256(claims("exp", "253402300799"))));
        all.add(attack("exp 1e300", App.HS256, () -> hs256(claims("exp", "1e300"))));
        all.add(attack("exp negative", App.HS256, () -> hs256(claims("exp", "-1"))));
        all.add(attack("exp null", App.HS256, () -> hs256(claims("exp", "null"))));
        all.add(attack("exp beyond 64 bits", App.HS256, () -> hs256(claims("exp", "99999999999999999999999999"))));
        all.add(attack("lifetime longer than jwt.max-age-seconds", App.HS256, () -> hs256(claims(
                "iat", Long.toString(now() - 2 * 3600), "exp", Long.toString(now() + 23 * 3600)))));
        all.add(attack("nbf in the future", App.HS256, () -> hs256(claims("nbf", Long.toString(now() + 600)))));
        all.add(attack("iat in the future", App.HS256, () -> hs256(claims("iat", Long.toString(now() + 600),
                "exp", Long.toString(now() + 1200)))));
        all.add(attack("iat missing", App.HS256, () -> hs256(claims("iat", null))));
        all.add(attack("iat 1e300", App.HS256, () -> hs256(claims("iat", "1e300"))));
        all.add(attack("iat -1e300", App.HS256, () -> hs256(claims("iat", "-1e300"))));

        // issuer and audience variants
        for (String issuer : List.of("https://ISSUER.example", "https://issuer.example/", " https://issuer.example",
                "https://issuer.example.evil", "http://issuer.example")) {
            all.add(attack("iss [" + issuer + "]", App.HS256, () -> hs256(claims("iss", "\"" + issuer + "\""))));
        }
        all.add(attack("iss missing", App.HS256, () -> hs256(claims("iss", null))));
        all.add(attack("iss as an array", App.HS256, () -> hs256(claims("iss", "[\"" + TestTokens.ISSUER + "\"]"))));
        for (String audience : List.of("JWTGATE-TESTS", "jwtgate-tests/", "other-service", "")) {
            all.add(attack("aud [" + audience + "]", App.HS256, () -> hs256(claims("aud", "\"" + audience + "\""))));
        }
        all.add(attack("aud missing", App.HS256, () -> hs256(claims("aud", null))));
        all.add(attack("aud an empty array", App.HS256, () -> hs256(claims("aud", "[]"))));

        // typ
        all.add(attack("typ JWT where at+jwt is required", App.TYPED, () -> hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims())));
        all.add(attack("typ missing where at+jwt is required", App.TYPED, () -> hs256("{\"alg\":\"HS256\"}", claims())));
        all.add(attack("typ at+jwt+x where at+jwt is required", App.TYPED,
                () -> hs256("{\"alg\":\"HS256\",\"typ\":\"at+jwt+x\"}", claims())));

        // crit, b64, zip, JWE, nesting
        all.add(attack("unknown crit header", App.HS256,
                () -> hs256("{\"alg\":\"HS256\",\"crit\":[\"x-policy\"],\"x-policy\":1}", claims())));
        all.add(attack("crit naming a registered header", App.HS256,
                () -> hs256("{\"alg\":\"HS256\",\"crit\":[\"alg\"]}", claims())));
        all.add(attack("b64 false with crit b64", App.HS256, () -> {
            // RFC 7797: the payload is signed and sent as is, not base64url-encoded.
            String input = RawJws.b64("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}") + ".unencodedPayload";
            return input + "." + RawJws.b64(hmacBytes(input));
        }));
        all.add(attack("b64 true with crit b64", App.HS256,
                () -> hs256("{\"alg\":\"HS256\",\"b64\":true,\"crit\":[\"b64\"]}", claims())));
        all.add(attack("zip header on a JWS", App.HS256, () -> hs256("{\"alg\":\"HS256\",\"zip\":\"DEF\"}", claims())));
        all.add(attack("JWE (dir, A128CBC-HS256) keyed with the secret", App.HS256, AttackSuiteIT::jwe));
        all.add(attack("nested JWT (cty JWT), both levels signed by the real secret", App.HS256, () -> {
            String inner = hs256(claims());
            return hs256("{\"alg\":\"HS256\",\"cty\":\"JWT\"}", inner);
        }));

        // keys carried by the token itself: never trusted, never fetched
        Supplier<String> embeddedAll = () -> embeddedKeyToken(true, true, true, true, null);
        for (App app : List.of(App.RS256, App.JWKS)) {
            all.add(attack("embedded jwk signs the token (" + app + ")", app, () -> embeddedKeyToken(true, false, false, false, null)));
            all.add(attack("jku points at the attacker's JWKS (" + app + ")", app, () -> embeddedKeyToken(false, true, false, false, null)));
            all.add(attack("x5u points at the attacker's certificate (" + app + ")", app,
                    () -> embeddedKeyToken(false, false, true, false, null)));
            all.add(attack("x5c carries the attacker's certificate (" + app + ")", app,
                    () -> embeddedKeyToken(false, false, false, true, null)));
            all.add(attack("jwk, jku, x5u and x5c together (" + app + ")", app, embeddedAll));
            all.add(attack("jwk, jku, x5u and x5c with the real kid (" + app + ")", app,
                    () -> embeddedKeyToken(true, true, true, true, "k1")));
        }

        // kid injection
        for (String kid : List.of("../../etc/passwd", "/dev/null", "' OR 1=1 --", "\u0000", "x\u0000../../etc/passwd",
                "${jndi:ldap://127.0.0.1:1/a}", "k".repeat(4000))) {
            String shown = kid.length() > 40 ? "very long (" + kid.length() + " chars)" : kid.replace("\u0000", "\\u0000");
            all.add(attack("kid [" + shown + "], HMAC by a guessed key", App.HS256,
                    () -> hmac("HmacSHA256", new byte[32], "{\"alg\":\"HS256\",\"kid\":" + RawJws.jsonString(kid) + "}", claims())));
            all.add(attack("kid [" + shown + "], signed by the attacker (JWKS)", App.JWKS,
                    () -> RawJws.rs256(Certificates.selfSignedRsa().privateKey(),
                            "{\"alg\":\"RS256\",\"kid\":" + RawJws.jsonString(kid) + "}", claims())));
        }
        all.add(attack("kid longer than token.max-length", App.BIG_HEADERS,
                () -> hmac("HmacSHA256", new byte[32], "{\"alg\":\"HS256\",\"kid\":\"" + "k".repeat(9000) + "\"}", claims())));

        // sizes and depth
        oversizedCases(all);

        // ECDSA
        all.add(attack("ES256 all-zero signature", App.ES256,
                () -> RawJws.withSignature("{\"alg\":\"ES256\"}", claims(), new byte[64])));
        all.add(attack("ES256 r = s = n-ish all-ones signature", App.ES256,
                () -> RawJws.withSignature("{\"alg\":\"ES256\"}", claims(), filled(64, (byte) 0xFF))));
        all.add(attack("ES256 signature of the wrong length", App.ES256,
                () -> RawJws.withSignature("{\"alg\":\"ES256\"}", claims(), new byte[63])));
        all.add(attack("ES256 DER-encoded zero signature", App.ES256,
                () -> RawJws.withSignature("{\"alg\":\"ES256\"}", claims(), new byte[] {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00})));
        return all.stream();
    }

    private static void oversizedCases(List<Arguments> all) {
        all.add(oversized("5 MB token", App.HS256, () -> "a".repeat(5 << 20)));
        all.add(oversized("5 MB token, Jetty's header limit raised to 4 MiB", App.BIG_HEADERS, () -> "a".repeat(5 << 20)));
        all.add(attack("100 KB token, refused by token.max-length before parsing", App.BIG_HEADERS,
                () -> hs256(claims("x", "\"" + "a".repeat(100_000) + "\""))));
        all.add(oversized("50,000-deep JSON header, default Jetty", App.HS256,
                () -> hs256("{\"alg\":\"HS256\",\"x\":" + deep(50_000) + "}", claims())));
        all.add(attack("50,000-deep JSON header, default token.max-length", App.BIG_HEADERS,
                () -> hs256("{\"alg\":\"HS256\",\"x\":" + deep(50_000) + "}", claims())));
        all.add(attack("50,000-deep JSON header reaching the parser, signed by the attacker", App.BIG_TOKENS,
                () -> hmac("HmacSHA256", new byte[32], "{\"alg\":\"HS256\",\"x\":" + deep(50_000) + "}", claims())));
        all.add(attack("50,000-deep JSON claims reaching the parser, signed by the attacker", App.BIG_TOKENS,
                () -> hmac("HmacSHA256", new byte[32], "{\"alg\":\"HS256\"}", claims("x", deep(50_000)))));
        all.add(attack("50,000-deep JSON claims reaching the parser, signed by the real secret", App.BIG_TOKENS,
                () -> hs256(claims("x", deep(50_000)))));
        all.add(attack("50,000-deep JSON objects in the claims, signed by the real secret", App.BIG_TOKENS,
                () -> hs256(claims("x", "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000)))));
        all.add(attack("50,000-deep JSON as the whole payload, signed by the real secret", App.BIG_TOKENS,
                () -> hs256(deep(50_000))));
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, value);
        return bytes;
    }

    private static byte[] hmacBytes(String input) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwe() {
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.DIRECT);
            jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_128_CBC_HMAC_SHA_256);
            jwe.setKey(new AesKey(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8)));
            jwe.setPayload(claims());
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RS256 signed by the attacker's key, which the chosen headers carry or point at. */
    private static String embeddedKeyToken(boolean jwk, boolean jku, boolean x5u, boolean x5c, String kid) {
        Certificates.SelfSigned attacker = Certificates.selfSignedRsa();
        PrivateKey key = attacker.privateKey();
        return signWithJose4j("RS256", key, attackerClaims(), jws -> {
            try {
                if (jwk) {
                    jws.setJwkHeader(PublicJsonWebKey.Factory.newPublicJwk(attacker.certificate().getPublicKey()));
                }
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
            if (jku) {
                jws.setHeader("jku", attackerUrl("/jwks.json"));
            }
            if (x5u) {
                jws.setHeader("x5u", attackerUrl("/cert.pem"));
            }
            if (x5c) {
                jws.getHeaders().setObjectHeaderValue("x5c", List.of(attacker.x5c()));
            }
            if (kid != null) {
                jws.setKeyIdHeaderValue(kid);
            }
        });
    }

    // ---- the tests -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void whenAttackSentThenRefusedCleanlyWithoutEcho(Attack attack) {
        String token = attack.token().get();
        int hitsBefore = ATTACKER_HITS.get();
        RawHttp.Response response = RawHttp.get(APPS.get(attack.app()).port(), "/api", "Authorization: Bearer " + token);

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
                Arguments.of(Named.of("HS256 application", App.HS256), (Supplier<String>) () -> hs256(claims())),
                Arguments.of(Named.of("RS256 application", App.RS256),
                        (Supplier<String>) () -> RawJws.rs256(RSA.getPrivate(), "{\"alg\":\"RS256\"}", claims())),
                Arguments.of(Named.of("ES256 application", App.ES256),
                        (Supplier<String>) () -> signWithJose4j("ES256", EC.getPrivate(), attackerClaims(), jws -> { })),
                Arguments.of(Named.of("typed application", App.TYPED),
                        (Supplier<String>) () -> hs256("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", claims())),
                Arguments.of(Named.of("JWKS application", App.JWKS),
                        (Supplier<String>) () -> RawJws.rs256(RSA.getPrivate(), "{\"alg\":\"RS256\",\"kid\":\"k1\"}", claims())),
                Arguments.of(Named.of("big-headers application", App.BIG_HEADERS), (Supplier<String>) () -> hs256(claims())),
                Arguments.of(Named.of("big-tokens application, 50-deep claims", App.BIG_TOKENS),
                        (Supplier<String>) () -> hs256(claims("x", deep(50)))));
    }

    @ParameterizedTest(name = "{0} accepts the unmodified token")
    @MethodSource("controls")
    void whenTokenUnmodifiedThenAccepted(App app, Supplier<String> token) {
        RawHttp.Response response = RawHttp.get(APPS.get(app).port(), "/api", "Authorization: Bearer " + token.get());
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.body().startsWith("user=" + ATTACKER + " admin=true auth=Bearer"), response.body());
    }
}
