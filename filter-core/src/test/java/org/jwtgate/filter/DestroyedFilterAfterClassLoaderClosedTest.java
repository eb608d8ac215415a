package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.jwtgate.testing.MockedContainer;
import org.jwtgate.testing.MockedContainer.Answer;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.testkit.webapp.WarClassLoader;

/**
 * A JwtAuthFilter of a WAR on Jetty 12, destroyed while requests are still on their way to it, then its application's
 * class loader closed (Jetty closes it as it stops the context): each answer is the one it gives on an open class
 * loader. Before the filter loaded the classes of its refusals ahead ({@code TokenAuthentication.loadRefusalClasses}),
 * where the application had served only good tokens, a valid token (503: the store is closed) threw
 * {@code NoClassDefFoundError: ClosedStores} and an expired one {@code NoClassDefFoundError: Rejection}: Jetty's 500.
 */
class DestroyedFilterAfterClassLoaderClosedTest {

    private static final String PROTECTED = "/api/orders";
    private static final String PUBLIC = "/public/page";

    @Test
    void answersOfADestroyedFilterOnAnOpenClassLoader() throws Exception {
        Map<String, Answer> answers = destroyedAnswers(false);
        expected(answers);
    }

    @Test
    void answersOfADestroyedFilterOnceTheClassLoaderIsClosed() throws Exception {
        Map<String, Answer> answers = destroyedAnswers(true);
        expected(answers);
    }

    /** revocation.failure-mode=open: a valid token on a destroyed filter passes, audited (AUDIT fail-open). */
    @Test
    void failOpenAnswersOfADestroyedFilterOnceTheClassLoaderIsClosed() throws Exception {
        Map<String, Answer> answers = destroyedAnswers(true, true);
        Map<String, String> summary = summary(answers);
        assertEquals("passed", summary.get("a1 valid token seen before"), summary.toString());
        assertEquals("passed", summary.get("a2 valid token never seen"), summary.toString());
        assertEquals("401", summary.get("c1 expired token"), summary.toString());
    }

    /** dpop.mode=allowed: the DPoP scheme's answers after the close (a proof's one-time record in a closed store). */
    @Test
    void dpopAnswersOfADestroyedFilterOnceTheClassLoaderIsClosed() throws Exception {
        DpopKey key = DpopKey.es256();
        String url = "http://127.0.0.1:8080" + PROTECTED;
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("dora", "user"), key));
        WarClassLoader application = newApplication();
        Filter filter = (Filter) application.loadClass(JwtAuthFilter.class.getName()).getConstructor().newInstance();
        filter.init(filterConfig(false, Map.of("dpop.mode", "allowed")));
        for (int i = 0; i < 3; i++) {
            Answer ok = serve(filter, PROTECTED, "DPoP " + token, key.proof("GET", url).accessToken(token).sign());
            assertTrue(ok.passed(), ok.toString());
            assertTrue(serve(filter, PUBLIC, null).passed());
        }
        filter.destroy();
        application.close();
        Map<String, Answer> answers = new LinkedHashMap<>();
        answers.put("dpop valid proof", serve(filter, PROTECTED, "DPoP " + token,
                key.proof("GET", url).accessToken(token).sign()));
        answers.put("dpop proof for another URI", serve(filter, PROTECTED, "DPoP " + token,
                key.proof("GET", "http://127.0.0.1:8080/other").accessToken(token).sign()));
        answers.put("dpop no proof", serve(filter, PROTECTED, "DPoP " + token, null));
        answers.put("dpop-bound token as bearer", serve(filter, PROTECTED, "Bearer " + token));
        answers.put("dpop malformed", serve(filter, PROTECTED, "DPoP not a token"));
        Map<String, String> summary = summary(answers);
        assertEquals(Map.of("dpop valid proof", "503", "dpop proof for another URI", "401", "dpop no proof", "401",
                "dpop-bound token as bearer", "401", "dpop malformed", "400"), summary);
    }

    /**
     * An anonymous request on a paths.optional path, where the application had served tokens and public pages only:
     * its wrapper (internal.web.AnonymousRequest) is loaded ahead too; it threw NoClassDefFoundError (Jetty's 500).
     */
    @Test
    void anonymousOptionalRequestOfADestroyedFilterOnceTheClassLoaderIsClosed() throws Exception {
        String token = TestTokens.hs256("alice", "user");
        WarClassLoader application = newApplication();
        Filter filter = (Filter) application.loadClass(JwtAuthFilter.class.getName()).getConstructor().newInstance();
        filter.init(filterConfig(false, Map.of("paths.optional", "/optional/*")));
        for (int i = 0; i < 3; i++) {
            assertTrue(serve(filter, PROTECTED, "Bearer " + token).passed());
            assertTrue(serve(filter, "/optional/page", "Bearer " + token).passed());
            assertTrue(serve(filter, PUBLIC, null).passed());
        }
        filter.destroy();
        application.close();
        Map<String, Answer> answers = new LinkedHashMap<>();
        answers.put("anonymous optional", serve(filter, "/optional/page", null));
        answers.put("public path", serve(filter, PUBLIC, null));
        assertEquals(Map.of("anonymous optional", "passed", "public path", "passed"), summary(answers));
    }

    private static Map<String, String> summary(Map<String, Answer> answers) {
        Map<String, String> summary = new LinkedHashMap<>();
        answers.forEach((name, answer) -> summary.put(name, answer.thrown() != null ? "threw " + answer.thrown()
                : answer.passed() ? "passed" : String.valueOf(answer.status())));
        return summary;
    }

    private static void expected(Map<String, Answer> answers) {
        Map<String, String> summary = summary(answers);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("a1 valid token seen before", "503");
        expected.put("a2 valid token never seen", "503");
        expected.put("b no token", "401");
        expected.put("c1 expired token", "401");
        expected.put("c2 bad signature", "401");
        expected.put("d malformed header", "400");
        expected.put("e public path", "passed");
        assertEquals(expected, summary);
    }

    private Map<String, Answer> destroyedAnswers(boolean closeLoader) throws Exception {
        return destroyedAnswers(closeLoader, false);
    }

    private Map<String, Answer> destroyedAnswers(boolean closeLoader, boolean failOpen) throws Exception {
        String seen = TestTokens.hs256("alice", "user");
        String fresh = TestTokens.hs256("bob", "user");
        JwtClaims expiredClaims = TestTokens.claims("carol", "user");
        expiredClaims.setExpirationTime(TestTokens.secondsFromNow(-600));
        expiredClaims.setIssuedAt(TestTokens.secondsFromNow(-1200));
        String expired = TestTokens.hs256(expiredClaims);
        String badSignature = seen.substring(0, seen.lastIndexOf('.') + 1) + "AAAA" + seen.substring(seen.lastIndexOf('.') + 5);

        WarClassLoader application = newApplication();
        Filter filter = (Filter) application.loadClass(JwtAuthFilter.class.getName()).getConstructor().newInstance();
        filter.init(filterConfig(failOpen));
        // The application served only successful requests.
        for (int i = 0; i < 3; i++) {
            Answer ok = serve(filter, PROTECTED, "Bearer " + seen);
            assertTrue(ok.passed(), ok.toString());
            Answer open = serve(filter, PUBLIC, null);
            assertTrue(open.passed(), open.toString());
        }
        filter.destroy();
        if (closeLoader) {
            application.close();
            assertThrows(ClassNotFoundException.class,
                    () -> application.loadClass("org.jwtgate.internal.revocation.redis.RedisRevocationStore"));
        }
        Map<String, Answer> answers = new LinkedHashMap<>();
        answers.put("a1 valid token seen before", serve(filter, PROTECTED, "Bearer " + seen));
        answers.put("a2 valid token never seen", serve(filter, PROTECTED, "Bearer " + fresh));
        answers.put("b no token", serve(filter, PROTECTED, null));
        answers.put("c1 expired token", serve(filter, PROTECTED, "Bearer " + expired));
        answers.put("c2 bad signature", serve(filter, PROTECTED, "Bearer " + badSignature));
        answers.put("d malformed header", serve(filter, PROTECTED, "Bearer not a token"));
        answers.put("e public path", serve(filter, PUBLIC, null));
        application.close();
        return answers;
    }

    private static Answer serve(Filter filter, String path, String authorization) {
        return serve(filter, path, authorization, null);
    }

    private static Answer serve(Filter filter, String path, String authorization, String dpopProof) {
        return MockedContainer.serve(filter, path, authorization, dpopProof);
    }

    private static FilterConfig filterConfig(boolean failOpen) {
        return filterConfig(failOpen, Map.of());
    }

    private static FilterConfig filterConfig(boolean failOpen, Map<String, String> more) {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.putAll(more);
        if (failOpen) {
            params.put("revocation.failure-mode", "open");
        }
        params.put("paths.exclude", "/public/*");
        return MockedContainer.filterConfig(params);
    }

    /**
     * JwtGate's own classes and jose4j's (as WEB-INF/lib holds them) child-first; the servlet API, Jedis (not used:
     * the memory store), the test kit and this test's classes from the test's loader.
     */
    private static WarClassLoader newApplication() {
        return new WarClassLoader(DestroyedFilterAfterClassLoaderClosedTest.class, List.of("org.jwtgate.testing."),
                JwtAuthFilter.class, JwtClaims.class);
    }
}
