package org.jwtgate.internal.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testing.ManualClock;

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
        volatile boolean full;
        volatile boolean closed;

        @Override
        public boolean firstUse(String subject, String keyThumbprint, String proofId, Duration window) {
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
            assertThrows(RevocationUnavailableException.class, () -> record.firstTokenRequestUse("jkt", "t1", WINDOW));
            assertFalse(record.firstTokenRequestUse("jkt", "t1", WINDOW), "a token request's, replayed");
            assertEquals(2, record.heldCount());

            shared.down = false; // back, before the held proofs are written there
            assertFalse(record.firstUse("alice", "jkt", "p1", WINDOW), "replayed after, still held here");
            assertTrue(record.firstUse("alice", "jkt", "p2", WINDOW), "another proof");
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
            assertThrows(ProofRecordFullException.class, () -> record.firstUse("alice", "jkt", "p3", WINDOW));
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
        record.close();
        assertTrue(shared.closed);
        assertEquals(0, record.heldCount());
    }

    private static void awaitHeld(OutageProofRecord record, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (record.heldCount() != count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(count, record.heldCount());
    }
}
