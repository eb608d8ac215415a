package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.Rejection;
import org.junit.jupiter.api.Test;

/**
 * A token that arrives while a fetch runs waits for that fetch and is verified if it brought the key. A scheduled
 * refresh queued on refreshLock behind that fetch took the lock as it ended and fetched again (slowly here), and the
 * waiting token, waiting for the lock, got 503 although the fetch it waited for had brought its key (the review's
 * find). The queued refresh now leaves it to the next scheduled one, and the token is verified.
 */
class JwksRefreshBackToBackTest {

    @Test
    void whenTheFetchWaitedForBringsTheKeyButAQueuedScheduledRefreshFollowsThenTheTokenIsVerifiedNot503()
            throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair second = TestTokens.rsaKeyPair();
        ExecutorService requests = Executors.newFixedThreadPool(2);
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)))) {
            String uri = server.uri();
            JwtGateConfig config = JwtGateConfig.of(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI, uri,
                    ConfigKeys.JWT_ALGORITHMS, "RS256", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "1"));
            // jwt.jwks-refresh-seconds=2 here (10 at least in a configuration: the same race, later)
            JwksKeyResolver keys = new JwksKeyResolver(URI.create(uri), 2, 1, Set.of("RS256"), new GateMetrics(),
                    Duration.ofSeconds(5), Duration.ofMillis(1500));
            long built = System.nanoTime();
            try (JwtVerifier verifier = JwtVerifier.withKeys(config.verification(), config.token(), keys)) {
                Thread.sleep(1_200);
                CountDownLatch firstAnswer = new CountDownLatch(1);
                server.holdAnswers = firstAnswer;
                server.body = JwtVerifierJwksTest.jwks(Map.of("k1", first, "k2", second));
                // A: the refresh a made-up kid sets off (held by the key server)
                Future<Rejection> madeUp = requests.submit(
                        () -> JwtVerifierTest.rejectionOf(verifier, JwksTestServer.rs256(first, "made-up")));
                while (server.hits.get() < 2) {
                    Thread.sleep(10);
                }
                // the scheduled refresh fires at 2 s and queues on refreshLock behind A
                Thread.sleep(Math.max(0, TimeUnit.MILLISECONDS.toNanos(2_400) - (System.nanoTime() - built)) / 1_000_000);
                // W: the first token of the new key waits for A
                Future<Object> newKey = requests.submit(() -> {
                    try {
                        return verifier.verify(JwksTestServer.rs256(second, "k2")).getName();
                    } catch (Exception e) {
                        return e;
                    }
                });
                Thread.sleep(200);
                CountDownLatch scheduledAnswer = new CountDownLatch(1);
                server.holdAnswers = scheduledAnswer; // the scheduled refresh's fetch is slow
                firstAnswer.countDown(); // A ends, bringing k2
                Object outcome = newKey.get(10, TimeUnit.SECONDS);
                scheduledAnswer.countDown();
                assertEquals(Rejection.UNKNOWN_KEY, madeUp.get(10, TimeUnit.SECONDS));
                assertEquals(2, server.hits.get(), "the scheduled refresh queued behind A fetched again");
                assertEquals("alice", outcome, "the fetch k2's token waited for brought k2, yet: " + outcome);
            }
        } finally {
            requests.shutdownNow();
        }
    }
}
