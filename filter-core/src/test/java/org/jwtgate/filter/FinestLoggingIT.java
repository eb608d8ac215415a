package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.engine.Health;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.attacks.HostileTokens;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Everything JwtGate, jose4j and Jedis log, at the finest level they have (TRACE, through the one SLF4J binding the
 * tests use, to which System.Logger is routed too), while hostile tokens, DPoP proofs and cookies, a Redis password
 * that stops being accepted, and settings holding secrets that are refused go through a real Jetty and a real Redis
 * Cluster: no line holds a token, a segment of one, a claim of a hostile token or a secret. Run by the failsafe
 * execution of filter-core's profile {@code finest-logging} (on in a full build; alone: {@code -Dit.test=FinestLoggingIT
 * -Pfinest-logging}), which turns those loggers to TRACE. Where they are not (the plain execution, when -Dit.test
 * names this class) it is reported skipped, never passed.
 */
class FinestLoggingIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final String DPOP_BASE = "https://api.example.com";
    private static CapturedLog log;
    /** Where the running test's lines start in {@link #log}. */
    private static int testStart;
    /** What no log line may hold: every token sent, and every secret configured. */
    private static final Set<String> NEVER_LOGGED = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void captureEverything() {
        assumeTrue(System.getLogger(JwtAuthFilter.class.getName()).isLoggable(Level.TRACE)
                        && System.getLogger("org.jwtgate.internal.revocation.redis.X").isLoggable(Level.TRACE)
                        && LoggerFactory.getLogger("org.jose4j.jwk.JsonWebKeySet").isTraceEnabled()
                        && LoggerFactory.getLogger("redis.clients.jedis.Connection").isTraceEnabled(),
                "run by filter-core's profile finest-logging (-Pfinest-logging), which turns these loggers to TRACE");
        log = CapturedLog.standardError();
    }

    /** Each test looks only at what it logged, for what it sent and configured. */
    @BeforeEach
    void forgetTheLastTest() {
        testStart = log.position();
        NEVER_LOGGED.clear();
        NEVER_LOGGED.add(TestTokens.SECRET);
    }

    @AfterAll
    static void restore() {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void whenHostileTokensProofsAndCookiesAreSentThenNoneOfThemIsLogged() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        settings.put(ConfigKeys.DPOP_PUBLIC_BASE_URL, DPOP_BASE);
        try (JettyApp app = JettyApp.start(settings)) {
            HostileTokens catalog = new HostileTokens(TestTokens.rsaKeyPair(), TestTokens.ecKeyPair("secp256r1"),
                    "http://127.0.0.1:9");
            DpopKey key = DpopKey.es256();
            for (HostileTokens.Attack attack : catalog.all()) {
                String token = attack.token().get();
                neverLogged(token);
                String proof = key.proof("GET", DPOP_BASE + "/api").accessToken(token).sign();
                neverLogged(proof);
                RawHttp.get(app.port(), "/api", "Authorization: Bearer " + token);
                RawHttp.get(app.port(), "/api", "Cookie: access_token=" + token);
                RawHttp.get(app.port(), "/api", "Authorization: DPoP " + token, "DPoP: " + proof);
                RawHttp.get(app.port(), "/api", "Authorization: DPoP " + TestTokens.hs256("dpop-victim"), "DPoP: " + token);
            }
            // Accepted ones too: a token, a bound token with its proof, then the same proof replayed.
            String accepted = TestTokens.hs256("alice");
            String bound = TestTokens.hs256(DpopKey.bind(TestTokens.claims("bob"), key));
            String proof = key.proof("GET", DPOP_BASE + "/api").accessToken(bound).sign();
            List.of(accepted, bound, proof).forEach(FinestLoggingIT::neverLogged);
            assertEquals(200, RawHttp.get(app.port(), "/api", "Authorization: Bearer " + accepted).status());
            assertEquals(200, RawHttp.get(app.port(), "/api", "Authorization: DPoP " + bound, "DPoP: " + proof).status());
            assertEquals(401, RawHttp.get(app.port(), "/api", "Authorization: DPoP " + bound, "DPoP: " + proof).status());
            app.filter().revocationService().revoke(ClusterApps.principal(app, accepted));
            assertEquals(401, RawHttp.get(app.port(), "/api", "Cookie: access_token=" + accepted).status());
            assertEquals(401, RawHttp.get(app.port(), "/api/without-token").status());
        }
        assertTrue(logged().contains("DEBUG org.jwtgate.filter.JwtAuthFilter - Refused GET /api"),
                "the refusals (DEBUG) are captured");
        // docs/sample.md: DEBUG names each refused request and why; before, the commonest 401 was not logged.
        assertTrue(logged().contains("DEBUG org.jwtgate.filter.JwtAuthFilter - Refused GET /api/without-token: no token"),
                "the refusal of a request without a token");
        assertNothingNeverLoggedIsLogged();
    }

    @Test
    void whenRedisStopsAcceptingThePasswordThenNeitherItNorATokenIsLogged() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        String password = "Finest-Redis-Pass-1f0e";
        String changed = "Finest-Redis-Pass-2c7d";
        String wrong = "Finest-Redis-Pass-3a9b";
        List.of(password, changed, wrong).forEach(NEVER_LOGGED::add);
        onEveryNode(cluster, Protocol.Command.ACL, "SETUSER", "finest", "on", ">" + password, "~*", "&*", "+@all");
        try (JettyApp app = ClusterApps.start(cluster, "redis.user", "finest", "redis.password", password)) {
            String live = TestTokens.hs256("carol");
            String revoked = TestTokens.hs256("dave");
            List.of(live, revoked).forEach(FinestLoggingIT::neverLogged);
            assertEquals(200, app.getWithToken("/api", live).statusCode());
            app.filter().revocationService().revoke(ClusterApps.principal(app, revoked));

            // The password changed on Redis: JwtGate's connections are refused from their next reconnection on.
            onEveryNode(cluster, Protocol.Command.ACL, "SETUSER", "finest", "resetpass", ">" + changed);
            onEveryNode(cluster, Protocol.Command.CLIENT, "KILL", "USER", "finest");
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (app.filter().health().status() != Health.Status.DOWN && System.nanoTime() < deadline) {
                app.getWithToken("/api", live);
                app.getWithToken("/api", revoked);
                Thread.sleep(200);
            }
            assertEquals(Health.Status.DOWN, app.filter().health().status(), app.filter().health().toString());
            assertEquals(503, app.getWithToken("/api", live).statusCode());
            assertThrows(Exception.class, () -> app.filter().revocationService()
                    .revoke(ClusterApps.principal(app, live)), "no revocation without Redis");

            Exception refused = assertThrows(Exception.class, () -> ClusterApps.start(cluster, "redis.user", "finest",
                    "redis.password", wrong).close(), "a wrong password stops the start");
            assertNoneInMessages(refused);
        } finally {
            onEveryNode(cluster, Protocol.Command.ACL, "DELUSER", "finest");
        }
        assertTrue(logged().contains("WRONGPASS"), "Redis's refusals are captured");
        assertNothingNeverLoggedIsLogged();
    }

    @Test
    void whenSettingsHoldingSecretsAreRefusedThenNoSecretIsLogged() {
        List<Map<String, String>> refused = new ArrayList<>();
        refused.add(withHmac("jwt.secret", "short-Secret-Q7f"));
        refused.add(withHmac("jwt.secret", "Base64:c2VjcmV0LVE3Zi1vZi10aGlydHktdHdvLWJ5dGVzLWF0LWxlYXN0"));
        refused.add(withHmac("jwt.secret", "base64:not*base64*Secret-Q7f-0123456789abcdef"));
        refused.add(withHmac("jwt.secrte", "typo-Secret-Q7f-0123456789abcdefghij"));
        refused.add(withHmac("jwt.public-key", "pasted-Secret-Q7f-0123456789abcdefghij"));
        refused.add(withHmac("dpop.nonce-secret", "nonce-Secret-Q7f", "dpop.mode", "allowed",
                "dpop.public-base-url", DPOP_BASE));
        refused.add(withHmac("redis.password", "redis-Secret-Q7f-0123456789", "revocation.store", "redis-cluster",
                "redis.nodes", "not a node"));
        refused.add(withHmac("redis.password", "redis-Secret-Q7f-${env:NO_SUCH_VARIABLE_Q7f}",
                "revocation.store", "redis-cluster", "redis.nodes", "127.0.0.1:9"));
        // A pasted URL with a password, refused for the "${" in it before any node is read: its message quoted it.
        refused.add(withHmac("redis.nodes", "redis://u:nodes-Secret-Q7f${x@127.0.0.1:9", "revocation.store", "redis-cluster"));
        for (Map<String, String> settings : refused) {
            Exception e = assertThrows(Exception.class, () -> JettyApp.start(settings).close(), settings.keySet()::toString);
            assertNoneInMessages(e); // what the container logs of a filter that did not start
        }
        assertNothingNeverLoggedIsLogged();
    }

    /**
     * A local key set that holds a symmetric key (its "k" a secret) beside an entry jose4j cannot read: jose4j's
     * JsonWebKeySet logged the whole set, "k" included, at DEBUG.
     */
    @Test
    void whenAKeySetHoldsASecretBesideAnUnreadableEntryThenTheSecretIsNotLogged(@TempDir Path keys) throws Exception {
        KeyPair rsa = TestTokens.rsaKeyPair();
        PublicJsonWebKey usable = PublicJsonWebKey.Factory.newPublicJwk(rsa.getPublic());
        usable.setKeyId("rsa-1");
        String secret = "jwks-Secret-Q7f-0123456789abcdefghij";
        NEVER_LOGGED.add(TestTokens.b64(secret));
        Path jwks = keys.resolve("jwks.json");
        Files.writeString(jwks, "{\"keys\":[" + usable.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                + ",{\"kty\":\"oct\",\"kid\":\"hmac-1\",\"k\":\"" + TestTokens.b64(secret) + "\"}"
                + ",{\"kty\":\"XYZ\",\"kid\":\"unreadable\"}]}");
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_JWKS_URI, jwks.toUri().toString());
        settings.put(ConfigKeys.JWT_ALGORITHMS, "RS256");
        try (JettyApp app = JettyApp.start(settings)) {
            JwtClaims claims = TestTokens.claims("alice");
            String token = TestTokens.sign(claims, "RS256", rsa.getPrivate(), jws -> jws.setKeyIdHeaderValue("rsa-1"));
            neverLogged(token);
            assertEquals(200, app.getWithToken("/api/x", token).statusCode());
        }
        assertTrue(logged().contains("Loaded 1 keys from JWKS"), "the lines about the set are captured: " + logged());
        assertNothingNeverLoggedIsLogged();
    }

    /** HS256 settings with {@code key} set to {@code secret} (never to be logged), and more settings. */
    private static Map<String, String> withHmac(String key, String secret, String... more) {
        NEVER_LOGGED.add(secret.replace("${env:NO_SUCH_VARIABLE_Q7f}", ""));
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(key, secret);
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    /**
     * The token, and the first 12 characters of each of its segments long enough to be one's; shorter ones (the empty
     * token, "a.b.c") could be any text.
     */
    private static void neverLogged(String token) {
        if (token.length() >= 12) {
            NEVER_LOGGED.add(token);
        }
        for (String segment : token.split("[.\\s,]+")) {
            if (segment.length() >= 12) {
                NEVER_LOGGED.add(segment.substring(0, 12));
            }
        }
    }

    private static void assertNoneInMessages(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            for (String secret : NEVER_LOGGED) {
                assertFalse(message.contains(secret), "an exception message holds [" + secret + "]: " + message);
            }
        }
    }

    private static void assertNothingNeverLoggedIsLogged() {
        String log = logged();
        assertFalse(log.contains(HostileTokens.MARKER), "a hostile token's claims were logged");
        for (String secret : NEVER_LOGGED) {
            int at = log.indexOf(secret);
            assertTrue(at < 0, () -> "logged [" + secret + "]: "
                    + log.substring(log.lastIndexOf('\n', at) + 1, Math.min(log.length(), at + 200)));
        }
    }

    private static void onEveryNode(RedisCluster cluster, Protocol.Command command, String... arguments) {
        for (RedisCluster.Node node : cluster.nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(command, arguments);
            }
        }
    }

    /** What the running test logged. */
    private static String logged() {
        return log.since(testStart);
    }
}
