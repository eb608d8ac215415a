package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import redis.clients.jedis.Jedis;

/**
 * The sample end to end over HTTP, against a real 3+3 Redis Cluster with
 * {@code revocation.store=redis-cluster}: login, the API with the token in the header and in the
 * cookie, refresh and reuse detection, logout (one session and everywhere), admin revocation,
 * throttling, CSRF and hostile input.
 */
class SampleAppIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static RunningSample app;
    private static SampleClient http;

    @BeforeAll
    static void start() throws Exception {
        app = RunningSample.start(REDIS.cluster());
        http = app.client();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void forgetFailures() {
        app.clearLoginFailures();
    }

    // ---- login -----------------------------------------------------------------------------

    @Test
    void whenLoginWithJsonThenTokenPairAndBothCookiesWithDocumentedAttributes() throws Exception {
        HttpAnswer login = http.loggedIn("alice", "wonderland");

        assertEquals("Bearer", login.string("token_type"));
        assertEquals("900", login.string("expires_in"));
        String access = login.string("access_token");
        String refresh = login.string("refresh_token");
        assertEquals("no-store", login.header("Cache-Control").orElseThrow());
        assertEquals("no-cache", login.header("Pragma").orElse(null), "RFC 6749 §5.1: a token answer");
        assertEquals("access_token=" + access + "; Max-Age=900; Path=/; Secure; HttpOnly; SameSite=Strict",
                login.setCookie("access_token"));
        assertEquals("refresh_token=" + refresh + "; Max-Age=86400; Path=/refresh; Secure; HttpOnly; SameSite=Strict",
                login.setCookie("refresh_token"));

        Map<String, Object> header = RunningSample.decode(access, 0);
        Map<String, Object> claims = RunningSample.decode(access, 1);
        assertEquals("at+jwt", header.get("typ"));
        assertEquals("HS256", header.get("alg"));
        assertEquals("urn:jwtgate:sample", claims.get("iss"));
        assertEquals("alice", claims.get("sub"));
        assertEquals("jwtgate-sample", claims.get("aud"));
        assertEquals(List.of("user"), claims.get("groups"));
        assertEquals(900L, ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue());
        String jti = (String) claims.get("jti");
        assertTrue(jti.length() >= 22, "jti carries at least 128 random bits: " + jti);
        assertFalse(refresh.contains("alice"), "the refresh token is opaque");
    }

    @Test
    void whenLoginWithFormThenSameKindOfAnswer() throws Exception {
        HttpAnswer login = http.postForm("/login", "username=bob&password=builder");
        assertEquals(200, login.status(), login.toString());
        assertEquals(List.of("admin", "user"), RunningSample.decode(login.string("access_token"), 1).get("groups"));
    }

    @Test
    void whenWrongPasswordOrUnknownUserThenSame401() throws Exception {
        HttpAnswer wrongPassword = http.login("alice", "not-her-password");
        HttpAnswer unknownUser = http.login("mallory", "whatever");
        assertEquals(401, wrongPassword.status());
        assertEquals(401, unknownUser.status());
        assertEquals(wrongPassword.body(), unknownUser.body());
        assertTrue(wrongPassword.headers("Set-Cookie").isEmpty());
        // Every 401 names a challenge (RFC 9110 §15.5.2), the sample's own as the filter's.
        assertEquals(Optional.of("Bearer realm=\"jwtgate\""), wrongPassword.header("WWW-Authenticate"));
        assertEquals(Optional.of("Bearer realm=\"jwtgate\""), unknownUser.header("WWW-Authenticate"));
    }

    @Test
    void whenUserUnknownThenLoginTakesAsLongAsForAWrongPassword() throws Exception {
        long wrongPassword = Long.MAX_VALUE;
        long unknownUser = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // each attempt from its own address, so no counter reaches its limit
            long start = System.nanoTime();
            String wrong = "{\"username\":\"alice\",\"password\":\"x\"}";
            assertEquals(401, http.postFrom("127.0.0." + (200 + i), "/login", wrong).status());
            wrongPassword = Math.min(wrongPassword, System.nanoTime() - start);
            start = System.nanoTime();
            String unknown = "{\"username\":\"nobody" + i + "\",\"password\":\"x\"}";
            assertEquals(401, http.postFrom("127.0.0." + (210 + i), "/login", unknown).status());
            unknownUser = Math.min(unknownUser, System.nanoTime() - start);
        }
        // Without the dummy hash an unknown user would answer ~100x faster; allow a wide margin for a busy machine.
        assertTrue(unknownUser * 3 > wrongPassword, "unknown " + unknownUser / 1_000_000 + " ms vs wrong password "
                + wrongPassword / 1_000_000 + " ms");
    }

    // ---- using the access token ---------------------------------------------------------------

    @Test
    void whenAccessTokenInHeaderOrCookieThenApiMeAnswersWhoIsCalling() throws Exception {
        HttpAnswer login = http.loggedIn("bob", "builder");
        String access = login.string("access_token");
        String jti = (String) RunningSample.decode(access, 1).get("jti");

        HttpAnswer byHeader = http.get("/api/me", "Authorization", "Bearer " + access);
        HttpAnswer byCookie = http.get("/api/me", "Cookie", "access_token=" + access);
        for (HttpAnswer me : List.of(byHeader, byCookie)) {
            assertEquals(200, me.status(), me.toString());
            assertEquals("bob", me.string("sub"));
            assertEquals(List.of("admin", "user"), me.json().get("roles"));
            assertEquals(jti, me.string("jti"));
            assertEquals(RunningSample.decode(access, 1).get("exp").toString(), me.string("exp"));
        }
    }

    @Test
    void whenNoTokenThenApiMeAnswers401WithBearerChallenge() throws Exception {
        HttpAnswer me = http.get("/api/me");
        assertEquals(401, me.status());
        assertEquals("Bearer realm=\"jwtgate\"", me.header("WWW-Authenticate").orElseThrow());
    }

    // ---- refresh --------------------------------------------------------------------------------

    @Test
    void whenRefreshByJsonOrCookieThenRotatedPair() throws Exception {
        HttpAnswer login = http.loggedIn("alice", "wonderland");
        String first = login.string("refresh_token");

        HttpAnswer byJson = http.postJson("/refresh", "{\"refresh_token\":\"" + first + "\"}");
        assertEquals(200, byJson.status(), byJson.toString());
        String second = byJson.string("refresh_token");
        assertNotEquals(first, second);
        assertNotEquals(login.string("access_token"), byJson.string("access_token"));
        assertEquals(second, byJson.cookieValue("refresh_token"));

        HttpAnswer byCookie = http.post("/refresh", "Cookie", "refresh_token=" + second, "Origin", http.origin());
        assertEquals(200, byCookie.status(), byCookie.toString());
        assertEquals(200, http.get("/api/me", "Cookie", "access_token=" + byCookie.cookieValue("access_token")).status());
    }

    @Test
    void whenRotatedRefreshTokenIsReusedThen401AndTheWholeFamilyIsRevoked() throws Exception {
        HttpAnswer login = http.loggedIn("alice", "wonderland");
        String stolen = login.string("refresh_token");
        HttpAnswer rotated = http.postJson("/refresh", "{\"refresh_token\":\"" + stolen + "\"}");
        assertEquals(200, rotated.status());

        HttpAnswer reuse = http.postJson("/refresh", "{\"refresh_token\":\"" + stolen + "\"}");
        assertEquals(401, reuse.status());
        assertEquals("invalid_grant", reuse.string("error"));
        assertTrue(reuse.string("error_description").contains("reuse"), reuse.toString());
        assertTrue(reuse.setCookie("refresh_token").contains("Max-Age=0"), "the cookies are cleared");

        // The legitimate holder's newer refresh token dies with the family, and so do its access tokens.
        assertEquals(401, http.postJson("/refresh", "{\"refresh_token\":\"" + rotated.string("refresh_token") + "\"}").status());
        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + login.string("access_token")).status());
        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + rotated.string("access_token")).status());
    }

    @Test
    void whenTheSameRefreshTokenIsSentManyTimesAtOnceThenAtMostOneAnswerCarriesTokensAndTheFamilyIsRevoked()
            throws Exception {
        HttpAnswer login = http.loggedIn("alice", "wonderland");
        String body = "{\"refresh_token\":\"" + login.string("refresh_token") + "\"}";
        // Two holders of one token (RFC 9700 §4.14.2) racing: Redis runs one rotation at a time, so the first
        // rotates and any later one finds the token rotated away, a reuse, whatever order the answers come in.
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<HttpAnswer> answers = new ArrayList<>();
        try {
            List<Future<HttpAnswer>> sent = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sent.add(senders.submit(() -> http.postJson("/refresh", body)));
            }
            for (Future<HttpAnswer> answer : sent) {
                answers.add(answer.get(30, TimeUnit.SECONDS));
            }
        } finally {
            senders.shutdownNow();
        }

        List<HttpAnswer> refreshed = answers.stream().filter(a -> a.status() == 200).toList();
        assertTrue(refreshed.size() <= 1, answers.toString());
        // 503 + Retry-After: another of them is revoking the family (sent again, it finds that done).
        assertTrue(answers.stream().allMatch(a -> a.status() == 200 || a.status() == 401
                || a.status() == 503 && a.header("Retry-After").isPresent()), answers.toString());
        assertTrue(answers.stream().anyMatch(a -> a.status() == 401 && a.string("error_description").contains("reuse")),
                answers.toString());
        // Whoever won the race holds nothing that works: the family and every access token it issued are revoked.
        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + login.string("access_token")).status());
        for (HttpAnswer winner : refreshed) {
            assertEquals(401, http.postJson("/refresh", "{\"refresh_token\":\"" + winner.string("refresh_token") + "\"}")
                    .status());
            assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + winner.string("access_token")).status());
        }
    }

    @Test
    void whenRefreshTokenUnknownOrMalformedThen401() throws Exception {
        assertEquals(401, http.postJson("/refresh", "{\"refresh_token\":\"AAAAAAAAAAAAAAAAAAAAAA."
                + "A".repeat(43) + "\"}").status());
        HttpAnswer garbage = http.postJson("/refresh", "{\"refresh_token\":\"garbage\"}");
        assertEquals(401, garbage.status());
        assertEquals(Optional.of("Bearer realm=\"jwtgate\""), garbage.header("WWW-Authenticate"));
        assertEquals(400, http.post("/refresh").status());
    }

    // ---- logout ------------------------------------------------------------------------------

    @Test
    void whenLogoutThen204CookiesClearedAndTheTokenRefusedInHeaderAndCookie() throws Exception {
        HttpAnswer login = http.loggedIn("alice", "wonderland");
        String access = login.string("access_token");

        HttpAnswer logout = http.post("/logout", "Authorization", "Bearer " + access);
        assertEquals(204, logout.status(), logout.toString());
        assertEquals("access_token=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict", logout.setCookie("access_token"));
        assertEquals("refresh_token=; Max-Age=0; Path=/refresh; Secure; HttpOnly; SameSite=Strict",
                logout.setCookie("refresh_token"));

        HttpAnswer byHeader = http.get("/api/me", "Authorization", "Bearer " + access);
        assertEquals(401, byHeader.status());
        assertTrue(byHeader.header("WWW-Authenticate").orElseThrow().contains("revoked"), byHeader.toString());
        assertEquals(401, http.get("/api/me", "Cookie", "access_token=" + access).status());
        assertEquals(401, http.postJson("/refresh", "{\"refresh_token\":\"" + login.string("refresh_token") + "\"}").status(),
                "the session's refresh family ends too");
    }

    @Test
    void whenLogoutWithCookieFromSameOriginThen204() throws Exception {
        String access = http.loggedIn("alice", "wonderland").string("access_token");
        HttpAnswer logout = http.post("/logout", "Cookie", "access_token=" + access, "Sec-Fetch-Site", "same-origin");
        assertEquals(204, logout.status(), logout.toString());
        assertEquals(401, http.get("/api/me", "Cookie", "access_token=" + access).status());
    }

    @Test
    void whenLogoutAllThenEveryTokenOfTheUserIsRefusedAndANewLoginWorks() throws Exception {
        HttpAnswer laptop = http.loggedIn("bob", "builder");
        HttpAnswer phone = http.loggedIn("bob", "builder");

        HttpAnswer logout = http.post("/logout?all=true", "Authorization", "Bearer " + laptop.string("access_token"));
        assertEquals(204, logout.status(), logout.toString());

        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + phone.string("access_token")).status());
        assertEquals(401, http.postJson("/refresh", "{\"refresh_token\":\"" + phone.string("refresh_token") + "\"}").status());
        HttpAnswer again = http.loggedIn("bob", "builder");
        assertEquals(200, http.get("/api/me", "Authorization", "Bearer " + again.string("access_token")).status(),
                "a token issued after the revocation is accepted, even within the same second");
    }

    @Test
    void whenLogoutAllHasABadValueThen400() throws Exception {
        String access = http.loggedIn("alice", "wonderland").string("access_token");
        assertEquals(400, http.post("/logout?all=maybe", "Authorization", "Bearer " + access).status());
        HttpAnswer twice = http.post("/logout?all=true&all=false", "Authorization", "Bearer " + access);
        assertEquals(400, twice.status(), twice.toString());
        assertEquals("invalid_request", twice.string("error"), twice.body());
        // In a form body too, and answered with this endpoint's JSON 400, not the container's HTML one.
        HttpAnswer form = http.postForm("/logout", "%zz&all=maybe", "Authorization", "Bearer " + access);
        assertEquals(400, form.status(), form.toString());
        assertEquals("invalid_request", form.string("error"), form.body());
        HttpAnswer number = http.postJson("/logout", "{\"all\":1}", "Authorization", "Bearer " + access);
        assertEquals(400, number.status(), number.toString());
        HttpAnswer both = http.postForm("/logout?all=true", "all=true", "Authorization", "Bearer " + access);
        assertEquals(400, both.status(), both.toString());
        assertEquals(200, http.get("/api/me", "Authorization", "Bearer " + access).status(), "not logged out");
    }

    /** Read from the query string only, a body's all=true ended the caller's session alone, with the same 204. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"application/x-www-form-urlencoded|all=true",
            "application/json|{\"all\":true,\"client\":{\"v\":1}}",
            "application/json; charset=utf-8|{\"all\":\"true\"}"})
    void whenLogoutAllIsInAFormOrJsonBodyThenEveryTokenOfTheUserIsRefused(String type, String body) throws Exception {
        HttpAnswer laptop = http.loggedIn("bob", "builder");
        HttpAnswer phone = http.loggedIn("bob", "builder");
        HttpAnswer logout = http.send("/logout", type, body, "Authorization",
                "Bearer " + laptop.string("access_token"));
        assertEquals(204, logout.status(), logout.toString());
        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + phone.string("access_token")).status(),
                "the body's all ended the other session too");
    }

    /** A multipart body (fetch() given a FormData) of one part, all=true; and one whose part is named allow. */
    private static final String PART_ALL = "--b\r\nContent-Disposition: form-data; name=\"all\"\r\n\r\ntrue\r\n--b--\r\n";
    private static final String PART_ALLOW = "--b\r\nContent-Disposition: form-data; name=\"allow\"\r\n\r\nx\r\n--b--\r\n";

    /**
     * all in a body of another type (fetch() sends a string as text/plain) is refused, 415: ignored, it ended this
     * session alone (a review's find), the others going on.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"text/plain;charset=UTF-8|{\"all\":true}",
            "text/plain|all=true", "application/octet-stream|all=false",
            "multipart/form-data; boundary=b|`" + PART_ALL + "`"})
    void whenLogoutAllIsInABodyOfAnotherTypeThen415AndNoSessionEnds(String type, String body) throws Exception {
        HttpAnswer laptop = http.loggedIn("bob", "builder");
        HttpAnswer logout = http.send("/logout", type, body, "Authorization",
                "Bearer " + laptop.string("access_token"));
        assertEquals(415, logout.status(), logout.toString());
        assertEquals(200, http.get("/api/me", "Authorization", "Bearer " + laptop.string("access_token")).status());
    }

    /** A body that says nothing of all is not refused: a logout needs none, and a client may send one anyway. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"text/plain|bye", "application/json|{\"client\":1}",
            "application/x-www-form-urlencoded|%zz&x=1",
            "multipart/form-data; boundary=b|`" + PART_ALLOW + "`"})
    void whenLogoutHasABodyWithoutAllThenOnlyThisSessionEnds(String type, String body) throws Exception {
        HttpAnswer laptop = http.loggedIn("bob", "builder");
        HttpAnswer phone = http.loggedIn("bob", "builder");
        HttpAnswer logout = http.send("/logout", type, body, "Authorization",
                "Bearer " + laptop.string("access_token"));
        assertEquals(204, logout.status(), logout.toString());
        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + laptop.string("access_token")).status());
        assertEquals(200, http.get("/api/me", "Authorization", "Bearer " + phone.string("access_token")).status(),
                "the other session goes on");
    }

    // ---- administration -----------------------------------------------------------------------

    @Test
    void whenAdminRevokesAUserThenThatUserIsRefusedAndTheAdminIsNot() throws Exception {
        HttpAnswer alice = http.loggedIn("alice", "wonderland");
        String bob = http.loggedIn("bob", "builder").string("access_token");

        HttpAnswer revoke = http.postJson("/admin/revoke", "{\"sub\":\"alice\"}", "Authorization", "Bearer " + bob);
        assertEquals(204, revoke.status(), revoke.toString());

        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + alice.string("access_token")).status());
        assertEquals(401, http.postJson("/refresh", "{\"refresh_token\":\"" + alice.string("refresh_token") + "\"}").status());
        assertEquals(200, http.get("/api/me", "Authorization", "Bearer " + bob).status());
        HttpAnswer form = http.postForm("/admin/revoke", "sub=carol", "Authorization", "Bearer " + bob);
        assertEquals(204, form.status(), "form bodies work too, and unknown users are simply revoked");
    }

    @Test
    void whenNonAdminCallsAdminRevokeThen403() throws Exception {
        String alice = http.loggedIn("alice", "wonderland").string("access_token");
        HttpAnswer revoke = http.postJson("/admin/revoke", "{\"sub\":\"bob\"}", "Authorization", "Bearer " + alice);
        assertEquals(403, revoke.status());
        assertTrue(revoke.header("WWW-Authenticate").orElseThrow().contains("insufficient_scope"));
    }

    @Test
    void whenPathsRolesNoLongerGuardsAdminThenTheServletsStillRefuseANonAdmin() throws Exception {
        // JWTGATE_PATHS_ROLES replaces the sample's /admin/*=admin whole. Before: alice (role user) then revoked bob
        // (204) and read the operations view (200); the servlets relied on the filter's rule alone.
        try (RunningSample open = RunningSample.start(REDIS.cluster(), Map.of("JWTGATE_PATHS_ROLES", "/reports/*=analyst"))) {
            SampleClient client = open.client();
            String alice = client.loggedIn("alice", "wonderland").string("access_token");
            HttpAnswer revoke = client.postJson("/admin/revoke", "{\"sub\":\"bob\"}", "Authorization", "Bearer " + alice);
            assertEquals(403, revoke.status(), revoke.body());
            assertTrue(revoke.header("WWW-Authenticate").orElseThrow().contains("insufficient_scope"));
            assertEquals(403, client.get("/admin/status", "Authorization", "Bearer " + alice).status());

            String bob = client.loggedIn("bob", "builder").string("access_token");
            assertEquals(200, client.get("/admin/status", "Authorization", "Bearer " + bob).status());
            assertEquals(200, client.get("/api/me", "Authorization", "Bearer " + bob).status(), "bob was not revoked");
        }
    }

    @Test
    void whenAdminRevokeHasNoSubThen400() throws Exception {
        String bob = http.loggedIn("bob", "builder").string("access_token");
        assertEquals(400, http.postJson("/admin/revoke", "{}", "Authorization", "Bearer " + bob).status());
        assertEquals(400, http.postJson("/admin/revoke", "{\"sub\":\"not a user!\"}", "Authorization", "Bearer " + bob).status(),
                "no token can carry a sub that is not a username");
    }

    @Test
    void whenAdminRevokesAUserAsTypedWithCapitalsAndSpacesThenThatUserIsRevoked() throws Exception {
        // Login normalises " Alice" to alice, and alice is the sub of her tokens: so must the revocation.
        HttpAnswer alice = http.loggedIn("alice", "wonderland");
        String bob = http.loggedIn("bob", "builder").string("access_token");
        assertEquals(204, http.postJson("/admin/revoke", "{\"sub\":\" Alice \"}", "Authorization", "Bearer " + bob).status());
        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + alice.string("access_token")).status());
        assertEquals(401, http.postJson("/refresh", "{\"refresh_token\":\"" + alice.string("refresh_token") + "\"}").status());
    }

    // ---- operations view -------------------------------------------------------------------------

    @Test
    void whenAdminAsksForStatusThenNodesWithRolesAFreshNearCacheAndTheCounters() throws Exception {
        String bob = "Bearer " + http.loggedIn("bob", "builder").string("access_token");
        HttpAnswer status = Eventually.until("the near-cache to be fresh", Duration.ofSeconds(20), () -> {
            HttpAnswer answer = http.get("/admin/status", "Authorization", bob);
            return answer.status() == 200 && Boolean.TRUE.equals(object(answer.json(), "near_cache").get("fresh"))
                    ? answer : null;
        }, () -> http.get("/admin/status", "Authorization", bob));
        Map<String, Object> body = status.json();
        assertEquals("no-store", status.header("Cache-Control").orElseThrow());
        assertEquals(List.of("status", "jwtgate", "redis", "near_cache", "requests", "refused", "revocation_checks",
                "token_cache"), List.copyOf(body.keySet()));

        Map<String, Object> redis = object(body, "redis");
        assertEquals("ok", redis.get("cluster_state"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) redis.get("nodes");
        List<String> addresses = REDIS.cluster().nodes().stream().map(n -> "127.0.0.1:" + n.port()).sorted().toList();
        assertEquals(addresses, nodes.stream().map(n -> (String) n.get("address")).sorted().toList());
        assertTrue(nodes.stream().allMatch(n -> Boolean.TRUE.equals(n.get("up"))), nodes.toString());
        List<String> masters = nodes.stream().filter(n -> "master".equals(n.get("role")))
                .map(n -> (String) n.get("address")).toList();
        assertEquals(3, masters.size(), nodes.toString());
        List<Map<String, Object>> replicas = nodes.stream().filter(n -> "replica".equals(n.get("role"))).toList();
        assertEquals(3, replicas.size(), nodes.toString());
        assertTrue(replicas.stream().allMatch(r -> masters.contains((String) r.get("replica_of"))), nodes.toString());

        Map<String, Object> nearCache = object(body, "near_cache");
        assertEquals(true, nearCache.get("enabled"));
        assertTrue(number(nearCache, "heartbeat_age_ms") >= 0, nearCache.toString());
        assertTrue(List.of("sharded", "classic").contains(nearCache.get("pubsub_mode")), nearCache.toString());

        assertEquals(List.of("authenticated", "public", "anonymous", "refused", "unavailable", "fail-open"),
                List.copyOf(object(body, "requests").keySet()));
        assertTrue(number(object(body, "requests"), "authenticated") >= 1, "this very request counts");
        assertTrue(object(body, "refused").containsKey("revoked"));
        assertEquals(List.of("near-cache", "fallback", "store"), List.copyOf(object(body, "revocation_checks").keySet()));
        assertEquals(List.of("hits", "misses"), List.copyOf(object(body, "token_cache").keySet()));
        assertFalse(status.body().contains(bob.substring(7)), "never a token");
    }

    @Test
    void whenARevokedUserCallsAgainThenTheStatusCountsARevokedRefusal() throws Exception {
        String bob = "Bearer " + http.loggedIn("bob", "builder").string("access_token");
        String alice = "Bearer " + http.loggedIn("alice", "wonderland").string("access_token");
        assertEquals(200, http.get("/api/me", "Authorization", alice).status());
        long refusedBefore = number(object(http.get("/admin/status", "Authorization", bob).json(), "refused"), "revoked");

        assertEquals(204, http.postJson("/admin/revoke", "{\"sub\":\"alice\",\"reason\":\"laptop stolen\"}",
                "Authorization", bob).status());
        assertEquals(401, http.get("/api/me", "Authorization", alice).status());

        Map<String, Object> refused = object(http.get("/admin/status", "Authorization", bob).json(), "refused");
        assertEquals(refusedBefore + 1, number(refused, "revoked"));
    }

    @Test
    void whenNotAdminThenStatusIs403AndWithoutTokenItIs401() throws Exception {
        String alice = http.loggedIn("alice", "wonderland").string("access_token");
        HttpAnswer user = http.get("/admin/status", "Authorization", "Bearer " + alice);
        assertEquals(403, user.status(), user.toString());
        assertTrue(user.header("WWW-Authenticate").orElseThrow().contains("insufficient_scope"));
        HttpAnswer anonymous = http.get("/admin/status");
        assertEquals(401, anonymous.status(), anonymous.toString());
        assertTrue(anonymous.header("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
    }

    // ---- throttling ------------------------------------------------------------------------------

    @Test
    void whenSixthAttemptAfterFiveFailuresThen429EvenWithTheRightPassword() throws Exception {
        for (int i = 1; i <= 5; i++) {
            assertEquals(401, http.login("alice", "guess-" + i).status(), "failure " + i);
        }
        HttpAnswer sixth = http.login("alice", "wonderland");
        assertEquals(429, sixth.status(), sixth.toString());
        long retryAfter = Long.parseLong(sixth.header("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 900, "Retry-After " + retryAfter);
    }

    @Test
    void whenAccountUnknownThenSameThrottlingAnswers() throws Exception {
        HttpAnswer known = null;
        HttpAnswer unknown = null;
        for (int i = 1; i <= 6; i++) { // each from its own address: only the per-account counts matter here
            known = http.postFrom("127.0.0." + (100 + i), "/login", "{\"username\":\"bob\",\"password\":\"guess\"}");
            unknown = http.postFrom("127.0.0." + (110 + i), "/login", "{\"username\":\"nobody\",\"password\":\"guess\"}");
            if (i <= 5) {
                assertEquals(401, known.status());
                assertEquals(401, unknown.status());
            }
        }
        assertEquals(429, known.status());
        assertEquals(429, unknown.status());
        assertEquals(known.body(), unknown.body());
        assertTrue(known.header("Retry-After").isPresent() && unknown.header("Retry-After").isPresent());
    }

    @Test
    void whenGuessesComeFromManyAddressesThenTheAccountIsStillThrottled() throws Exception {
        for (int i = 1; i <= 5; i++) {
            HttpAnswer failure = http.postFrom("127.0.0.1" + i, "/login", "{\"username\":\"alice\",\"password\":\"x" + i + "\"}");
            assertEquals(401, failure.status(), "from 127.0.0.1" + i);
        }
        HttpAnswer sixth = http.postFrom("127.0.0.16", "/login", "{\"username\":\"alice\",\"password\":\"wonderland\"}");
        assertEquals(429, sixth.status(), sixth.toString());
        assertTrue(sixth.header("Retry-After").isPresent());
    }

    @Test
    void whenOneAddressGuessesManyAccountsThenTheAddressIsThrottled() throws Exception {
        for (int i = 1; i <= 5; i++) {
            assertEquals(401, http.postFrom("127.0.0.42", "/login", "{\"username\":\"user" + i + "\",\"password\":\"x\"}").status());
        }
        assertEquals(429, http.postFrom("127.0.0.42", "/login", "{\"username\":\"bob\",\"password\":\"builder\"}").status());
        assertEquals(200, http.postFrom("127.0.0.43", "/login", "{\"username\":\"bob\",\"password\":\"builder\"}").status(),
                "another address is not affected");
    }

    @Test
    void whenAnAddressIsRefusedThenItsAttemptsDoNotCountAgainstTheAccountsItNames() throws Exception {
        for (int i = 1; i <= 5; i++) {
            assertEquals(401, http.postFrom("127.0.0.44", "/login", "{\"username\":\"user" + i + "\",\"password\":\"x\"}").status());
        }
        for (int i = 1; i <= 3; i++) { // refused before any count of bob's: it cannot push bob towards his limit
            assertEquals(429, http.postFrom("127.0.0.44", "/login", "{\"username\":\"bob\",\"password\":\"x\"}").status());
        }
        for (int i = 1; i <= 5; i++) {
            HttpAnswer failure = http.postFrom("127.0.0.7" + i, "/login", "{\"username\":\"bob\",\"password\":\"x\"}");
            assertEquals(401, failure.status(), "bob's failure " + i + " from 127.0.0.7" + i + ": " + failure);
        }
        assertEquals(429, http.postFrom("127.0.0.76", "/login", "{\"username\":\"bob\",\"password\":\"x\"}").status(),
                "bob's own limit still holds");
    }

    @Test
    void whenAnAccountIsLockedThenItsOwnersAttemptsDoNotLockTheAddressOut() throws Exception {
        for (int i = 1; i <= 6; i++) { // guesses from many addresses lock bob
            http.postFrom("127.0.0.8" + i, "/login", "{\"username\":\"bob\",\"password\":\"x\"}");
        }
        for (int i = 1; i <= 5; i++) { // bob, from his office, refused before any password check
            assertEquals(429, http.postFrom("127.0.0.90", "/login", "{\"username\":\"bob\",\"password\":\"builder\"}").status());
        }
        HttpAnswer colleague = http.postFrom("127.0.0.90", "/login", "{\"username\":\"alice\",\"password\":\"wonderland\"}");
        assertEquals(200, colleague.status(), "the office's address is not locked out: " + colleague);
    }

    @Test
    void whenLoginSucceedsThenTheAccountCountStartsOver() throws Exception {
        for (int i = 1; i <= 4; i++) {
            assertEquals(401, http.postFrom("127.0.0.5" + i, "/login", "{\"username\":\"alice\",\"password\":\"x\"}").status());
        }
        assertEquals(200, http.postFrom("127.0.0.60", "/login", "{\"username\":\"alice\",\"password\":\"wonderland\"}").status());
        assertEquals(401, http.postFrom("127.0.0.61", "/login", "{\"username\":\"alice\",\"password\":\"x\"}").status());
    }

    // ---- CSRF ---------------------------------------------------------------------------------

    @Test
    void whenCrossSitePostAuthenticatedByCookieThen403AndTheSameWithBearerHeaderIsAccepted() throws Exception {
        String access = http.loggedIn("alice", "wonderland").string("access_token");

        HttpAnswer forged = http.post("/logout", "Cookie", "access_token=" + access, "Origin", "https://evil.example");
        assertEquals(403, forged.status(), forged.toString());
        HttpAnswer noEvidence = http.post("/logout", "Cookie", "access_token=" + access);
        assertEquals(403, noEvidence.status(), "a cookie-authenticated POST must prove its origin");
        assertEquals(200, http.get("/api/me", "Cookie", "access_token=" + access).status(), "nothing was revoked");

        HttpAnswer bearer = http.post("/logout", "Authorization", "Bearer " + access, "Origin", "https://evil.example");
        assertEquals(204, bearer.status(), "a header cannot be forged by another site: exempt");
    }

    /**
     * The page's login answers with the pair in the HttpOnly cookies only, so an injected script reads no token from the
     * body: said by fetch metadata, or by a same-origin Origin or Referer from a browser that sends none (Safari before
     * 16.4, Firefox before 90), which got both tokens in the body.
     */
    @Test
    void whenThePageLogsInThenTheBodyHoldsNoTokenWithOrWithoutFetchMetadata() throws Exception {
        String credentials = "{\"username\":\"alice\",\"password\":\"wonderland\"}";
        for (String[] page : List.of(new String[] {"Origin", http.origin(), "Sec-Fetch-Site", "same-origin"},
                new String[] {"Origin", http.origin()}, new String[] {"Referer", http.origin() + "/"})) {
            app.clearLoginFailures();
            HttpAnswer login = http.postJson("/login", credentials, page);
            assertEquals(200, login.status(), login.toString());
            assertFalse(login.body().contains("access_token") || login.body().contains("refresh_token"),
                    String.join(" ", page) + ": a script of the page reads " + login.body());
        }
    }

    @Test
    void whenLoginPostedFromAnotherSiteThen403() throws Exception {
        String credentials = "username=alice&password=wonderland";
        assertEquals(403, http.postForm("/login", credentials, "Origin", "https://evil.example").status());
        assertEquals(403, http.postForm("/login", credentials, "Sec-Fetch-Site", "cross-site").status());
        assertEquals(403, http.postForm("/login", credentials, "Referer", "https://evil.example/page").status());
        assertEquals(200, http.postForm("/login", credentials, "Origin", http.origin()).status());
        assertEquals(200, http.postForm("/login", credentials, "Sec-Fetch-Site", "same-origin").status());
    }

    @Test
    void whenRefreshCookieSentCrossSiteThen403() throws Exception {
        String refresh = http.loggedIn("alice", "wonderland").string("refresh_token");
        assertEquals(403, http.post("/refresh", "Cookie", "refresh_token=" + refresh, "Sec-Fetch-Site", "cross-site").status());
        assertEquals(403, http.post("/refresh", "Cookie", "refresh_token=" + refresh).status());
        assertEquals(200, http.post("/refresh", "Cookie", "refresh_token=" + refresh, "Sec-Fetch-Site", "same-origin").status(),
                "the refused attempts did not consume the token");
    }

    @Test
    void whenRefreshTokenPostedInABodyFromAnotherSiteThen403AndNoCookieIsSet() throws Exception {
        // A cross-site form can carry the attacker's own refresh token in its body: answered with Set-Cookie, the
        // victim's browser would be signed in as the attacker (login CSRF), which /login refuses.
        String attackers = http.loggedIn("bob", "builder").string("refresh_token");
        HttpAnswer forged = http.postForm("/refresh", "refresh_token=" + attackers, "Origin", "https://evil.example",
                "Sec-Fetch-Site", "cross-site");
        assertEquals(403, forged.status(), forged.toString());
        assertTrue(forged.headers("Set-Cookie").isEmpty(), "no cookie for the victim's browser: " + forged.headers("Set-Cookie"));
        assertEquals(200, http.postForm("/refresh", "refresh_token=" + attackers).status(),
                "a client that shows no origin (curl, an app) still refreshes; the refused attempt did not rotate the token");
    }

    @Test
    void whenRefreshedByTheCookieThenTheBodyHandsNoBearerTokenToThePagesScripts() throws Exception {
        // The page's fetch('/refresh') sends the HttpOnly cookie; a script injected into the page can send it too.
        // The new pair belongs in the HttpOnly cookies only: in the body, such a script could carry it off.
        String refresh = http.loggedIn("alice", "wonderland").string("refresh_token");
        HttpAnswer byCookie = http.post("/refresh", "Cookie", "refresh_token=" + refresh, "Sec-Fetch-Site", "same-origin");
        assertEquals(200, byCookie.status(), byCookie.toString());
        assertEquals(null, byCookie.string("refresh_token"), "the refresh token is in the answer's body: " + byCookie.body());
        assertEquals(null, byCookie.string("access_token"), "the bearer access token is in the answer's body: " + byCookie.body());
        assertEquals("Bearer", byCookie.string("token_type"));
        assertEquals(200, http.get("/api/me", "Cookie", "access_token=" + byCookie.cookieValue("access_token")).status());
        assertEquals(200, http.post("/refresh", "Cookie", "refresh_token=" + byCookie.cookieValue("refresh_token"),
                "Sec-Fetch-Site", "same-origin").status());
    }

    @Test
    void whenThePageSignsInThenTheBodyHandsNoBearerTokenToItsScripts() throws Exception {
        // The page's fetch('/login'): Chromium sends Sec-Fetch-Site same-origin and Sec-Fetch-Mode cors. The body gave
        // both tokens to any script running then; the HttpOnly cookies are the page's only credential.
        HttpAnswer page = http.postJson("/login", "{\"username\":\"alice\",\"password\":\"wonderland\"}",
                "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "cors");
        assertEquals(200, page.status(), page.toString());
        assertEquals(null, page.string("refresh_token"), "the refresh token is in the answer's body: " + page.body());
        assertEquals(null, page.string("access_token"), "the bearer access token is in the answer's body: " + page.body());
        assertEquals("Bearer", page.string("token_type"));
        assertEquals(200, http.get("/api/me", "Cookie", "access_token=" + page.cookieValue("access_token")).status());
        // A form the page submits (into a window a script could read) too; curl gets the body as before.
        HttpAnswer navigated = http.postForm("/login", "username=alice&password=wonderland", "Sec-Fetch-Site", "same-origin",
                "Sec-Fetch-Mode", "navigate");
        assertEquals(null, navigated.string("refresh_token"), navigated.body());
        assertTrue(http.login("alice", "wonderland").string("refresh_token") != null);
    }

    // ---- hostile input -----------------------------------------------------------------------

    @Test
    void whenBodyMalformedThenClean4xx() throws Exception {
        assertEquals(400, http.postJson("/login", "{\"username\":").status());
        assertEquals(400, http.postJson("/login", "[1,2]").status());
        assertEquals(400, http.postJson("/login", "{\"username\":[\"alice\"],\"password\":\"x\"}").status());
        assertEquals(400, http.postJson("/login", "{}").status());
        assertEquals(400, http.postForm("/login", "username=%zz&password=x").status());
        assertEquals(400, http.postForm("/login", "username=a&username=b&password=x").status());
        assertEquals(415, http.send("/login", "text/plain", "username=alice").status());
        assertEquals(413, http.postJson("/login", "{\"username\":\"" + "a".repeat(10_000) + "\"}").status());
        assertEquals(400, http.postJson("/login", "{\"username\":\"" + "a".repeat(2000) + "\",\"password\":\"x\"}").status());
        assertEquals(401, http.postJson("/login", "{\"username\":\"{alice}:x\",\"password\":\"x\"}").status());
    }

    @Test
    void whenJettyRefusesARequestItCannotParseThenTheErrorIsJsonToo() throws Exception {
        // Before: Jetty's HTML error page, where the docs promise {error, error_description}.
        String padding = "X-Padding: " + "a".repeat(20_000);
        for (HttpAnswer refused : List.of(http.raw("GET /%zz HTTP/1.1"), http.raw("GET /api/me HTTP/1.1", padding),
                http.raw("PUT /api/me HTTP/1.1", padding))) { // Jetty writes a page for GET, POST and HEAD only
            assertTrue(refused.status() == 400 || refused.status() == 431, refused.toString());
            assertTrue(refused.header("Content-Type").orElse("none").startsWith("application/json"), refused.toString());
            assertEquals("invalid_request", refused.string("error"), refused.body());
            assertFalse(refused.body().contains("zz") || refused.body().contains("aaaa"), "the request is not quoted");
        }
        HttpAnswer head = http.raw("HEAD /api/me HTTP/1.1", padding);
        assertEquals(431, head.status(), head.toString());
        assertEquals("", head.body(), "no body to a HEAD");
    }

    @Test
    void whenJettyRefusesARequestThenTheAnswerStillCarriesTheSecurityHeaders() throws Exception {
        // SecurityHeadersFilter's "every answer, refusals included": Jetty's own refusals, which no filter sees, had none.
        String padding = "X-Padding: " + "a".repeat(20_000);
        for (HttpAnswer refused : List.of(http.raw("GET /%zz HTTP/1.1"), http.raw("GET /api/me HTTP/1.1", padding))) {
            assertTrue(refused.status() == 400 || refused.status() == 431, refused.toString());
            List<String> missing = new ArrayList<>();
            for (String header : List.of("X-Content-Type-Options", "Content-Security-Policy", "X-Frame-Options",
                    "Referrer-Policy")) {
                if (refused.header(header).isEmpty()) {
                    missing.add(header);
                }
            }
            assertEquals(List.of(), missing, "headers missing from " + refused);
            assertEquals(http.get("/").header("Content-Security-Policy"), refused.header("Content-Security-Policy"));
        }
    }

    @Test
    void whenAnyAnswerIsSentThenItDoesNotNameTheServersSoftwareAndVersion() throws Exception {
        // Every answer, Jetty's own refusals too, carried Server: Jetty(12.1.14) (Jetty's default sendServerVersion).
        List<String> named = new ArrayList<>();
        for (HttpAnswer answer : List.of(http.get("/"), http.get("/api/me"), http.postJson("/login", "{}"),
                http.raw("GET /%zz HTTP/1.1"))) {
            answer.header("Server").ifPresent(server -> named.add(answer.status() + " Server: " + server));
        }
        assertEquals(List.of(), named, "answers announce the server and its version");
    }

    @Test
    void whenThePagesFilesGetAMethodTheyDoNotServeThen405WithAllowAndTheSamplesJsonError() throws Exception {
        // docs/sample.md: as the endpoints answer one. Jetty's DefaultServlet alone answered POST and TRACE 405 without
        // Allow, and HttpServlet answered PATCH, extension methods and CONNECT 501 server_error (a review's finding).
        for (String path : List.of("/", "/index.html", "/app.js", "/app.css")) {
            for (String method : List.of("POST", "PUT", "DELETE", "TRACE", "PATCH", "PROPFIND")) {
                HttpAnswer answer = http.method(method, path);
                assertEquals(405, answer.status(), method + " " + path + ": " + answer);
                assertEquals("GET, HEAD, OPTIONS", answer.header("Allow").orElse(null), method + " " + path + ": " + answer);
                assertTrue(answer.header("Content-Type").orElse("none").startsWith("application/json"), answer.toString());
                assertEquals("unsupported_request", answer.string("error"), method + " " + path + ": " + answer.body());
            }
        }
        assertEquals("GET, HEAD, OPTIONS", http.method("OPTIONS", "/").header("Allow").orElse(null));
        assertEquals(200, http.get("/app.js").status());
    }

    @Test
    void whenAnUnknownMethodReachesThePagesFilesOnAProtectedPathThen405NotA501() throws Exception {
        String token = http.loggedIn("alice", "wonderland").string("access_token");
        HttpAnswer answer = http.method("PATCH", "/no-such-page", "Authorization", "Bearer " + token);
        assertEquals(405, answer.status(), "PATCH /no-such-page: " + answer);
        assertEquals("unsupported_request", answer.string("error"), answer.body());
    }

    @Test
    void whenConnectNamesTheServersOwnAuthorityThen405NotA501() throws Exception {
        String authority = http.base().getHost() + ":" + http.base().getPort();
        HttpAnswer answer = http.raw("CONNECT " + authority + " HTTP/1.1");
        assertEquals(405, answer.status(), "CONNECT " + authority + ": " + answer);
    }

    @Test
    void whenAConnectIsRefusedThenItsConnectionClosesAndTheTunnelsBytesAreNotServed() throws Exception {
        // Refused by the page files' servlet (its own authority: 405) or by Jetty itself (another one: 400); the
        // client of a CONNECT may send the tunnel's bytes at once, here a request, which must not be served.
        String authority = http.base().getHost() + ":" + http.base().getPort();
        String tunnel = "GET /health HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
        for (String target : List.of(authority, "example.com:443")) {
            String answer = http.pipelined("CONNECT " + target + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n" + tunnel);
            assertTrue(answer.startsWith(target.equals(authority) ? "HTTP/1.1 405 " : "HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n"), "CONNECT " + target + ": " + answer);
            assertEquals(1, answer.split("HTTP/1\\.1 ", -1).length - 1, "CONNECT " + target + ", one answer only: " + answer);
            assertFalse(answer.endsWith("<still open>"), "CONNECT " + target + ": " + answer);
        }
    }

    @Test
    void whenTheContentTypeNamesAnUnknownCharsetThenTheBodyIsReadAsUtf8NotA500() throws Exception {
        // Jetty's getContentType() parses the charset and throws for one it does not know: a 500 and a stack trace.
        HttpAnswer bogus = http.send("/login", "application/json; charset=bogus", "{}");
        assertEquals(400, bogus.status(), bogus.toString());
        assertEquals("invalid_request", bogus.string("error"), bogus.body());
        assertEquals(400, http.send("/refresh", "application/json; charset=\"", "{}").status());
        assertEquals(200, http.send("/login", "application/x-www-form-urlencoded; charset=x-unknown",
                "username=alice&password=wonderland").status());
    }

    /**
     * A client repeating a malformed request (a second Host header) gets its 400 each time, and the console no line
     * quoting it: before, Jetty's parser logged one WARN per request with the client's header in it, so anyone could
     * fill the console with lines of their choosing (a sample probe's find).
     */
    @Test
    void whenAClientRepeatsAMalformedRequestThenTheConsoleQuotesNothingOfIt() throws Exception {
        String log = CapturedLog.during(() -> {
            for (int i = 0; i < 20; i++) {
                assertEquals(400, http.raw("GET /health HTTP/1.1", "Host: FORGED-LOG-TEXT-" + i).status());
            }
        }).text();
        assertFalse(log.contains("FORGED-LOG-TEXT-"), log);
    }

    // ---- health ------------------------------------------------------------------------------

    @Test
    void whenEverythingRunsThenHealthIsUpWithJwtGatesDetailsAndRedisCountsByRole() throws Exception {
        // The near-cache starts with the first check and is DEGRADED ("not fresh") until its first heartbeat.
        HttpAnswer health = Eventually.until("/health to be UP", Duration.ofSeconds(20), () -> {
            HttpAnswer answer = http.get("/health");
            return answer.status() == 200 && "UP".equals(answer.string("status")) ? answer : null;
        }, () -> http.get("/health"));
        assertEquals("no-store", health.header("Cache-Control").orElseThrow());

        Map<String, Object> jwtgate = object(health.json(), "jwtgate");
        assertEquals("UP", jwtgate.get("status"));
        Map<String, Object> details = object(jwtgate, "details");
        assertEquals(List.of("keys", "revocation-store", "failure-mode", "near-cache", "durability"),
                List.copyOf(details.keySet()));
        assertEquals("secret", details.get("keys"));
        assertEquals("redis-cluster up", details.get("revocation-store"));
        assertEquals("closed", details.get("failure-mode"));
        String nearCache = (String) details.get("near-cache");
        assertTrue(nearCache.startsWith("fresh") || nearCache.startsWith("idle"), nearCache);

        Map<String, Object> redis = object(health.json(), "redis");
        assertEquals("ok", redis.get("cluster_state"));
        assertEquals(6L, number(redis, "nodes"));
        assertEquals(6L, number(redis, "reachable"));
        assertEquals(3L, number(redis, "masters"));
        assertEquals(3L, number(redis, "replicas"));
        assertFalse(health.body().contains("127.0.0.1"), "a public endpoint names no address: " + health.body());
    }

    @Test
    void whenHealthIsAskedOftenThenRedisSeesAtMostOneLookASecond() throws Exception {
        long before = connectionsReceived();
        long started = System.nanoTime();
        int calls = 200;
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpAnswer>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                answers.add(callers.submit(() -> http.get("/health")));
            }
            for (Future<HttpAnswer> answer : answers) {
                assertEquals(200, answer.get(60, TimeUnit.SECONDS).status());
            }
        } finally {
            callers.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long connections = connectionsReceived() - before;
        // A look at Redis opens one connection to a seed and one to each node: 7 here, once a second at most (plus
        // the first), where each call made one before (1,400 for these calls). Allowed besides: this count's own 6
        // and a few for JwtGate's pools.
        int perLook = 1 + REDIS.cluster().nodes().size();
        long allowed = perLook * ((long) Math.ceil(seconds) + 1) + REDIS.cluster().nodes().size() + 10;
        assertTrue(connections <= allowed, connections + " Redis connections in " + seconds + " s for " + calls
                + " /health calls; allowed " + allowed);
    }

    @Test
    void whenThePublicHealthPathIsTracedThen405AndNoHeaderIsEchoed() throws Exception {
        String token = http.loggedIn("alice", "wonderland").string("access_token");
        HttpAnswer trace = http.trace("/health", "Authorization", "Bearer " + token);
        assertEquals(405, trace.status(), trace.body());
        assertFalse(trace.body().contains(token), trace.body());
    }

    @Test
    void whenAnEndpointIsTracedOrAskedForOptionsThenAllowListsWhatItServesAndNotTrace() throws Exception {
        HttpAnswer trace = http.trace("/login");
        assertEquals(405, trace.status(), trace.body());
        assertEquals("POST, OPTIONS", trace.header("Allow").orElse(null), trace.toString());
        HttpAnswer options = http.options("/login");
        assertEquals(200, options.status(), options.toString());
        assertEquals("POST, OPTIONS", options.header("Allow").orElse(null), options.toString());
    }

    @Test
    void whenAMethodAnEndpointDoesNotServeIsUsedThen405WithAllowAndTheSamplesJsonError() throws Exception {
        // RFC 9110 §15.5.6: a 405 names the methods the resource serves.
        HttpAnswer get = http.get("/login");
        assertEquals(405, get.status(), get.toString());
        assertEquals("POST, OPTIONS", get.header("Allow").orElse(null), get.toString());
        assertEquals("unsupported_request", get.string("error"), get.body());
        assertEquals("no-store", get.header("Cache-Control").orElse(null));
        String token = http.loggedIn("alice", "wonderland").string("access_token");
        HttpAnswer post = http.post("/api/me", "Authorization", "Bearer " + token);
        assertEquals(405, post.status(), post.toString());
        assertEquals("GET, HEAD, OPTIONS", post.header("Allow").orElse(null), post.toString());
        assertEquals("unsupported_request", post.string("error"), post.body());
    }

    @Test
    void whenAMethodTheServletApiDoesNotKnowIsUsedThen405WithAllowAndTheSamplesJsonError() throws Exception {
        // Servlet 6.0's HttpServlet answers PATCH and extension methods with sendError(501): an empty 501, a 5xx for
        // a client's mistake, where docs/sample.md promises the 405 with Allow and JSON that GET /login gets.
        String token = http.loggedIn("alice", "wonderland").string("access_token");
        for (String method : List.of("PATCH", "PROPFIND")) {
            HttpAnswer login = http.method(method, "/login");
            assertEquals(405, login.status(), method + " /login: " + login);
            assertEquals("POST, OPTIONS", login.header("Allow").orElse(null), login.toString());
            assertEquals("unsupported_request", login.string("error"), login.body());
            HttpAnswer me = http.method(method, "/api/me", "Authorization", "Bearer " + token);
            assertEquals(405, me.status(), method + " /api/me: " + me);
            assertEquals("GET, HEAD, OPTIONS", me.header("Allow").orElse(null), me.toString());
        }
    }

    /** Connections the Redis nodes accepted so far ({@code INFO stats}). */
    private static long connectionsReceived() {
        long total = 0;
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                Matcher m = Pattern.compile("(?m)^total_connections_received:(\\d+)").matcher(jedis.info("stats"));
                assertTrue(m.find(), "INFO stats of " + node.port());
                total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }

    @Test
    void whenPageRequestedThenHtmlWithStrictContentSecurityPolicy() throws Exception {
        HttpAnswer page = http.get("/");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("id=\"login-form\""));
        assertTrue(page.header("Content-Security-Policy").orElseThrow().contains("script-src 'self'"));
        assertEquals(200, http.get("/app.js").status());
        assertEquals(401, http.get("/not-a-page").status(), "everything not listed as public is protected");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String field) {
        return (Map<String, Object>) json.get(field);
    }

    private static long number(Map<String, Object> json, String field) {
        return ((Number) json.get(field)).longValue();
    }
}
