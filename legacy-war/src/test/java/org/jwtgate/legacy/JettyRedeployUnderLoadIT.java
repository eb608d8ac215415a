package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Hot redeploys of secured.war (the Jakarta Authentication module, registered by the application) in the official
 * Jetty 12 distribution while clients call a protected page. Jetty's deployer starts the new context before it stops
 * the old one ({@code jetty.deploy.atomicRedeploy}, on by default), and the old context's authenticator asks the new
 * registration from the moment it is made. Before JwtGate handed those requests back to the old module, every
 * redeploy answered about a thousand of them 500 ({@code AuthException: ... has not finished deploying}) and a few
 * 403 (two contexts' handlers taking turns in the new module).
 * <p>
 * Jetty's deployer stops the old context as soon as the new one replaced it, without waiting for the requests inside.
 * One of those that reaches a stopped servlet gets Jetty's 404, whatever the authentication ({@code ServletHolder}:
 * "Servlet Not Initialized", a permanent {@code UnavailableException}): once in about 60,000 answers here; an
 * application without any authentication whose filter takes 20 ms, five redeploys with four clients: 18. One that
 * reaches the old module after the stop gets its 503 (before, an {@code AuthException}: 500). Only requests in flight
 * at that instant can meet either, at most one per client per redeploy.
 */
class JettyRedeployUnderLoadIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final int REDEPLOYS = 3;
    private static final int CLIENTS = 4;
    private static final String PAGE = "/" + SecuredApps.SECURED + "/admin/page";
    /**
     * The answers to a request in flight when the old context stopped (tags stripped, blanks collapsed): Jetty's error
     * page for a servlet stopped under it, or the stopped module's 503.
     */
    private static final Pattern STOPPED_UNDER_REQUEST = Pattern.compile(
            "404 .*HTTP ERROR 404 Not Found URI: \\S*" + Pattern.quote(PAGE) + " STATUS: 404 MESSAGE: Not Found SERVLET: whoami\\b.*"
                    + "|503 \\{\"error\":\"temporarily_unavailable\",.*");

    private static JettyContainer jetty;

    @BeforeAll
    static void startJetty() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("jetty-redeploy-under-load");
        jetty = new JettyContainer(instance, "jetty-authentication", JettyRedeployUnderLoadIT::install, List.of());
        Map<String, String> env = new HashMap<>(SecuredApps.applicationSecrets());
        env.put("APP_JWT_SECRET", TestTokens.SECRET);
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put(LegacyApps.REPLICA_TIMEOUT_VARIABLE, LegacyApps.REPLICA_TIMEOUT_MS);
        try {
            jetty.start(env, "/" + SecuredApps.SECURED + "/public/page");
        } catch (Exception | Error e) {
            jetty.close();
            throw e;
        }
    }

    /** conf/jetty-authentication with the module registered by the application alone, scanning webapps/ every second. */
    private static void install(Path jettyBase) throws IOException {
        Files.delete(jettyBase.resolve("start.d/jwtgate-authentication.ini"));
        Files.writeString(jettyBase.resolve("start.d/redeploy.ini"), "jetty.deploy.scanInterval=1\n");
        Files.copy(SecuredApps.builtWar(), jettyBase.resolve("webapps/" + SecuredApps.SECURED + ".war"));
    }

    @AfterAll
    static void stopJetty() {
        if (jetty != null) {
            jetty.close();
        }
    }

    @Test
    void whenTheApplicationIsRedeployedWhileServingThenEveryProtectedRequestIsAuthenticated() throws Exception {
        String token = SecuredApps.token("alice", "admin");
        Map<String, Long> answers = new ConcurrentHashMap<>();
        AtomicLong during = new AtomicLong();
        AtomicBoolean redeploying = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread client = new Thread(() -> {
                while (running.get()) {
                    String answer;
                    try {
                        HttpResponse<String> response = jetty.getWithToken(PAGE, token);
                        answer = response.statusCode() + " " + response.body().strip()
                                .replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ");
                    } catch (IOException e) {
                        answer = "no answer: " + e;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    answers.merge(answer.length() > 300 ? answer.substring(0, 300) : answer, 1L, Long::sum);
                    if (redeploying.get()) {
                        during.incrementAndGet();
                    }
                }
            }, "client-" + i);
            client.start();
            clients.add(client);
        }
        try {
            Thread.sleep(1000);
            for (int round = 1; round <= REDEPLOYS; round++) {
                redeploying.set(true);
                jetty.redeploy(SecuredApps.SECURED + ".war", "/" + SecuredApps.SECURED, Duration.ofSeconds(60));
                redeploying.set(false);
                Thread.sleep(500);
            }
        } finally {
            running.set(false);
            for (Thread client : clients) {
                client.join(30_000);
            }
        }
        System.out.println("answers over " + REDEPLOYS + " redeploys (" + during.get() + " while redeploying): "
                + new TreeMap<>(answers));
        String expected = "200 who user=alice admin=true staff=false auth=Bearer principal=org.jwtgate.principal.JwtPrincipal"
                + " method=GET app=/" + SecuredApps.SECURED;
        Map<String, Long> authenticated = new TreeMap<>(answers);
        long stoppedUnderRequest = 0;
        for (var answer : answers.entrySet()) {
            if (STOPPED_UNDER_REQUEST.matcher(answer.getKey()).matches()) {
                stoppedUnderRequest += authenticated.remove(answer.getKey());
            }
        }
        assertEquals(Map.of(expected, authenticated.values().stream().mapToLong(Long::longValue).sum()), authenticated,
                "every answer the old or the new application's, authenticated (but those of requests the stop overtook)");
        assertTrue(stoppedUnderRequest <= (long) CLIENTS * REDEPLOYS,
                "answers to requests the old context's stop overtook, at most one per client per redeploy: " + stoppedUnderRequest);
        assertTrue(during.get() >= 100 * REDEPLOYS, "requests while redeploying: " + during.get());
    }
}
