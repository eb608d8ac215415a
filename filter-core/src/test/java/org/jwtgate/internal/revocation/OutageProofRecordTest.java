package org.jwtgate.internal.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testing.ManualClock;
import org.jwtgate.testkit.logs.CapturedLog;

/** The record of proofs passed unrecorded while the shared record was down (a fake of it, as Redis's script does). */
class OutageProofRecordTest {

    private static final Duration WINDOW = Duration.ofSeconds(121);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SharedRecord shared = new SharedRecord();

    /** The shared record as the Redis script keeps it: the first call's id per key; down: unavailable. */
    private static final class SharedRecord implements ProofJtiStore {
        final Map<String, String> ids = new ConcurrentHashMap<>();
        final Map<String, Duration> windows = new ConcurrentHashMap<>();
        volatile boolean down;
        /** The users whose master does not answer yet (the rest answer, unless down). */
        volatile Set<String> downSubjects = Set.of();
        volatile boolean full;
        volatile boolean closed;

        @Override
        public boolean firstUse(String subject, String keyThumbprint, String proofId, Duration window) {
            if (downSubjects.contains(subject)) {
                throw new RevocationUnavailableException("the master of " + subject + " does not answer");
            }
            return record(subject + "/" + keyThumbprint + "/" + proofId, window);
        }

        @Override
        public boolean firstTokenRequestUse(String keyThumbprint, String proofId, Duration window) {
            return record("token/" + keyThumbprint + "/" + proofId, window);
        }

        private boolean record(String key, Duration window) {
            if (full) {
                throw new ProofRecordFullException("OOM");
            }
            if (down) {
                throw new RevocationUnavailableException("Redis does not answer");
            }
            String id = ProofRecordId.currentOrFresh();
            windows.putIfAbsent(key, window);
            return ids.computeIfAbsent(key, k -> id).equals(id);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static boolean inRequest(ProofRecordId request, java.util.function.BooleanSupplier check) {
        RequestDeadline.Scope scope = request.open();
        try {
            return check.getAsBoolean();
        } finally {
            scope.close();
        }
    }

    @Test
    void whenTheSharedRecordAnswersThenItsAnswerIsTheRecords() {
        try (OutageProofRecord record = new OutageProofRecord(shared, clock)) {
            assertTrue(record.firstUse("alice", "jkt", "p1", WINDOW));
            assertFalse(record.firstUse("alice", "jkt", "p1", WINDOW));
            assertEquals(0, record.heldCount());
        }
    }

    @Test
    void whenAProofPassedUnrecordedThenItsReplayIsRefusedDuringTheOutageAndWhileHeld() {
        try (OutageProofRecord record = new OutageProofRecord(shared, clock)) {
            shared.down = true;
            assertThrows(RevocationUnavailableException.class, () -> record.firstUse("alice", "jkt", "p1", WINDOW));
            assertFalse(record.firstUse("alice", "jkt", "p1", WINDOW), "replayed during the outage");
            assertEquals(1, record.heldCount());

            shared.down = false; // back, before the held proofs are written there
            assertFalse(record.firstUse("alice", "jkt", "p1", WINDOW), "replayed after, still held here");
            assertTrue(record.firstUse("alice", "jkt", "p2", WINDOW), "another proof");
        }
    }

    /**
     * A token request's proof is the application's to answer when its record fails (the sample answers 503): held, a
     * retry of the same request got 400 invalid_dpop_proof instead (the review of the first version).
     */
    @Test
    void whenATokenRequestsProofCannotBeRecordedThenItIsNotHeld() {
        try (OutageProofRecord record = new OutageProofRecord(shared, clock)) {
            shared.down = true;
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThrows(RevocationUnavailableException.class, () -> record.firstTokenRequestUse("jkt", "t1", WINDOW));
            }
            assertEquals(0, record.heldCount());
        }
    }

    @Test
    void whenTheSameRequestIsCheckedAgainThenItIsNotItsOwnReplay() {
        ProofRecordId request = ProofRecordId.fresh();
        try (OutageProofRecord record = new OutageProofRecord(shared, clock)) {
            shared.down = true;
            // A second JwtGate on the same request (another filter, the module) passes it unrecorded again.
            for (int check = 0; check < 2; check++) {
                assertThrows(RevocationUnavailableException.class,
                        () -> inRequest(request, () -> record.firstUse("alice", "jkt", "p1", WINDOW)));
            }
            assertFalse(inRequest(ProofRecordId.fresh(), () -> record.firstUse("alice", "jkt", "p1", WINDOW)));
        }
    }

    @Test
    void whenTheSharedRecordAnswersAgainThenTheHeldProofsAreWrittenUnderTheirRequestsIdWithWhatIsLeftOfTheWindow()
            throws Exception {
        ProofRecordId request = ProofRecordId.fresh();
        try (OutageProofRecord record = new OutageProofRecord(shared, clock)) {
            shared.down = true;
            assertThrows(RevocationUnavailableException.class,
                    () -> inRequest(request, () -> record.firstUse("alice", "jkt", "p1", WINDOW)));
            clock.advance(Duration.ofSeconds(21));
            shared.down = false;
            awaitHeld(record, 0);

            assertEquals(Duration.ofSeconds(100), shared.windows.get("alice/jkt/p1"));
            assertTrue(inRequest(request, () -> shared.firstUse("alice", "jkt", "p1", WINDOW)), "the request's own");
            assertFalse(record.firstUse("alice", "jkt", "p1", WINDOW), "a replay, refused by the shared record");
        }
    }

    @Test
    void whenAHeldProofsWindowPassedThenItIsNeitherRefusedNorWritten() throws Exception {
        try (OutageProofRecord record = new OutageProofRecord(shared, clock)) {
            shared.down = true;
            assertThrows(RevocationUnavailableException.class, () -> record.firstUse("alice", "jkt", "p1", WINDOW));
            clock.advance(WINDOW);
            assertThrows(RevocationUnavailableException.class, () -> record.firstUse("alice", "jkt", "p1", WINDOW),
                    "its iat is too old by now: the verifier refuses it before; the record does not");
            clock.advance(WINDOW);
            shared.down = false;
            awaitHeld(record, 0);
            assertFalse(shared.ids.containsKey("alice/jkt/p1"));
        }
    }

    @Test
    void whenFullThenANewProofIs503NotAPassAndExpiredOnesMakeRoom() {
        try (OutageProofRecord record = new OutageProofRecord(shared, clock, 2)) {
            shared.down = true;
            assertThrows(RevocationUnavailableException.class, () -> record.firstUse("alice", "jkt", "p1", WINDOW));
            assertThrows(RevocationUnavailableException.class, () -> record.firstUse("alice", "jkt", "p2", WINDOW));
            ProofRecordFullException full =
                    assertThrows(ProofRecordFullException.class, () -> record.firstUse("alice", "jkt", "p3", WINDOW));
            assertEquals(OutageProofRecord.FULL, full.record(), "what health names");
            assertFalse(record.firstUse("alice", "jkt", "p1", WINDOW), "a held one's replay is still refused");

            clock.advance(WINDOW);
            RevocationUnavailableException passed =
                    assertThrows(RevocationUnavailableException.class, () -> record.firstUse("alice", "jkt", "p3", WINDOW));
            assertFalse(passed instanceof ProofRecordFullException, passed.toString());
        }
    }

    @Test
    void whenTheSharedRecordIsFullThenNothingIsHeld() {
        try (OutageProofRecord record = new OutageProofRecord(shared, clock)) {
            shared.full = true;
            assertThrows(ProofRecordFullException.class, () -> record.firstUse("alice", "jkt", "p1", WINDOW));
            assertEquals(0, record.heldCount());
        }
    }

    @Test
    void whenClosedThenTheSharedRecordIsClosedAndNothingIsHeld() {
        OutageProofRecord record = new OutageProofRecord(shared, clock);
        shared.down = true;
        assertThrows(RevocationUnavailableException.class, () -> record.firstUse("alice", "jkt", "p1", WINDOW));
        String log = CapturedLog.during(record::close).text();
        assertTrue(shared.closed);
        assertEquals(0, record.heldCount());
        assertTrue(log.contains("WARN") && log.contains("1 DPoP proof(s) that passed unrecorded during the outage could"
                + " not be written to the shared record before this stop"), log);
    }

    /**
     * Redis partly back (a master still failing over, hung, or full): the proofs of the users whose master answers are
     * written all the same. The first version stopped each round at its first failure, so one proof of the master
     * still away held back every other (the review's find).
     */
    @Test
    void whenOneMasterStillFailsThenTheProofsOfTheMastersThatAnswerAreWrittenAnyway() throws Exception {
        try (OutageProofRecord record = new OutageProofRecord(shared, clock)) {
            shared.down = true;
            for (int i = 0; i < 20; i++) {
                int n = i;
                assertThrows(RevocationUnavailableException.class, () -> record.firstUse("alice", "jkt", "a" + n, WINDOW));
                assertThrows(RevocationUnavailableException.class, () -> record.firstUse("bob", "jkt", "b" + n, WINDOW));
            }
            shared.downSubjects = Set.of("bob"); // alice's master answers again, bob's does not yet
            shared.down = false;
            awaitHeld(record, 20);
            assertEquals(20, shared.ids.keySet().stream().filter(key -> key.startsWith("alice/")).count());
            shared.downSubjects = Set.of();
            awaitHeld(record, 0);
        }
    }

    /** Stopped once Redis answers, before the writer's next try: the held proofs are written, not dropped (the review). */
    @Test
    void whenClosedAfterRedisAnswersAgainThenTheHeldProofsAreWritten() {
        OutageProofRecord record = new OutageProofRecord(shared, clock);
        shared.down = true;
        assertThrows(RevocationUnavailableException.class, () -> record.firstUse("alice", "jkt", "p1", WINDOW));
        shared.down = false;
        record.close();
        assertTrue(shared.ids.containsKey("alice/jkt/p1"), shared.ids.toString());
    }

    /**
     * close() leaves no writer thread running: its context class loader is JwtGate's, the WAR's in WEB-INF/lib (Tomcat:
     * "failed to stop it"). The first version waited for the executor's termination only, which comes just before its
     * thread ends (1-2 of 200 alive, in the review).
     */
    @Test
    void whenClosedThenNoWriterThreadIsLeftRunning() throws Exception {
        for (int round = 0; round < 100; round++) {
            SharedRecord down = new SharedRecord();
            down.down = true;
            OutageProofRecord record = new OutageProofRecord(down, clock);
            assertThrows(RevocationUnavailableException.class, () -> record.firstUse("alice", "jkt", "p1", WINDOW));
            record.close();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                assertFalse(thread.getName().equals("jwtgate-dpop-outage-record") && thread.isAlive(),
                        "a writer thread alive after close(), round " + round);
            }
        }
    }

    /** The same proof sent by 32 requests at once during the outage passes once; the others are replays. */
    @Test
    void whenOneProofArrivesManyTimesAtOnceDuringTheOutageThenOnePasses() throws Exception {
        shared.down = true;
        try (OutageProofRecord record = new OutageProofRecord(shared, clock)) {
            AtomicInteger passed = new AtomicInteger();
            AtomicInteger replays = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                Thread thread = new Thread(() -> {
                    RequestDeadline.Scope scope = ProofRecordId.fresh().open();
                    try {
                        go.await();
                        if (!record.firstUse("alice", "jkt", "p1", WINDOW)) {
                            replays.incrementAndGet();
                        }
                    } catch (RevocationUnavailableException e) {
                        passed.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        scope.close();
                    }
                });
                thread.start();
                threads.add(thread);
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(1, passed.get());
            assertEquals(31, replays.get());
        }
    }

    private static void awaitHeld(OutageProofRecord record, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (record.heldCount() != count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(count, record.heldCount());
    }
}
