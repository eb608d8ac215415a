package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;

/**
 * Review: what the sample, which docs/sample.md presents as "built the way we would want yours built", sends that a
 * security reviewer would not let through into a copy of it.
 */
class ReviewSampleHardeningIT {

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

    /** Every answer names the server's software and exact version (Jetty's default sendServerVersion=true). */
    @Test
    void whenAnyAnswerIsSentThenItDoesNotNameTheServersSoftwareAndVersion() throws Exception {
        List<String> named = new ArrayList<>();
        for (HttpAnswer answer : List.of(http.get("/"), http.get("/api/me"), http.postJson("/login", "{}"),
                http.raw("GET /%zz HTTP/1.1"))) {
            answer.header("Server").ifPresent(server -> named.add(answer.status() + " Server: " + server));
        }
        assertEquals(List.of(), named, "answers announce the server and its version");
    }

    /**
     * The security headers are the SecurityHeadersFilter's ("every answer carries, refusals included"), which Jetty's
     * own refusals (a malformed URI, headers past 8 KiB) never reach.
     */
    @Test
    void whenJettyRefusesARequestThenTheAnswerStillCarriesTheSecurityHeaders() throws Exception {
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
        }
    }

    /**
     * The demo accounts (bob/builder has the role admin; both passwords are in the README and on the page) are
     * seeded by default, and listening on every interface changes nothing: no warning, no refusal. The docs' only
     * guard is a parenthesis in the settings table ("keep it local").
     */
    @Test
    void whenTheSampleListensOnEveryInterfaceWithTheDemoAccountsThenItWarnsOrRefuses() throws Exception {
        RunningSample[] exposed = new RunningSample[1];
        CapturedLog log;
        try {
            log = CapturedLog.during(() -> exposed[0] = RunningSample.start(REDIS.cluster(),
                    Map.of("SAMPLE_HOST", "0.0.0.0")));
        } catch (Exception refused) {
            assertTrue(String.valueOf(refused.getMessage()).contains("SAMPLE_DEMO_ACCOUNTS"), refused.toString());
            return;
        }
        try {
            HttpAnswer admin = exposed[0].client().login("bob", "builder");
            assertEquals(200, admin.status(), "bob/builder, an administrator, signs in on the exposed instance");
            List<String> warned = log.warnings().stream()
                    .filter(line -> line.toLowerCase(java.util.Locale.ROOT).contains("demo")).toList();
            if (warned.isEmpty()) {
                fail("listening on 0.0.0.0 with the public demo accounts (bob/builder: admin) logged no warning: "
                        + log.lines().stream().filter(line -> line.contains("Demo account")).toList());
            }
        } finally {
            exposed[0].close();
        }
    }
}
