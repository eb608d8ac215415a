package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.RawJws;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.RedisClusterClient;

/**
 * Every DPoP attack of issue 13, over HTTP, against real Jetty instances whose one-time proof records
 * live in a real Redis Cluster (3 masters + 3 replicas). Instances A and B stand for two servers behind
 * one load balancer ({@code dpop.public-base-url=https://api.example.com}), so a proof made for one is
 * valid on the other — until it has been used once, anywhere. None of the attacks may answer 200 or
 * 500; each gets exactly the documented answer (status, every {@code WWW-Authenticate} challenge,
 * body), and none echoes the token, the proof or the claims. The controls prove that every refused
 * request differs from an accepted one by the attack alone.
 */
class DpopAttackSuiteIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final String BASE = "https://api.example.com";
    private static final String PATH = "/api/orders";
    private static final String HTU = BASE + PATH;
    private static final String ALGS = "algs=\"ES256 EdDSA RS256 PS256\"";
    private static final String NONCE_SECRET = "dpop-nonce-secret-0123456789abcdef";
    private static final String MARKER = "DPOP-ATTACK-MARKER-51c2";

    /**
     * The applications: A and B share the cluster and the public origin; NONCE_A/B also a nonce secret; WRAPPED is A's
     * configuration behind another filter of the application ({@link GetHeaderCredentials}).
     */
    enum App { A, B, NONCE_A, NONCE_B, REQUIRED, LOCAL, WRAPPED }

    private static final Map<App, JettyApp> APPS = new EnumMap<>(App.class);
    private static final DpopKey KEY = DpopKey.es256();
    private static final DpopKey ATTACKER = DpopKey.es256();

    @BeforeAll
    static void start() throws Exception {
        APPS.put(App.A, start(Map.of(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_PUBLIC_BASE_URL, BASE)));
        APPS.put(App.B, start(Map.of(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_PUBLIC_BASE_URL, BASE)));
        Map<String, String> nonces = Map.of(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_PUBLIC_BASE_URL, BASE,
                ConfigKeys.DPOP_NONCE, "required", ConfigKeys.DPOP_NONCE_SECRET, NONCE_SECRET);
        APPS.put(App.NONCE_A, start(nonces));
        APPS.put(App.NONCE_B, start(nonces));
        APPS.put(App.REQUIRED, start(Map.of(ConfigKeys.DPOP_MODE, "required", ConfigKeys.DPOP_PUBLIC_BASE_URL, BASE)));
        // No public origin configured: htu is the request's own http://127.0.0.1:<port>.
        APPS.put(App.LOCAL, start(Map.of(ConfigKeys.DPOP_MODE, "allowed")));
        APPS.put(App.WRAPPED, JettyApp.startAfter(new GetHeaderCredentials(), filter(),
                settings(Map.of(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_PUBLIC_BASE_URL, BASE))));
    }

    /**
     * A filter before JwtGate that hands on credentials its clients send in headers of their own ({@code X-Access-Token},
     * {@code X-DPoP-Proof}) as {@code Authorization: DPoP} and {@code DPoP}, through a request wrapper that overrides
     * {@code getHeader} alone, as hand-written wrappers often do.
     */
    static final class GetHeaderCredentials implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public String getHeader(String name) {
                    String token = http.getHeader("X-Access-Token");
                    String proof = http.getHeader("X-DPoP-Proof");
                    if ("Authorization".equalsIgnoreCase(name) && token != null) {
                        return "DPoP " + token;
                    }
                    if ("DPoP".equalsIgnoreCase(name) && proof != null) {
                        return proof;
                    }
                    return super.getHeader(name);
                }
            }, response);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (JettyApp app : APPS.values()) {
            app.close();
        }
    }

    private static JettyApp start(Map<String, String> dpop) throws Exception {
        return JettyApp.start(filter(), settings(dpop));
    }

    /** The real environment is ignored so a stray JWTGATE_ variable cannot change what is tested. */
    private static JwtAuthFilter filter() {
        return JwtAuthFilter.builder().sources(ConfigSources.none()).build();
    }

    private static Map<String, String> settings(Map<String, String> dpop) {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        params.put(ConfigKeys.REDIS_NODES, REDIS.cluster().nodesSpec());
        params.putAll(dpop);
        return params;
    }

    // ---- material ----------------------------------------------------------------------------------

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static JwtClaims claims(String subject) {
        JwtClaims claims = TestTokens.claims(subject, "user");
        claims.setClaim("marker", MARKER);
        return claims;
    }

    /** A token bound to {@link #KEY}. */
    static String boundToken() {
        return TestTokens.hs256(DpopKey.bind(claims("alice"), KEY));
    }

    static String bearerToken() {
        return TestTokens.hs256(claims("bob"));
    }

    /** A valid proof by {@link #KEY} for GET {@link #HTU} and this token. */
    static DpopKey.Proof proof(String token) {
        return KEY.proof("GET", HTU).accessToken(token);
    }

    private static String nonceFrom(App app) {
        String token = boundTokenFor("nonce-seeker");
        RawHttp.Response answer = send(app, "GET", PATH, "Authorization: DPoP " + token,
                "DPoP: " + KEY.proof("GET", HTU).accessToken(token).sign());
        String nonce = answer.header("DPoP-Nonce");
        assertNotNull(nonce, answer.toString());
        return nonce;
    }

    private static String boundTokenFor(String subject) {
        return TestTokens.hs256(DpopKey.bind(claims(subject), KEY));
    }

    static RawHttp.Response send(App app, String method, String target, String... headers) {
        return RawHttp.request(APPS.get(app).port(), method, target, "", headers);
    }

    static RawHttp.Response dpop(App app, String token, String proof) {
        return send(app, "GET", PATH, "Authorization: DPoP " + token, "DPoP: " + proof);
    }

    // ---- what each refusal must look like ------------------------------------------------------------

    /** An exact documented answer: status, each WWW-Authenticate field in order, body error and description. */
    record Expected(int status, List<String> challenges, String error, String description, boolean freshNonce) {

        static Expected proof(String description) {
            return new Expected(401, List.of(dpopChallenge("invalid_dpop_proof", description), "Bearer realm=\"jwtgate\""),
                    "invalid_dpop_proof", description, false);
        }

        static Expected nonce() {
            String description = "The DPoP proof must carry the nonce of the DPoP-Nonce header";
            return new Expected(401, List.of(dpopChallenge("use_dpop_nonce", description), "Bearer realm=\"jwtgate\""),
                    "use_dpop_nonce", description, true);
        }

        static Expected dpopToken(String description) {
            return new Expected(401, List.of(dpopChallenge("invalid_token", description), "Bearer realm=\"jwtgate\""),
                    "invalid_token", description, false);
        }

        static Expected bearerToken(String description) {
            return new Expected(401, List.of("Bearer realm=\"jwtgate\", error=\"invalid_token\", error_description=\""
                    + description + "\"", "DPoP realm=\"jwtgate\", " + ALGS), "invalid_token", description, false);
        }

        static Expected requiredModeToken(String description) {
            return new Expected(401, List.of(dpopChallenge("invalid_token", description)), "invalid_token", description, false);
        }

        static Expected noToken() {
            return new Expected(401, List.of("Bearer realm=\"jwtgate\"", "DPoP realm=\"jwtgate\", " + ALGS), "unauthorized",
                    "Authentication with a bearer token is required", false);
        }

        static Expected malformed() {
            String description = "The request carries a malformed or ambiguous bearer token";
            return new Expected(400, List.of(dpopChallenge("invalid_request", description)), "invalid_request", description, false);
        }

        private static String dpopChallenge(String error, String description) {
            return "DPoP realm=\"jwtgate\", error=\"" + error + "\", error_description=\"" + description + "\", " + ALGS;
        }
    }

    static final String INVALID = "The DPoP proof is invalid";
    static final String MISMATCH = "The DPoP proof does not match this request";
    static final String WINDOW = "The DPoP proof is too old or issued in the future";
    static final String REPLAYED = "The DPoP proof has already been used";
    static final String NOT_BOUND = "The access token is not bound to the key of the DPoP proof";
    static final String USE_DPOP = "The access token must be sent with the DPoP scheme and a DPoP proof";

    static void assertAnswer(Expected expected, RawHttp.Response response, String... secrets) {
        assertNotEquals(200, response.status(), response.toString());
        assertNotEquals(500, response.status(), response.toString());
        assertEquals(expected.status(), response.status(), response.toString());
        assertEquals(expected.challenges(), response.headers().getOrDefault("www-authenticate", List.of()), response.toString());
        assertEquals("{\"error\":\"" + expected.error() + "\",\"error_description\":\"" + expected.description() + "\"}",
                response.body());
        assertEquals("no-store", response.header("Cache-Control"));
        if (expected.freshNonce()) {
            assertTrue(response.header("DPoP-Nonce") != null && response.header("DPoP-Nonce").matches("[A-Za-z0-9_-]{34}"),
                    response.toString());
        } else {
            assertEquals(null, response.header("DPoP-Nonce"), response.toString());
        }
        String everything = response.headers() + "\n" + response.body();
        assertFalse(everything.contains(MARKER), "claims echoed: " + response);
        for (String secret : secrets) {
            java.util.regex.Matcher segment = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{16,}").matcher(secret);
            while (segment.find()) {
                assertFalse(everything.contains(segment.group().substring(0, 16)), "token or proof echoed: " + response);
            }
        }
    }

    // ---- the catalog: one request each ---------------------------------------------------------------

    /** An attack: the request it sends (given a fresh bound token) and the answer it must get. */
    record Attack(App app, Function<String, String[]> headers, Expected expected) {
    }

    private static Arguments attack(String name, Expected expected, Function<String, String[]> headers) {
        return attack(name, App.A, expected, headers);
    }

    private static Arguments attack(String name, App app, Expected expected, Function<String, String[]> headers) {
        return Arguments.of(Named.of(name, new Attack(app, headers, expected)));
    }

    private static String[] with(String token, String proof) {
        return new String[] {"Authorization: DPoP " + token, "DPoP: " + proof};
    }

    private static Arguments proofAttack(String name, Expected expected, Function<DpopKey.Proof, DpopKey.Proof> change) {
        return attack(name, expected, token -> with(token, change.apply(proof(token)).sign()));
    }

    static Stream<Arguments> attacks() {
        List<Arguments> all = new ArrayList<>();
        // the DPoP header itself
        all.add(attack("no DPoP header", Expected.proof("A DPoP proof is required"),
                token -> new String[] {"Authorization: DPoP " + token}));
        all.add(attack("empty DPoP header", Expected.proof("A DPoP proof is required"),
                token -> new String[] {"Authorization: DPoP " + token, "DPoP: "}));
        all.add(attack("two DPoP headers, both valid proofs", Expected.proof("Exactly one DPoP proof is allowed"),
                token -> new String[] {"Authorization: DPoP " + token, "DPoP: " + proof(token).sign(), "DPoP: " + proof(token).sign()}));
        all.add(attack("two proofs in one DPoP header", Expected.proof("Exactly one DPoP proof is allowed"),
                token -> new String[] {"Authorization: DPoP " + token, "DPoP: " + proof(token).sign() + ", " + proof(token).sign()}));
        all.add(attack("proof not a JWS", Expected.proof(INVALID), token -> with(token, "not-a-proof")));
        all.add(attack("proof of four segments", Expected.proof(INVALID), token -> with(token, proof(token).sign() + ".AAAA")));
        // method and URI
        proofs(all, "htm POST on a GET", Expected.proof(MISMATCH), p -> p.claim("htm", "POST"));
        proofs(all, "htm get in lower case", Expected.proof(MISMATCH), p -> p.claim("htm", "get"));
        for (String htu : List.of("http://api.example.com" + PATH, "https://api.example.org" + PATH, "https://api.example.com.evil" + PATH,
                "https://api.example.com:8443" + PATH, "https://api.example.com/api/order", "https://api.example.com/api/orders/",
                "https://api.example.com/api/Orders", "https://api.example.com/api%2Forders", "https://api.example.com/api/orders%3Fx=1",
                "https://user@api.example.com" + PATH, PATH, "https://api.example.com/api/orders/..", "")) {
            proofs(all, "htu [" + htu + "]", Expected.proof(MISMATCH), p -> p.claim("htu", htu));
        }
        // time
        proofs(all, "iat 61 s old (max age 60)", Expected.proof(WINDOW), p -> p.issuedAt(now() - 61));
        proofs(all, "iat a day old", Expected.proof(WINDOW), p -> p.issuedAt(now() - 86_400));
        // Beyond the skew by more than the second boundaries the proof may cross between signing and checking:
        // at +31 a proof signed at the end of one second and checked in the next is exactly at the skew, and passes.
        proofs(all, "iat 35 s ahead (skew 30)", Expected.proof(WINDOW), p -> p.issuedAt(now() + 35));
        proofs(all, "iat in year 9999", Expected.proof(WINDOW), p -> p.issuedAt(253_402_300_799L));
        proofs(all, "iat missing", Expected.proof(INVALID), p -> p.claim("iat", null));
        proofs(all, "iat a string", Expected.proof(INVALID), p -> p.claim("iat", Long.toString(now())));
        // the access token hash
        proofs(all, "ath missing", Expected.proof(MISMATCH), p -> p.claim("ath", null));
        proofs(all, "ath of another token", Expected.proof(MISMATCH), p -> p.accessToken(boundTokenFor("carol")));
        all.add(attack("ath with base64 padding", Expected.proof(MISMATCH),
                token -> with(token, proof(token).claim("ath", DpopKey.tokenHash(token) + "=").sign())));
        all.add(attack("ath of the token in standard base64", Expected.proof(MISMATCH),
                token -> with(token, proof(token).claim("ath", DpopKey.tokenHash(token).replace('-', '+').replace('_', '/') + "+/").sign())));
        // keys and signatures
        proofs(all, "signed by another key than its jwk", Expected.proof(INVALID), p -> p.signedBy(ATTACKER));
        proofs(all, "jwk with the private key", Expected.proof(INVALID), p -> p.header("jwk", KEY.privateJwk()));
        proofs(all, "jwk missing", Expected.proof(INVALID), p -> p.header("jwk", null));
        proofs(all, "jwk symmetric (oct)", Expected.proof(INVALID), p -> p.header("jwk", Map.of("kty", "oct", "k", "c2VjcmV0LWtleQ")));
        proofs(all, "alg none", Expected.proof(INVALID), p -> p.header("alg", "none"));
        proofs(all, "alg ES384 outside dpop.algorithms", Expected.proof(INVALID), p -> p.header("alg", "ES384"));
        all.add(attack("unsigned proof (alg none, empty signature)", Expected.proof(INVALID),
                token -> with(token, proof(token).header("alg", "none").unsigned())));
        all.add(attack("HMAC proof keyed with a secret", Expected.proof(INVALID), token -> with(token, RawJws.hmac("HmacSHA256",
                "attacker-secret-0123456789abcdef!".getBytes(StandardCharsets.UTF_8),
                "{\"typ\":\"dpop+jwt\",\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}}",
                "{\"jti\":\"" + MARKER + "\",\"htm\":\"GET\",\"htu\":\"" + HTU + "\",\"iat\":" + now()
                        + ",\"ath\":\"" + DpopKey.tokenHash(token) + "\"}"))));
        all.add(attack("HMAC proof keyed with the access token's own secret", Expected.proof(INVALID),
                token -> with(token, RawJws.hs256("{\"typ\":\"dpop+jwt\",\"alg\":\"HS256\",\"jwk\":" + jwkJson(KEY) + "}",
                        "{\"jti\":\"j\",\"htm\":\"GET\",\"htu\":\"" + HTU + "\",\"iat\":" + now() + "}"))));
        proofs(all, "typ missing", Expected.proof(INVALID), p -> p.header("typ", null));
        proofs(all, "typ JWT", Expected.proof(INVALID), p -> p.header("typ", "JWT"));
        proofs(all, "typ at+jwt", Expected.proof(INVALID), p -> p.header("typ", "at+jwt"));
        proofs(all, "crit header", Expected.proof(INVALID), p -> p.header("crit", List.of("x")).header("x", 1));
        proofs(all, "jti missing", Expected.proof(INVALID), p -> p.claim("jti", null));
        proofs(all, "htm missing", Expected.proof(INVALID), p -> p.claim("htm", null));
        proofs(all, "htu missing", Expected.proof(INVALID), p -> p.claim("htu", null));
        // the token's binding
        all.add(attack("cnf.jkt of another key (stolen token, attacker's own key)", Expected.dpopToken(NOT_BOUND),
                token -> with(token, ATTACKER.proof("GET", HTU).accessToken(token).sign())));
        all.add(attack("DPoP scheme with an unbound token", Expected.dpopToken(NOT_BOUND), token -> {
            String bearer = bearerToken();
            return with(bearer, proof(bearer).sign());
        }));
        all.add(attack("bound token as Bearer (downgrade)", Expected.bearerToken(USE_DPOP),
                token -> new String[] {"Authorization: Bearer " + token}));
        all.add(attack("bound token as Bearer with a valid proof beside it", Expected.bearerToken(USE_DPOP),
                token -> new String[] {"Authorization: Bearer " + token, "DPoP: " + proof(token).sign()}));
        all.add(attack("bound token in the cookie", Expected.bearerToken(USE_DPOP),
                token -> new String[] {"Cookie: access_token=" + token}));
        all.add(attack("bound token in the cookie with a valid proof", Expected.bearerToken(USE_DPOP),
                token -> new String[] {"Cookie: access_token=" + token, "DPoP: " + proof(token).sign()}));
        all.add(attack("bearer token where DPoP is required", App.REQUIRED, Expected.requiredModeToken(USE_DPOP),
                token -> new String[] {"Authorization: Bearer " + bearerToken()}));
        all.add(attack("expired bound token with a valid proof", Expected.dpopToken("The access token expired"), token -> {
            JwtClaims claims = DpopKey.bind(claims("alice"), KEY);
            claims.setIssuedAt(TestTokens.secondsFromNow(-1200));
            claims.setExpirationTime(TestTokens.secondsFromNow(-600));
            String expired = TestTokens.hs256(claims);
            return with(expired, proof(expired).sign());
        }));
        // no token
        all.add(attack("proof without a token", Expected.noToken(), token -> new String[] {"DPoP: " + proof(token).sign()}));
        all.add(attack("DPoP scheme without a token", Expected.malformed(), token -> new String[] {"Authorization: DPoP",
                "DPoP: " + proof(token).sign()}));
        all.add(attack("DPoP scheme with a token of bad characters", Expected.malformed(),
                token -> new String[] {"Authorization: DPoP {" + token + "}", "DPoP: " + proof(token).sign()}));
        // nonces
        all.add(attack("nonce missing", App.NONCE_A, Expected.nonce(), token -> with(token, proof(token).sign())));
        all.add(attack("nonce forged (another secret)", App.NONCE_A, Expected.nonce(),
                token -> with(token, proof(token).nonce(forgedNonce()).sign())));
        all.add(attack("nonce stale (issued 10 minutes ago)", App.NONCE_A, Expected.nonce(),
                token -> with(token, proof(token).nonce(staleNonce()).sign())));
        all.add(attack("nonce garbage", App.NONCE_A, Expected.nonce(), token -> with(token, proof(token).nonce("x").sign())));
        return all.stream();
    }

    private static void proofs(List<Arguments> all, String name, Expected expected, Function<DpopKey.Proof, DpopKey.Proof> change) {
        all.add(proofAttack(name, expected, change));
    }

    private static String jwkJson(DpopKey key) {
        return org.jose4j.json.JsonUtil.toJson(key.publicJwk());
    }

    private static String forgedNonce() {
        return new org.jwtgate.internal.dpop.DpopNonces("another-secret-0123456789abcdefgh".getBytes(StandardCharsets.UTF_8),
                300, 30, java.time.Clock.systemUTC()).issue();
    }

    private static String staleNonce() {
        return new org.jwtgate.internal.dpop.DpopNonces(NONCE_SECRET.getBytes(StandardCharsets.UTF_8), 300, 30,
                java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(-10))).issue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void whenAttackSentThenExactlyTheDocumentedRefusal(Attack attack) {
        String token = boundToken();
        String[] headers = attack.headers().apply(token);
        RawHttp.Response response = send(attack.app(), "GET", PATH, headers);
        String[] secrets = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            secrets[i] = headers[i].substring(headers[i].indexOf(' ') + 1);
        }
        assertAnswer(attack.expected(), response, secrets);
    }

    // ---- replays across the cluster ----------------------------------------------------------------

    @Test
    void whenProofReplayedOnTheSameInstanceThenRefused() {
        String token = boundToken();
        String proof = proof(token).sign();
        assertEquals(200, dpop(App.A, token, proof).status());
        assertAnswer(Expected.proof(REPLAYED), dpop(App.A, token, proof), token, proof);
    }

    @Test
    void whenProofReplayedOnASecondInstanceThenRefusedThere() {
        String token = boundToken();
        String proof = proof(token).sign();
        RawHttp.Response first = dpop(App.A, token, proof);
        assertEquals(200, first.status(), first.toString());
        assertAnswer(Expected.proof(REPLAYED), dpop(App.B, token, proof), token, proof);
        assertAnswer(Expected.proof(REPLAYED), dpop(App.A, token, proof), token, proof);
    }

    @Test
    void whenTwoJwtGateFiltersSharingTheClusterVerifyOneRequestThenItsProofIsOneUseAndItsReplayIsRefused()
            throws Exception {
        // Two <filter>s on one path, each verifying for itself: the second recorded the proof under a new id, found the
        // first's record and answered 401 "already used", so no DPoP request ever passed both.
        Map<String, String> dpop = Map.of(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_PUBLIC_BASE_URL, BASE);
        JwtAuthFilter first = JwtAuthFilter.builder().sources(ConfigSources.none()).settings(settings(dpop)).build();
        try (JettyApp twoFilters = JettyApp.startAfter(first, filter(), settings(dpop))) {
            String token = boundToken();
            String proof = proof(token).sign();
            RawHttp.Response once = RawHttp.request(twoFilters.port(), "GET", PATH, "", "Authorization: DPoP " + token,
                    "DPoP: " + proof);
            assertEquals(200, once.status(), once.toString());
            assertTrue(once.body().contains("auth=DPoP"), once.body());

            assertAnswer(Expected.proof(REPLAYED), RawHttp.request(twoFilters.port(), "GET", PATH, "",
                    "Authorization: DPoP " + token, "DPoP: " + proof), token, proof);
            assertAnswer(Expected.proof(REPLAYED), dpop(App.A, token, proof), token, proof);
        }
    }

    @Test
    void whenTheSameProofRacesToBothInstancesThenExactlyOneAccepts() throws Exception {
        for (int round = 0; round < 10; round++) {
            String token = boundToken();
            String proof = proof(token).sign();
            var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> dpop(App.A, token, proof).status());
            var b = java.util.concurrent.CompletableFuture.supplyAsync(() -> dpop(App.B, token, proof).status());
            List<Integer> statuses = List.of(a.get(), b.get());
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), "round " + round + ": " + statuses);
            assertTrue(statuses.contains(401), statuses.toString());
        }
    }

    @Test
    void whenProofAcceptedThenItsJtiIsRecordedUnderTheUsersHashTagForTheWindow() {
        String token = boundToken();
        DpopKey.Proof built = proof(token);
        assertEquals(200, dpop(App.A, token, built.sign()).status());
        String key = new RevocationKeys("jwtgate:").proofKey("alice", KEY.thumbprint(), built.jti());
        assertTrue(key.startsWith("jwtgate:dpop:{alice}:"), key);
        try (RedisClusterClient redis = REDIS.cluster().newClient()) {
            long ttl = redis.pttl(key);
            // dpop.proof-max-age-seconds 60 + 2 × jwt.clock-skew-seconds 30 + 1
            assertTrue(ttl > 100_000 && ttl <= 121_000, "PTTL " + ttl);
        }
    }

    // ---- nonces shared by instances ------------------------------------------------------------------

    @Test
    void whenANonceIsIssuedByOneInstanceThenTheOtherAcceptsAProofCarryingIt() {
        String nonce = nonceFrom(App.NONCE_A);
        String token = boundToken();
        RawHttp.Response accepted = dpop(App.NONCE_B, token, proof(token).nonce(nonce).sign());
        assertEquals(200, accepted.status(), accepted.toString());
        assertTrue(accepted.body().contains("auth=DPoP"), accepted.body());
    }

    @Test
    void whenNonceRequiredThenTheAnsweredNonceMakesTheRetrySucceed() {
        String token = boundToken();
        RawHttp.Response challenge = dpop(App.NONCE_A, token, proof(token).sign());
        assertAnswer(Expected.nonce(), challenge, token);
        RawHttp.Response retry = dpop(App.NONCE_A, token, proof(token).nonce(challenge.header("DPoP-Nonce")).sign());
        assertEquals(200, retry.status(), retry.toString());
    }

    // ---- controls: what is accepted ----------------------------------------------------------------

    @ParameterizedTest(name = "htu [{0}] is this request's URI")
    @ValueSource(strings = {HTU, HTU + "?page=2", HTU + "#top", "HTTPS://API.EXAMPLE.COM" + PATH, "https://api.example.com:443" + PATH,
            "https://api.example.com/api/%6Frders", "https://api.example.com/api/./orders", "https://api.example.com/api/x/../orders"})
    void whenHtuIsEquivalentThenAccepted(String htu) {
        String token = boundToken();
        RawHttp.Response response = send(App.A, "GET", PATH + "?other=query", "Authorization: DPoP " + token,
                "DPoP: " + proof(token).claim("htu", htu).sign());
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.body().startsWith("user=alice admin=false auth=DPoP"), response.body());
    }

    @ParameterizedTest(name = "{0} proof")
    @ValueSource(strings = {"ES256", "EdDSA", "RS256", "PS256"})
    void whenProofSignedWithAnyAllowedAlgorithmThenAccepted(String algorithm) {
        DpopKey key = DpopKey.of(algorithm);
        String token = TestTokens.hs256(DpopKey.bind(claims("dave"), key));
        RawHttp.Response response = dpop(App.A, token, key.proof("GET", HTU).accessToken(token).sign());
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.body().startsWith("user=dave admin=false auth=DPoP"), response.body());
    }

    /** The proof is read as the token is: a wrapper that supplies both by getHeader alone is seen for both. */
    @Test
    void whenAFilterBeforeJwtGateSuppliesTokenAndProofByGetHeaderAloneThenAcceptedAndTwoProofFieldsStillRefused() {
        String token = boundToken();
        RawHttp.Response response = send(App.WRAPPED, "GET", PATH, "X-Access-Token: " + token,
                "X-DPoP-Proof: " + proof(token).sign());
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.body().startsWith("user=alice admin=false auth=DPoP"), response.body());

        String supplied = proof(token).sign();
        String first = proof(token).sign();
        String second = proof(token).sign();
        assertAnswer(Expected.proof("Exactly one DPoP proof is allowed"), send(App.WRAPPED, "GET", PATH,
                "X-Access-Token: " + token, "X-DPoP-Proof: " + supplied, "DPoP: " + first, "DPoP: " + second),
                token, supplied, first, second);
    }

    @Test
    void whenNoPublicOriginConfiguredThenHtuIsTheRequestsOwnUri() {
        String token = boundToken();
        int port = APPS.get(App.LOCAL).port();
        String proof = KEY.proof("POST", "http://127.0.0.1:" + port + PATH).accessToken(token).sign();
        RawHttp.Response response = send(App.LOCAL, "POST", PATH, "Authorization: DPoP " + token, "DPoP: " + proof);
        assertEquals(200, response.status(), response.toString());
        String elsewhere = KEY.proof("POST", HTU).accessToken(token).sign();
        assertAnswer(Expected.proof(MISMATCH), send(App.LOCAL, "POST", PATH, "Authorization: DPoP " + token, "DPoP: " + elsewhere),
                token, elsewhere);
        // Two ports, no URI: read before as the host "127.0.0.1:<port>" on the default port, this request's origin.
        String twoPorts = KEY.proof("POST", "http://127.0.0.1:" + port + ":80" + PATH).accessToken(token).sign();
        assertAnswer(Expected.proof(MISMATCH), send(App.LOCAL, "POST", PATH, "Authorization: DPoP " + token, "DPoP: " + twoPorts),
                token, twoPorts);
    }

    /**
     * The origin compared is the one the client names in its Host unless dpop.public-base-url pins it: a proof
     * captured at another service that takes the same token is accepted by an instance without one, once.
     */
    @Test
    void whenTheClientNamesAnotherOriginThenOnlyAnInstanceWithoutAPublicOriginTakesIt() {
        String token = boundToken();
        String captured = KEY.proof("GET", "http://orders.example" + PATH).accessToken(token).sign();
        RawHttp.Response local = RawHttp.requestNaming("orders.example", APPS.get(App.LOCAL).port(), "GET", PATH, "",
                "Authorization: DPoP " + token, "DPoP: " + captured);
        assertEquals(200, local.status(), local.toString());

        String elsewhere = KEY.proof("GET", "http://orders.example" + PATH).accessToken(token).sign();
        assertAnswer(Expected.proof(MISMATCH), RawHttp.requestNaming("orders.example", APPS.get(App.A).port(), "GET", PATH,
                "", "Authorization: DPoP " + token, "DPoP: " + elsewhere), token, elsewhere);
        RawHttp.Response pinned = RawHttp.requestNaming("orders.example", APPS.get(App.A).port(), "GET", PATH, "",
                "Authorization: DPoP " + token, "DPoP: " + proof(token).sign());
        assertEquals(200, pinned.status(), "the public origin, whatever Host says: " + pinned);
    }

    /** Without dpop.public-base-url, a container that takes the origin from the proxy's headers compares the public one. */
    @Test
    void whenTheContainerTakesTheOriginFromTheProxyThenProofsForThePublicOriginPass() throws Exception {
        try (JettyApp behindProxy = JettyApp.startBehindProxy(filter(), settings(Map.of(ConfigKeys.DPOP_MODE, "allowed")))) {
            String token = boundToken();
            RawHttp.Response forwarded = RawHttp.request(behindProxy.port(), "GET", PATH, "", "Authorization: DPoP " + token,
                    "DPoP: " + proof(token).sign(), "X-Forwarded-Proto: https", "X-Forwarded-Host: api.example.com");
            assertEquals(200, forwarded.status(), forwarded.toString());
            String backend = "http://127.0.0.1:" + behindProxy.port() + PATH;
            String signedForBackend = KEY.proof("GET", backend).accessToken(token).sign();
            assertAnswer(Expected.proof(MISMATCH), RawHttp.request(behindProxy.port(), "GET", PATH, "",
                    "Authorization: DPoP " + token, "DPoP: " + signedForBackend, "X-Forwarded-Proto: https",
                    "X-Forwarded-Host: api.example.com"), token, signedForBackend);
        }
    }

    @Test
    void whenDpopAllowedThenBearerTokensStillPassAndSeeBearer() {
        RawHttp.Response response = send(App.A, "GET", PATH, "Authorization: Bearer " + bearerToken());
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.body().startsWith("user=bob admin=false auth=Bearer"), response.body());
    }

    @Test
    void whenDpopRequiredThenABoundTokenWithItsProofPasses() {
        String token = boundToken();
        RawHttp.Response response = dpop(App.REQUIRED, token, proof(token).sign());
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.body().contains("auth=DPoP"), response.body());
    }

    @Test
    void whenRevokedTokenComesWithAValidProofThenRefusedAsRevoked() {
        String token = boundToken();
        JwtAuthFilter filter = APPS.get(App.A).filter();
        filter.revocationService().revoke(filter.gate().verify(token));
        assertAnswer(Expected.dpopToken("The access token has been revoked"), dpop(App.B, token, proof(token).sign()), token);
    }

    @Test
    void whenProofIsAcceptedThenNoneOfItsPartsIsEverWrittenBack() {
        String token = boundToken();
        String proof = proof(token).sign();
        RawHttp.Response response = dpop(App.A, token, proof);
        assertEquals(200, response.status());
        String everything = response.headers().toString();
        for (String part : proof.split("\\.")) {
            assertFalse(everything.contains(part.substring(0, 12)));
        }
    }
}
