package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.jwtgate.testing.MockedContainer;
import org.jwtgate.testing.MockedContainer.Answer;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.testkit.webapp.WarClassLoader;

/**
 * Hostile token shapes sent to a destroyed filter once its application's class loader closed, as Jetty 12 closes it
 * with requests still inside (see {@link DestroyedFilterAfterClassLoaderClosedTest}): each answer is the one the same
 * filter gives on an open class loader, never a {@code NoClassDefFoundError}. JwtGate's and jose4j's classes are the
 * application's, as a WAR holds them; the filter served good tokens before the stop. Without
 * {@code JwtVerifier.loadRejectionClasses}, 23 of the HMAC shapes and 4 of the RS256 ones threw
 * {@code NoClassDefFoundError: org/jose4j/lang/UnresolvableKeyException}.
 */
class HostileTokensAfterClassLoaderClosedTest {

    private static final String PROTECTED = "/api/orders";
    private static final KeyPair RSA = TestTokens.rsaKeyPair();
    private static final KeyPair OTHER_RSA = TestTokens.rsaKeyPair();

    private static String b64(String s) {
        return TestTokens.b64(s);
    }

    private static String hs(JwtClaims claims, java.util.function.Consumer<JsonWebSignature> headers) {
        return TestTokens.sign(claims, AlgorithmIdentifiers.HMAC_SHA256, TestTokens.hmacKey(TestTokens.SECRET), headers);
    }

    private static JwtClaims c() {
        return TestTokens.claims("mallory", "user");
    }

    private static String payload() {
        return b64(c().toJson());
    }

    private static Map<String, String> hmacCases() throws Exception {
        Map<String, String> t = new LinkedHashMap<>();
        String good = TestTokens.hs256("eve", "user");
        String sig = good.substring(good.lastIndexOf('.') + 1);
        t.put("alg none", b64("{\"alg\":\"none\"}") + "." + payload() + ".AAAA");
        t.put("alg none empty sig", b64("{\"alg\":\"none\"}") + "." + payload() + ".");
        t.put("alg RS256 not allowed", TestTokens.sign(c(), "RS256", RSA.getPrivate(), j -> { }));
        t.put("alg HS512 not allowed", TestTokens.sign(c(), "HS512",
                TestTokens.hmacKey(TestTokens.SECRET + TestTokens.SECRET), j -> { }));
        t.put("alg unknown XX1", b64("{\"alg\":\"XX1\"}") + "." + payload() + ".AAAA");
        t.put("alg numeric", b64("{\"alg\":1}") + "." + payload() + ".AAAA");
        t.put("alg missing", b64("{\"typ\":\"JWT\"}") + "." + payload() + ".AAAA");
        t.put("header not JSON", b64("not json") + "." + payload() + ".AAAA");
        t.put("header JSON array", b64("[1,2]") + "." + payload() + ".AAAA");
        t.put("header duplicate member", b64("{\"alg\":\"HS256\",\"alg\":\"HS256\"}") + "." + payload() + ".AAAA");
        t.put("header truncated JSON", b64("{\"alg\":\"HS2") + "." + payload() + ".AAAA");
        t.put("header bad base64 len", "A." + payload() + ".AAAA");
        t.put("JWE 5 parts", "a.b.c.d.e");
        t.put("JWE-like header 3 parts", b64("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}") + "." + payload() + ".AAAA");
        t.put("crit exp", hs(c(), j -> j.getHeaders().setObjectHeaderValue("crit", List.of("exp"))));
        t.put("crit null", b64("{\"alg\":\"HS256\",\"crit\":null}") + "." + payload() + "." + sig);
        t.put("crit escaped", b64("{\"alg\":\"HS256\",\"\\u0063rit\":[\"x\"]}") + "." + payload() + "." + sig);
        t.put("b64 false", b64("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}") + "." + payload() + "." + sig);
        t.put("zip DEF", hs(c(), j -> j.setHeader("zip", "DEF")));
        t.put("cty JWT (payload claims)", hs(c(), j -> j.setContentTypeHeaderValue("JWT")));
        t.put("cty numeric", b64("{\"alg\":\"HS256\",\"cty\":5}") + "." + payload() + "." + sig);
        String inner = TestTokens.hs256("inner", "user");
        JsonWebSignature nested = new JsonWebSignature();
        nested.setPayload(inner);
        nested.setAlgorithmHeaderValue("HS256");
        nested.setContentTypeHeaderValue("JWT");
        nested.setKey(TestTokens.hmacKey(TestTokens.SECRET));
        t.put("nested JWS", nested.getCompactSerialization());
        t.put("jku+x5u valid sig", hs(c(), j -> {
            j.setHeader("jku", "https://evil.example/jwks");
            j.setHeader("x5u", "https://evil.example/cert");
        }));
        t.put("unknown kid valid sig", hs(c(), j -> j.setKeyIdHeaderValue("nope")));
        t.put("kid numeric", hs(c(), j -> j.getHeaders().setObjectHeaderValue("kid", 7)));
        t.put("typ numeric", hs(c(), j -> j.getHeaders().setObjectHeaderValue("typ", 7)));
        t.put("oversized", "a".repeat(200_000));
        t.put("non-ASCII", "\u00e4bc.def.ghi");
        t.put("non-ASCII in header JSON", b64("{\"alg\":\"HS256\",\"x\":\"\u00e4\u20ac\"}") + "." + payload() + "." + sig);
        t.put("payload not JSON", b64("{\"alg\":\"HS256\"}") + "." + b64("nope") + "." + sig);
        t.put("payload JSON array", b64("{\"alg\":\"HS256\"}") + "." + b64("[]") + "." + sig);
        JwtClaims expString = c();
        expString.setClaim("exp", "tomorrow");
        t.put("exp is a string (valid sig)", hs(expString, j -> { }));
        JwtClaims subNum = c();
        subNum.setClaim("sub", 12);
        t.put("sub numeric (valid sig)", hs(subNum, j -> { }));
        JwtClaims noExp = c();
        noExp.unsetClaim("exp");
        t.put("no exp", hs(noExp, j -> { }));
        JwtClaims nbf = c();
        nbf.setNotBefore(TestTokens.secondsFromNow(300));
        t.put("nbf future", hs(nbf, j -> { }));
        JwtClaims iatFuture = c();
        iatFuture.setIssuedAt(TestTokens.secondsFromNow(3000));
        t.put("iat future", hs(iatFuture, j -> { }));
        JwtClaims iss = c();
        iss.setIssuer("https://other.example");
        t.put("issuer wrong", hs(iss, j -> { }));
        JwtClaims aud = c();
        aud.setAudience("other");
        t.put("audience wrong", hs(aud, j -> { }));
        JwtClaims audNull = c();
        List<Object> items = new ArrayList<>();
        items.add(TestTokens.AUDIENCE);
        items.add(null);
        audNull.setClaim("aud", items);
        t.put("aud with null item", hs(audNull, j -> { }));
        JwtClaims never = c();
        never.setExpirationTime(TestTokens.secondsFromNow(60));
        never.setIssuedAt(TestTokens.secondsFromNow(120));
        t.put("exp before iat", hs(never, j -> { }));
        JwtClaims longLife = c();
        longLife.setExpirationTime(TestTokens.secondsFromNow(365L * 24 * 3600));
        t.put("lifetime too long", hs(longLife, j -> { }));
        JwtClaims rolesBad = c();
        rolesBad.setClaim("groups", Map.of("a", List.of(1, 2)));
        t.put("groups an object", hs(rolesBad, j -> { }));
        t.put("signature wrong length", good.substring(0, good.lastIndexOf('.') + 1) + "AA");
        t.put("signature bad base64 len", good.substring(0, good.lastIndexOf('.') + 1) + "A");
        return t;
    }

    private static Map<String, String> rsaCases() throws Exception {
        Map<String, String> t = new LinkedHashMap<>();
        String good = TestTokens.sign(c(), "RS256", RSA.getPrivate(), j -> { });
        t.put("valid RS256 (503 expected)", good);
        t.put("HS256 token, RS256 key", TestTokens.hs256("eve", "user"));
        t.put("PS256 not allowed", TestTokens.sign(c(), "PS256", RSA.getPrivate(), j -> { }));
        t.put("RS256 other key", TestTokens.sign(c(), "RS256", OTHER_RSA.getPrivate(), j -> { }));
        t.put("RS256 short sig", good.substring(0, good.lastIndexOf('.') + 1) + "AAAA");
        t.put("alg none", b64("{\"alg\":\"none\"}") + "." + payload() + ".AAAA");
        t.put("header not JSON", b64("not json") + "." + payload() + ".AAAA");
        t.put("crit", TestTokens.sign(c(), "RS256", RSA.getPrivate(),
                j -> j.getHeaders().setObjectHeaderValue("crit", List.of("exp"))));
        JwtClaims expired = c();
        expired.setExpirationTime(TestTokens.secondsFromNow(-600));
        expired.setIssuedAt(TestTokens.secondsFromNow(-1200));
        t.put("expired", TestTokens.sign(expired, "RS256", RSA.getPrivate(), j -> { }));
        t.put("unknown kid", TestTokens.sign(c(), "RS256", RSA.getPrivate(), j -> j.setKeyIdHeaderValue("nope")));
        return t;
    }

    private static Map<String, String> jwksCases() throws Exception {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("valid kid k1 (503 expected)", TestTokens.sign(c(), "RS256", RSA.getPrivate(), j -> j.setKeyIdHeaderValue("k1")));
        t.put("unknown kid", TestTokens.sign(c(), "RS256", OTHER_RSA.getPrivate(), j -> j.setKeyIdHeaderValue("nope")));
        t.put("no kid", TestTokens.sign(c(), "RS256", RSA.getPrivate(), j -> { }));
        t.put("kid k1 wrong key", TestTokens.sign(c(), "RS256", OTHER_RSA.getPrivate(), j -> j.setKeyIdHeaderValue("k1")));
        t.put("HS256 token", TestTokens.hs256("eve", "user"));
        t.put("crit", TestTokens.sign(c(), "RS256", RSA.getPrivate(), j -> {
            j.setKeyIdHeaderValue("k1");
            j.getHeaders().setObjectHeaderValue("crit", List.of("exp"));
        }));
        t.put("header not JSON", b64("not json") + "." + payload() + ".AAAA");
        return t;
    }

    @Test
    void withASecretEveryShapeIsAnsweredAsOnAnOpenClassLoader() throws Exception {
        String good = TestTokens.hs256("alice", "user");
        runAll("HMAC secret", TestTokens.settings(), good, hmacCases());
    }

    @Test
    void withAPemKeyEveryShapeIsAnsweredAsOnAnOpenClassLoader() throws Exception {
        Map<String, String> settings = TestTokens.settings();
        settings.remove("jwt.secret");
        settings.put("jwt.public-key", TestTokens.pem(RSA));
        settings.put("jwt.algorithms", "RS256");
        runAll("RS256 PEM", settings, TestTokens.sign(TestTokens.claims("alice", "user"), "RS256", RSA.getPrivate(), j -> { }),
                rsaCases());
    }

    @Test
    void withAJwksEveryShapeIsAnsweredAsOnAnOpenClassLoader() throws Exception {
        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) RSA.getPublic());
        jwk.setKeyId("k1");
        jwk.setAlgorithm("RS256");
        Path file = Files.createTempFile("jwtgate-jwks", ".json");
        file.toFile().deleteOnExit();
        Files.writeString(file, new JsonWebKeySet(jwk).toJson());
        Map<String, String> settings = TestTokens.settings();
        settings.remove("jwt.secret");
        settings.put("jwt.jwks-uri", file.toUri().toString());
        settings.put("jwt.algorithms", "RS256");
        runAll("JWKS file", settings, TestTokens.sign(TestTokens.claims("alice", "user"), "RS256", RSA.getPrivate(),
                j -> j.setKeyIdHeaderValue("k1")), jwksCases());
    }

    private void runAll(String title, Map<String, String> settings, String good, Map<String, String> cases) throws Exception {
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, String> shape : cases.entrySet()) {
            WarClassLoader open = newApplication();
            Filter onOpenLoader = start(open, settings, good);
            onOpenLoader.destroy();
            String openAnswer = serve(onOpenLoader, PROTECTED, "Bearer " + shape.getValue());
            open.close();

            WarClassLoader closed = newApplication();
            Filter onClosedLoader = start(closed, settings, good);
            onClosedLoader.destroy();
            closed.close();
            String closedAnswer = serve(onClosedLoader, PROTECTED, "Bearer " + shape.getValue());
            if (!closedAnswer.equals(openAnswer) || openAnswer.startsWith("THREW")) {
                differing.add(shape.getKey() + ": open loader " + openAnswer + ", closed " + closedAnswer);
            }
        }
        assertEquals(List.of(), differing, title);
    }

    private static Filter start(WarClassLoader app, Map<String, String> settings, String good) throws Exception {
        Filter filter = (Filter) app.loadClass(JwtAuthFilter.class.getName()).getConstructor().newInstance();
        filter.init(filterConfig(settings));
        for (int i = 0; i < 3; i++) {
            String ok = serve(filter, PROTECTED, "Bearer " + good);
            if (!ok.equals("passed")) {
                throw new AssertionError("good token: " + ok);
            }
            serve(filter, "/public/page", null);
        }
        return filter;
    }

    private static String serve(Filter filter, String path, String authorization) {
        Answer answer = MockedContainer.serve(filter, path, authorization, null);
        if (answer.thrown() != null) {
            return "THREW " + answer.thrown();
        }
        if (answer.passed()) {
            return "passed";
        }
        String text = answer.body();
        int i = text.indexOf("\"error_description\"");
        return answer.status() + (i >= 0 ? " " + text.substring(i, Math.min(text.length(), i + 70)) : "");
    }

    private static FilterConfig filterConfig(Map<String, String> settings) {
        Map<String, String> params = new LinkedHashMap<>(settings);
        params.put("paths.exclude", "/public/*");
        return MockedContainer.filterConfig(params);
    }

    /** JwtGate's and jose4j's classes child-first, as WEB-INF/lib holds them; the rest from the test's loader. */
    private static WarClassLoader newApplication() {
        return new WarClassLoader(HostileTokensAfterClassLoaderClosedTest.class, List.of("org.jwtgate.testing."),
                JwtAuthFilter.class, JwtClaims.class);
    }
}
