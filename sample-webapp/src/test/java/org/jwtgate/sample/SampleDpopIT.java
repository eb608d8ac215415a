package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.DpopKey;

/**
 * The sample with {@code JWTGATE_DPOP_MODE=allowed} (and {@code JWTGATE_DPOP_NONCE=required}), as a
 * DPoP client would use it over HTTP: {@code /login} and {@code /refresh} bind the tokens to the key of
 * the request's proof (RFC 9449 §5), the bound access token works only with a proof by that key, and
 * the refresh token of a DPoP client rotates only for that key. Clients without a proof keep getting
 * bearer tokens.
 */
class SampleDpopIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static RunningSample app;
    private static SampleClient http;

    @BeforeAll
    static void start() throws Exception {
        app = RunningSample.start(REDIS.cluster(), Map.of("JWTGATE_DPOP_MODE", "allowed", "JWTGATE_DPOP_NONCE", "required",
                "JWTGATE_DPOP_NONCE_SECRET", "sample-dpop-nonce-secret-0123456789"));
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

    private static String url(String path) {
        return http.origin() + path;
    }

    /** A nonce, as a client gets it: from the use_dpop_nonce answer to a proof without one. */
    private static String nonce(DpopKey key) throws Exception {
        HttpAnswer challenge = http.postJson("/login", "{\"username\":\"alice\",\"password\":\"wonderland\"}",
                "DPoP", key.proof("POST", url("/login")).sign());
        assertEquals(400, challenge.status(), challenge.toString());
        assertEquals("use_dpop_nonce", challenge.string("error"));
        return challenge.header("DPoP-Nonce").orElseThrow();
    }

    private static HttpAnswer dpopLogin(DpopKey key, String nonce) throws Exception {
        return http.postJson("/login", "{\"username\":\"alice\",\"password\":\"wonderland\"}",
                "DPoP", key.proof("POST", url("/login")).nonce(nonce).sign());
    }

    private static HttpAnswer me(DpopKey key, String token, String nonce) throws Exception {
        return http.get("/api/me", "Authorization", "DPoP " + token,
                "DPoP", key.proof("GET", url("/api/me")).accessToken(token).nonce(nonce).sign());
    }

    @Test
    void whenLoginCarriesAProofThenTheTokensAreBoundToItsKeyAndNoAccessCookieIsSet() throws Exception {
        DpopKey key = DpopKey.es256();
        String nonce = nonce(key);
        HttpAnswer login = dpopLogin(key, nonce);
        assertEquals(200, login.status(), login.toString());
        assertEquals("DPoP", login.string("token_type"));
        String access = login.string("access_token");
        assertEquals(Map.of("jkt", key.thumbprint()), RunningSample.decode(access, 1).get("cnf"));
        assertTrue(login.setCookie("access_token").contains("Max-Age=0"), "any old access cookie is cleared");
        assertTrue(login.setCookie("refresh_token").contains("Path=/refresh"));

        HttpAnswer me = me(key, access, nonce);
        assertEquals(200, me.status(), me.toString());
        assertEquals("DPoP", me.string("auth"));
        assertEquals(key.thumbprint(), me.string("jkt"));

        assertEquals(401, http.get("/api/me", "Authorization", "Bearer " + access).status(), "no downgrade to bearer");
        assertEquals(401, http.get("/api/me", "Cookie", "access_token=" + access).status(), "nor through a cookie");
        DpopKey thief = DpopKey.es256();
        assertEquals(401, me(thief, access, nonce).status(), "a stolen token is useless without the key");
    }

    @Test
    void whenLoginHasNoProofThenBearerTokensAsBefore() throws Exception {
        HttpAnswer login = http.loggedIn("alice", "wonderland");
        assertEquals("Bearer", login.string("token_type"));
        String access = login.string("access_token");
        HttpAnswer me = http.get("/api/me", "Authorization", "Bearer " + access);
        assertEquals(200, me.status());
        assertEquals("Bearer", me.string("auth"));
        assertFalse(me.json().containsKey("jkt"));
    }

    @Test
    void whenLoginProofIsBadThen400BeforeAnyPasswordIsChecked() throws Exception {
        DpopKey key = DpopKey.es256();
        String nonce = nonce(key);
        HttpAnswer wrongUri = http.postJson("/login", "{\"username\":\"alice\",\"password\":\"wrong\"}",
                "DPoP", key.proof("POST", url("/refresh")).nonce(nonce).sign());
        assertEquals(400, wrongUri.status(), wrongUri.toString());
        assertEquals("invalid_dpop_proof", wrongUri.string("error"));
        String proof = key.proof("POST", url("/login")).nonce(nonce).sign();
        assertEquals(200, http.postJson("/login", "{\"username\":\"alice\",\"password\":\"wonderland\"}", "DPoP", proof).status());
        HttpAnswer replay = http.postJson("/login", "{\"username\":\"alice\",\"password\":\"wonderland\"}", "DPoP", proof);
        assertEquals(400, replay.status(), replay.toString());
        assertEquals("The DPoP proof has already been used", replay.string("error_description"));
    }

    @Test
    void whenALoginProofIsReplayedWithAnotherUsernameThenItIsRefused() throws Exception {
        DpopKey key = DpopKey.es256();
        String proof = key.proof("POST", url("/login")).nonce(nonce(key)).sign();
        assertEquals(200, http.postJson("/login", "{\"username\":\"alice\",\"password\":\"wonderland\"}", "DPoP", proof).status());
        HttpAnswer replay = http.postJson("/login", "{\"username\":\"bob\",\"password\":\"builder\"}", "DPoP", proof);
        assertEquals(400, replay.status(), replay.toString());
        assertEquals("The DPoP proof has already been used", replay.string("error_description"));
    }

    @Test
    void whenADpopClientRefreshesThenOnlyItsKeyRotatesTheFamilyAndTheNewTokenIsBoundToo() throws Exception {
        DpopKey key = DpopKey.ed25519();
        String nonce = nonce(key);
        HttpAnswer login = dpopLogin(key, nonce);
        String refresh = login.string("refresh_token");

        DpopKey thief = DpopKey.ed25519();
        HttpAnswer stolen = http.postJson("/refresh", "{\"refresh_token\":\"" + refresh + "\"}",
                "DPoP", thief.proof("POST", url("/refresh")).nonce(nonce).sign());
        assertEquals(401, stolen.status(), stolen.toString());
        assertEquals(401, http.postJson("/refresh", "{\"refresh_token\":\"" + refresh + "\"}").status(), "nor without a proof");

        HttpAnswer rotated = http.postJson("/refresh", "{\"refresh_token\":\"" + refresh + "\"}",
                "DPoP", key.proof("POST", url("/refresh")).nonce(nonce).sign());
        assertEquals(200, rotated.status(), rotated.toString());
        assertEquals("DPoP", rotated.string("token_type"));
        assertEquals(Map.of("jkt", key.thumbprint()), RunningSample.decode(rotated.string("access_token"), 1).get("cnf"));
        assertEquals(200, me(key, rotated.string("access_token"), nonce).status());
    }

    @Test
    void whenADpopClientLogsOutThenItsTokenIsRevoked() throws Exception {
        DpopKey key = DpopKey.es256();
        String nonce = nonce(key);
        String access = dpopLogin(key, nonce).string("access_token");
        HttpAnswer logout = http.post("/logout", "Authorization", "DPoP " + access,
                "DPoP", key.proof("POST", url("/logout")).accessToken(access).nonce(nonce).sign());
        assertEquals(204, logout.status(), logout.toString());
        HttpAnswer after = me(key, access, nonce);
        assertEquals(401, after.status());
        assertEquals(List.of("DPoP realm=\"jwtgate\", error=\"invalid_token\", error_description=\"The access token has been revoked\", "
                + "algs=\"ES256 EdDSA RS256 PS256\"", "Bearer realm=\"jwtgate\""), after.headers("WWW-Authenticate"));
    }
}
