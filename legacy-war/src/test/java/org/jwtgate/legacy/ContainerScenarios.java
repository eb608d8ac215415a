package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.tokens.DpopKey;

/**
 * What an administrator expects of JwtGate dropped into a legacy WAR, checked over HTTP against
 * a real container (one start per subclass): the RFC 6750 challenge, the servlet API seeing the
 * user, public paths, revocation by the CLI through the real Redis Cluster, two applications with
 * their own configurations side by side, and misconfigurations failing the deployment with a log
 * line that names the init-param.
 */
abstract class ContainerScenarios {

    private static final Duration REVOCATION_SEEN_WITHIN = Duration.ofSeconds(10);
    private static final CliJar CLI = CliJar.locate();

    abstract ServletContainer container();

    abstract RedisCluster cluster();

    /** The status of a context whose deployment failed: Tomcat 404, Jetty 503. */
    abstract int failedDeploymentStatus();

    @Test
    void whenNoTokenThen401WithBearerChallengeOfTheAppsRealm() throws Exception {
        HttpResponse<String> response = container().get("/legacy/hello");
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("Bearer realm=\"legacy\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void whenValidTokenThenServletSeesPrincipalAndRoles() throws Exception {
        HttpResponse<String> admin = container().getWithToken("/legacy/hello", LegacyApps.legacyToken("alice", "admin"));
        assertEquals(200, admin.statusCode(), admin.body());
        assertEquals("hello user=alice admin=true auth=Bearer app=/legacy", admin.body().strip());

        HttpResponse<String> user = container().getWithToken("/legacy/hello", LegacyApps.legacyToken("bob", "staff"));
        assertEquals(200, user.statusCode(), user.body());
        assertEquals("hello user=bob admin=false auth=Bearer app=/legacy", user.body().strip());
    }

    /**
     * The answer to a token cookie in RFC 6265's quoted form: Tomcat hands the quotes over (400, malformed), Jetty takes
     * them off (200). security.md says so.
     */
    abstract int quotedTokenCookieStatus();

    /** The token cookie as the sample sets it, spaces around "=" or not; quoted, as the container answers it. */
    @Test
    void whenTheTokenCookieIsPlainItIsTakenAndQuotedAsTheContainerHandsItOver() throws Exception {
        String token = LegacyApps.legacyToken("alice", "admin");
        for (String cookie : new String[] {"access_token=" + token, "access_token = " + token}) {
            HttpResponse<String> response = container().get("/legacy/hello", "Cookie", cookie);
            assertEquals(200, response.statusCode(), cookie.substring(0, 16) + ": " + response.body());
            assertEquals("hello user=alice admin=true auth=Bearer app=/legacy", response.body().strip());
        }
        for (String cookie : new String[] {"access_token=\"" + token + "\"", "access_token = \"" + token + "\""}) {
            HttpResponse<String> response = container().get("/legacy/hello", "Cookie", cookie);
            assertEquals(quotedTokenCookieStatus(), response.statusCode(), cookie.substring(0, 16) + ": " + response.body());
        }
    }

    @Test
    void whenTheApplicationDispatchesAsynchronouslyThenTheUserIsStillThere() throws Exception {
        // Needs <async-supported> on the filter (else startAsync() throws: a 500) and the user carried through
        // startAsync() (else the dispatched servlet sees no user).
        HttpResponse<String> response = container().getWithToken("/legacy/async", LegacyApps.legacyToken("alice", "admin"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("hello user=alice admin=true auth=Bearer app=/legacy", response.body().strip());
        assertEquals(401, container().get("/legacy/async").statusCode());
    }

    @Test
    void whenExcludedPathThenPublicWithoutToken() throws Exception {
        HttpResponse<String> response = container().get("/legacy/public/ping");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("pong user=anonymous", response.body().strip());
    }

    @Test
    void whenTokenRevokedThroughCliThenRefusedAndOtherTokensStillWork() throws Exception {
        String token = LegacyApps.legacyToken("carol");
        String sameUserOtherToken = LegacyApps.legacyToken("carol");
        assertEquals(200, container().getWithToken("/legacy/hello", token).statusCode());

        CliJar.Result revoke = CLI.runWithStdin(LegacyApps.cliEnvironment(cluster()), token, "revoke-token", "-");
        assertEquals(0, revoke.exitCode(), revoke.toString());

        HttpResponse<String> refused = awaitStatus("/legacy/hello", token, 401);
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""),
                refused.headers().toString());
        assertEquals(200, container().getWithToken("/legacy/hello", sameUserOtherToken).statusCode());
    }

    @Test
    void whenUserRevokedThroughCliThenAllTheirTokensRefused() throws Exception {
        String first = LegacyApps.legacyToken("dave");
        String second = LegacyApps.legacyToken("dave", "admin");
        assertEquals(200, container().getWithToken("/legacy/hello", first).statusCode());

        CliJar.Result revoke = CLI.run(LegacyApps.cliEnvironment(cluster()), "revoke-user", "dave");
        assertEquals(0, revoke.exitCode(), revoke.toString());

        awaitStatus("/legacy/hello", first, 401);
        awaitStatus("/legacy/hello", second, 401);
        assertEquals(200, container().getWithToken("/legacy/hello", LegacyApps.legacyToken("erin")).statusCode());
    }

    @Test
    void whenTwoAppsWithOwnConfigurationsThenEachAcceptsOnlyItsOwnTokens() throws Exception {
        String legacyToken = LegacyApps.legacyToken("frank", "admin");
        String otherToken = LegacyApps.otherToken("frank", "admin");

        assertEquals(200, container().getWithToken("/legacy/hello", legacyToken).statusCode());
        HttpResponse<String> other = container().getWithToken("/other/hello", otherToken);
        assertEquals(200, other.statusCode(), other.body());
        assertEquals("hello user=frank admin=true auth=Bearer app=/other", other.body().strip());

        assertEquals(401, container().getWithToken("/other/hello", legacyToken).statusCode());
        assertEquals(401, container().getWithToken("/legacy/hello", otherToken).statusCode());
        assertEquals("Bearer realm=\"other\"", container().get("/other/hello").headers().firstValue("WWW-Authenticate").orElse(null));
    }

    /**
     * The second application allows DPoP. A bound token works with its proof. A captured, unused proof for
     * {@code /other/x/hello} must not open {@code /other/x//../hello}: its normal form (RFC 3986) is
     * {@code /other/x/hello}, but Tomcat merges the slashes first and serves {@code /other/hello}.
     */
    @Test
    void whenADpopProofIsSentToAPathTheContainerResolvesElsewhereThenItIsRefused() throws Exception {
        DpopKey key = DpopKey.es256();
        String token = LegacyApps.otherDpopToken("grace", key);
        HttpResponse<String> bound = container().get("/other/hello", "Authorization", "DPoP " + token,
                "DPoP", key.proof("GET", container().uri("/other/hello").toString()).accessToken(token).sign());
        assertEquals(200, bound.statusCode(), bound.body());
        assertEquals("hello user=grace admin=false auth=DPoP app=/other", bound.body().strip());

        String captured = key.proof("GET", container().uri("/other/x/hello").toString()).accessToken(token).sign();
        HttpResponse<String> ambiguous = container().get("/other/x//../hello", "Authorization", "DPoP " + token,
                "DPoP", captured);
        assertEquals(ambiguousPathStatus(), ambiguous.statusCode(), ambiguous.body());
        if (ambiguous.statusCode() == 401) {
            assertTrue(ambiguous.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_dpop_proof\""),
                    ambiguous.headers().map().toString());
        }
    }

    /** What the container answers for {@code /other/x//../hello}: Tomcat serves it (so JwtGate refuses the proof). */
    abstract int ambiguousPathStatus();

    /**
     * The README's {@code @WebFilter} example in the container as docs/operations.md sets it up: a WAR whose web.xml
     * declares no filter (and is not metadata-complete) is protected by its annotated JwtAuthFilter subclass.
     */
    @Test
    void whenTheFilterIsDeclaredByAnnotationThenItProtectsTheApplication() throws Exception {
        HttpResponse<String> anonymous = container().get("/annotated/hello");
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals("Bearer realm=\"annotated\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
        HttpResponse<String> admin = container().getWithToken("/annotated/hello", LegacyApps.legacyToken("ivy", "admin"));
        assertEquals(200, admin.statusCode(), admin.body());
        assertEquals("hello user=ivy admin=true auth=Bearer app=/annotated", admin.body().strip());
        assertEquals(200, container().get("/annotated/public/ping").statusCode());
        // Async-supported and mapped for ASYNC, as the example says: else startAsync() throws (a 500) or the user is gone.
        HttpResponse<String> async = container().getWithToken("/annotated/async", LegacyApps.legacyToken("ivy", "admin"));
        assertEquals(200, async.statusCode(), async.body());
        assertEquals("hello user=ivy admin=true auth=Bearer app=/annotated", async.body().strip());
    }

    /**
     * The README's web.xml example, copied from README.md as it stands into legacy.war in place of its own declaration:
     * its secret from APP_JWT_SECRET, its redis.nodes overridden by JWTGATE_REDIS_NODES, its paths.exclude in force.
     * The container's proof that a JWTGATE_* variable wins over an init-param: the example's own nodes (10.0.0.x) hold
     * none of this cluster, so a token passes only if the variable's nodes answer the revocation check.
     */
    @Test
    void whenTheFilterIsDeclaredAsTheReadmesWebXmlShowsThenItProtectsTheApplication() throws Exception {
        HttpResponse<String> anonymous = container().get("/readme/hello");
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals("Bearer realm=\"jwtgate\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
        String token = LegacyApps.readmeToken("kim", "admin");
        HttpResponse<String> admin = container().getWithToken("/readme/hello", token);
        assertEquals(200, admin.statusCode(), "503: the init-param's redis.nodes won over JWTGATE_REDIS_NODES? " + admin.body());
        assertEquals("hello user=kim admin=true auth=Bearer app=/readme", admin.body().strip());
        HttpResponse<String> async = container().getWithToken("/readme/async", token);
        assertEquals("hello user=kim admin=true auth=Bearer app=/readme", async.body().strip(), "mapped for ASYNC");
        assertEquals(401, container().getWithToken("/readme/hello", LegacyApps.legacyToken("kim")).statusCode(),
                "the README's issuer, not legacy.war's");
        assertEquals(401, container().getWithToken("/readme/hello", LegacyApps.readmeTokenFor("other-api", "kim")).statusCode(),
                "the README's jwt.audience in force");
        // Its paths.exclude (/health,/static/*) replaced legacy.war's /public/*: /health reaches the application,
        // which has nothing there, and /public/ping needs a token.
        assertEquals(404, container().get("/readme/health").statusCode());
        assertEquals(401, container().get("/readme/public/ping").statusCode());
    }

    /**
     * A filter mapped to /hello and, by name, the logout servlet never sees /admin or legacy.war's /public: the
     * start-up WARN naming the rules that do nothing reaches the container's log, with the url-patterns the container
     * reports (the servlet's too), and not the /logout rule its servlet mapping reaches. The application starts.
     */
    @Test
    void whenAPathRuleLiesOutsideTheFiltersMappingThenTheContainersLogNamesIt() throws Exception {
        assertEquals(401, container().get("/" + LegacyApps.PARTLY_MAPPED + "/hello").statusCode());
        String expected = "JwtGate filter [jwtgate]: path rules that never apply: paths.exclude [/public/*], paths.roles"
                + " [/admin/*=admin]: no path they match reaches the filter, which is mapped to the url-patterns [/hello],"
                + " [/logout]; map the filter to /* (or to those paths too), or remove the rules";
        String logs = container().awaitLog(expected, Duration.ofSeconds(10));
        assertTrue(logs.contains(expected), logs);
        assertFalse(logs.contains("paths.roles [/logout=admin]"), logs);
    }

    @Test
    void whenInitParamUnknownThenDeploymentFailsAndLogNamesIt() throws Exception {
        assertEquals(failedDeploymentStatus(), container().get("/bad-param/public/ping").statusCode());
        String expected = "Unknown setting [jwt.isuer] in init-param; did you mean [jwt.issuer]?";
        String logs = container().awaitLog(expected, Duration.ofSeconds(10)); // the whole line, not its start
        assertTrue(logs.contains(expected), logs);
    }

    @Test
    void whenSecretTooShortThenDeploymentFailsAndLogNamesTheParamButNotTheSecret() throws Exception {
        assertEquals(failedDeploymentStatus(), container().get("/bad-secret/public/ping").statusCode());
        String expected = "Invalid setting [jwt.secret]: the secret has 9 bytes; HS256 needs at least 32";
        String logs = container().awaitLog(expected, Duration.ofSeconds(10));
        assertTrue(logs.contains(expected), logs);
        assertFalse(logs.contains(LegacyApps.SHORT_SECRET), "the secret itself is never logged");
    }

    @Test
    void whenOtherAppsFailedThenTheHealthyOnesStillServe() throws Exception {
        // The failed application's public path: a 401 from a running filter would read as "not 200" as well.
        assertEquals(failedDeploymentStatus(), container().get("/bad-param/public/ping").statusCode());
        assertEquals(200, container().get("/legacy/public/ping").statusCode());
        assertEquals(200, container().get("/other/public/ping").statusCode());
    }

    /** The readiness probe docs/operations.md shows: JwtGate's health on a public path. */
    @Test
    void whenTheProbeAsksThenJwtGateSaysUpWithDetails() throws Exception {
        // One late heartbeat makes the near-cache not fresh, hence DEGRADED, for a moment: ask until UP.
        HttpResponse<String> health = container().get("/legacy/public/health");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!health.body().startsWith("{\"status\":\"UP\"") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            health = container().get("/legacy/public/health");
        }
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().startsWith("{\"status\":\"UP\",\"details\":{\"keys\":\"secret\","
                + "\"revocation-store\":\"redis-cluster up\""), health.body());
        assertEquals("no-store", health.headers().firstValue("Cache-Control").orElse(null));
    }

    /**
     * JwtGate logs through System.Logger, which both stock containers route to their own log with no
     * extra jar: its start-up line, an audit line (INFO, logger org.jwtgate.audit) and a WARN are there.
     */
    @Test
    void whenJwtGateLogsThenItsLinesReachTheContainersLog() throws Exception {
        String started = "JwtGate filter [jwtgate] started: revocation store redis-cluster";
        assertTrue(container().awaitLog(started, Duration.ofSeconds(10)).contains(started), "start-up line");

        String token = LegacyApps.legacyToken("grace");
        HttpResponse<String> logout = container().post("/legacy/logout", "Authorization", "Bearer " + token);
        assertEquals(200, logout.statusCode(), logout.body());
        assertEquals("logged out durable=true", logout.body().strip());
        String audit = "AUDIT revocation kind=token sub=grace iss=https://legacy.example jti=";
        // The application named as its MBeans name it: the two WARs of one container write to one log.
        String auditEnd = " actor=grace reason=logout durable=true replicas=1/1 filter=jwtgate context=/legacy instance=";
        String logs = container().awaitLog(auditEnd, Duration.ofSeconds(10)); // the line's end: written whole
        assertTrue(logs.contains(audit) && logs.contains(auditEnd), logs);

        // The second application asks two replicas of a cluster that has one: in force, not durable, a WARN.
        String other = LegacyApps.otherToken("heidi");
        HttpResponse<String> shortOfReplicas = container().post("/other/logout", "Authorization", "Bearer " + other);
        assertEquals("logged out durable=false", shortOfReplicas.body().strip());
        String warning = "Redis token revocation is in force but not durable: 1 of 2 replicas confirmed it";
        logs = container().awaitLog(warning, Duration.ofSeconds(10));
        assertTrue(logs.contains(warning), logs);
        // The WARN is written while the store answers, the audit line after it: wait for that one too.
        String otherAudit = "AUDIT revocation kind=token sub=heidi iss=https://other.example";
        logs = container().awaitLog(otherAudit, Duration.ofSeconds(10));
        assertTrue(logs.lines().anyMatch(line -> line.contains(otherAudit) && line.contains(" context=/other ")), logs);
        assertEquals(401, container().getWithToken("/other/hello", other).statusCode(), "in force all the same");
        // The refusal (DEBUG: both containers here write the filter's) comes after the lines above: read the log again.
        String refusal = "Refused GET /hello: token revoked";
        logs = container().awaitLog(refusal, Duration.ofSeconds(10));
        assertTrue(logs.contains(refusal), logs);
        assertFalse(logs.contains(token) || logs.contains(other), "a token is never logged");
    }

    /** Revocations reach the servers within the near-cache's staleness bound: poll, generously. */
    private HttpResponse<String> awaitStatus(String path, String token, int status) throws Exception {
        long deadline = System.nanoTime() + REVOCATION_SEEN_WITHIN.toNanos();
        HttpResponse<String> response = container().getWithToken(path, token);
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = container().getWithToken(path, token);
        }
        assertEquals(status, response.statusCode(), response.body());
        return response;
    }
}
