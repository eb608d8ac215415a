package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * jwt.jwks-min-refresh-seconds is also the delay of the next scheduled try after a failed fetch. A scheduled try that
 * came due while a fetch set off by a request ran waited on refreshLock, then fetched at once when that fetch ended
 * (failed): two fetches back to back (817 ms apart with a 2 s interval, in the review that found it). It now sees
 * that a fetch began since it was scheduled, and leaves the next try to the one that fetch scheduled.
 */
class JwksFailedFetchRetryRateTest {

    @Test
    void whenAFetchSetOffByARequestFailsThenTheNextScheduledTryComesAfterTheMinInterval() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        ExecutorService requests = Executors.newSingleThreadExecutor();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)))) {
            server.status = 500; // the key server fails, slowly (0.8 s an answer)
            server.holdAnswers = new CountDownLatch(1) {
                @Override
                public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
                    Thread.sleep(800);
                    return true;
                }
            };
            long t0 = System.nanoTime();
            List<Long> hitsAt = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread watcher = new Thread(() -> {
                int seen = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    int now = server.hits.get();
                    while (seen < now) {
                        hitsAt.add((System.nanoTime() - t0) / 1_000_000);
                        seen++;
                    }
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watcher.start();
            try (JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 2, Duration.ofSeconds(5),
                    Duration.ofSeconds(6))) {
                // start: failed after 0.8 s; the scheduled try is due 2 s later. A made-up kid 2.05 s after the start's
                // fetch began fetches (for 0.8 s); the scheduled try comes due meanwhile and queues behind it.
                long firstHit = hitsAt.get(0);
                Thread.sleep(Math.max(0, firstHit + 2_050 - (System.nanoTime() - t0) / 1_000_000));
                requests.submit(() -> JwtVerifierTest.rejectionOf(verifier, JwksTestServer.rs256(first, "made-up")));
                // The kid's fetch fails 0.8 s after it began, the next try comes 2 s later: watched 3.6 s, so a request
                // a few hundred ms late on two loaded cores still shows the third fetch.
                Thread.sleep(3_600);
                watcher.interrupt();
                List<Long> hits = List.copyOf(hitsAt);
                assertTrue(hits.size() >= 3, "fetches began at (ms): " + hits);
                for (int i = 1; i < hits.size(); i++) {
                    long gap = hits.get(i) - hits.get(i - 1);
                    assertTrue(gap >= 1_900, "fetches began " + gap + " ms apart, jwt.jwks-min-refresh-seconds=2 (ms"
                            + " since start: " + hits + ")");
                }
            }
        } finally {
            requests.shutdownNow();
        }
    }
}
