package org.jwtgate.internal.revocation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.jwtgate.revocation.RevocationUnavailableException;

/**
 * With {@code revocation.failure-mode=open}, security.md promises that "the instance that passed it holds it,
 * refuses its replay". A user's request whose record call is still failing (a master that hangs until its timeout)
 * was not yet held, so a replay reaching the same instance once Redis answers again (the replica promoted, the master
 * back) was recorded there as the first use and accepted; the user's call then failed and passed unrecorded as well:
 * one instance passed the same proof twice. The fake shared record behaves as the Redis script does.
 */
class OutageProofRecordRaceTest {

    private static final Duration WINDOW = Duration.ofSeconds(121);

    @Test
    void whenAReplayArrivesWhileTheFirstUsesRecordIsStillFailingThenTheSameInstanceDoesNotPassBoth() throws Exception {
        CountDownLatch firstCallWaiting = new CountDownLatch(1);
        CountDownLatch timeout = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Map<String, String> redis = new ConcurrentHashMap<>();
        ProofJtiStore shared = new ProofJtiStore() {
            @Override
            public boolean firstUse(String subject, String keyThumbprint, String proofId, Duration window) {
                if (calls.incrementAndGet() == 1) {
                    // The user's call: its master hangs; the call waits out its timeout, then fails.
                    firstCallWaiting.countDown();
                    try {
                        timeout.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new RevocationUnavailableException("Read timed out");
                }
                // Meanwhile Redis answers again: SET NX, a key holding this call's id counts as its own first use.
                String id = ProofRecordId.currentOrFresh();
                String before = redis.putIfAbsent(subject + "/" + keyThumbprint + "/" + proofId, id);
                return before == null || before.equals(id);
            }

            @Override
            public boolean firstTokenRequestUse(String keyThumbprint, String proofId, Duration window) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
            }
        };
        OutageProofRecord record = new OutageProofRecord(shared, Clock.systemUTC());
        ExecutorService users = Executors.newSingleThreadExecutor();
        try {
            // The user's request, with its own record id, as TokenAuthentication opens one per request.
            Future<String> usersRequest = users.submit(() -> {
                RequestDeadline.Scope scope = ProofRecordId.fresh().open();
                try {
                    return record.firstUse("alice", "jkt", "jti-1", WINDOW) ? "accepted" : "refused";
                } catch (RevocationUnavailableException e) {
                    return "passed unrecorded"; // failure-mode=open: TokenAuthentication lets it pass
                } finally {
                    scope.close();
                }
            });
            assertTrue(firstCallWaiting.await(10, TimeUnit.SECONDS));

            // The captured request replayed to the same instance, another request (another id), Redis answering.
            boolean replayAccepted;
            RequestDeadline.Scope scope = ProofRecordId.fresh().open();
            try {
                replayAccepted = record.firstUse("alice", "jkt", "jti-1", WINDOW);
            } finally {
                scope.close();
            }
            timeout.countDown();
            String user = usersRequest.get(10, TimeUnit.SECONDS);

            assertFalse(replayAccepted && !user.equals("refused"),
                    "one instance passed the proof twice: the replay was " + (replayAccepted ? "accepted" : "refused")
                            + ", the user's request " + user);
        } finally {
            users.shutdownNow();
            record.close();
        }
    }
}
