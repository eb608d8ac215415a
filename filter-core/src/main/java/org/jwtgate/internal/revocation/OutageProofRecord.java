package org.jwtgate.internal.revocation;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.thread.DaemonThreads;
import org.jwtgate.revocation.RevocationUnavailableException;

/**
 * With {@code revocation.failure-mode=open}, the proofs that passed unrecorded while the shared record (Redis) could not
 * answer: kept here so a replay to this instance is refused during the outage and after it, and written to the shared
 * record once it answers again (tried every second), so every other instance refuses them too from then on. Proofs
 * replayed to another instance during the outage itself still pass there: that is what failing open means. A token
 * request's proof is not held: the application, not JwtGate, decides how such a request is answered when its record
 * fails.
 *
 * <p>At most {@link MemoryProofJtiStore#DEFAULT_CAPACITY} proofs are held (about 300-700 bytes each): beyond that (a
 * flood during an outage) a proof is refused as the full in-memory record refuses it ({@link ProofRecordFullException}:
 * 503), since passing it unheld would let anyone's proofs be replayed. Each is dropped when written, or when its window
 * has passed; on {@link #close()} after one last try to write them, with a WARN naming how many were left unwritten.
 */
public final class OutageProofRecord implements ProofJtiStore {

    private static final Log LOG = Log.of(OutageProofRecord.class);
    private static final long RETRY_MILLIS = 1000;
    /**
     * How long a round of writes may go on past a failed write (each may take a Redis timeout): the next round, a
     * second later, goes on in another order.
     */
    private static final long ROUND_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** How long close() waits for a write under way (a Redis call at its timeout and retries). */
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    /** How long close()'s last round may go on past a failed write: a stop waits little for a Redis still away. */
    private static final long CLOSE_ROUND_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final String FULL = "this instance's record of the proofs that passed during the outage holds as many as it can";

    /** A proof that passed unrecorded: what its shared record must hold, and until when. */
    private record Held(String subject, String keyThumbprint, String proofId, String recordId, long expiry) {
    }

    private final ProofJtiStore shared;
    private final Clock clock;
    private final int capacity;
    private final RevocationKeys keys = new RevocationKeys("");
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    /**
     * The proofs whose shared record is being asked, by the asking request's record id: another request with the same
     * proof meanwhile is its replay. Without it, a replay asking once Redis answers again was recorded and accepted
     * while the first use's call, still waiting out its timeout, then failed and passed it unrecorded too.
     */
    private final Map<String, String> asking = new ConcurrentHashMap<>();
    /** When a full record was last swept: at most once a second, so a flood is not a scan per request. */
    private final AtomicLong fullSweptAt = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicBoolean writeScheduled = new AtomicBoolean();
    private final List<Thread> writerThreads = new CopyOnWriteArrayList<>();
    private final ScheduledThreadPoolExecutor writer;

    public OutageProofRecord(ProofJtiStore shared, Clock clock) {
        this(shared, clock, MemoryProofJtiStore.DEFAULT_CAPACITY);
    }

    /** @param capacity how many unrecorded proofs may be held at once */
    public OutageProofRecord(ProofJtiStore shared, Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.shared = shared;
        this.clock = clock;
        this.capacity = capacity;
        this.writer = new ScheduledThreadPoolExecutor(1,
                DaemonThreads.named("jwtgate-dpop-outage-record", writerThreads));
        // No thread at all until an outage lets a proof pass, and none left idle after its proofs are written.
        writer.setKeepAliveTime(10, TimeUnit.SECONDS);
        writer.allowCoreThreadTimeOut(true);
        writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public boolean firstUse(String subject, String keyThumbprint, String proofId, Duration window) {
        String key = keys.proofKey(subject, keyThumbprint, proofId);
        String recordId = ProofRecordId.currentOrFresh();
        String asker = asking.putIfAbsent(key, recordId);
        if (asker != null && !asker.equals(recordId)) {
            return false; // another request is asking the shared record for this proof: one of the two is a replay
        }
        try {
            // Looked at once this request asks: a request that asked before holds the proof by the time it stops asking.
            if (isAnotherRequests(held.get(key), recordId, clock.millis())) {
                return false; // passed here unrecorded, and not written to the shared record yet
            }
            return shared.firstUse(subject, keyThumbprint, proofId, window);
        } catch (ProofRecordFullException e) {
            throw e;
        } catch (RevocationUnavailableException e) {
            long now = clock.millis();
            Held mine = new Held(subject, keyThumbprint, proofId, recordId, now + Math.max(1, window.toMillis()));
            refuseIfFull(key, now);
            Held kept = held.compute(key, (k, before) -> isAnotherRequests(before, recordId, now) ? before : mine);
            if (kept != mine) {
                return false; // another request passed it unrecorded meanwhile: this one is the replay
            }
            scheduleWrite();
            throw e; // the caller passes it unrecorded (audited)
        } finally {
            if (asker == null) {
                asking.remove(key, recordId);
            }
        }
    }

    @Override
    public boolean firstTokenRequestUse(String keyThumbprint, String proofId, Duration window) {
        return shared.firstTokenRequestUse(keyThumbprint, proofId, window);
    }

    private static boolean isAnotherRequests(Held proof, String recordId, long now) {
        return proof != null && proof.expiry() > now && !proof.recordId().equals(recordId);
    }

    private void refuseIfFull(String key, long now) {
        if (held.size() < capacity || held.containsKey(key)) {
            return;
        }
        long swept = fullSweptAt.get();
        if (now - swept >= 1000 && fullSweptAt.compareAndSet(swept, now)) {
            held.values().removeIf(proof -> proof.expiry() <= now);
        }
        if (held.size() >= capacity) {
            throw new ProofRecordFullException("the record of DPoP proofs passed unrecorded during the outage is full ("
                    + capacity + " proofs)", FULL);
        }
    }

    private void scheduleWrite() {
        if (writeScheduled.compareAndSet(false, true)) {
            try {
                writer.schedule(this::writeRound, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RuntimeException closed) { // RejectedExecutionException: closed meanwhile
                writeScheduled.set(false);
            }
        }
    }

    private void writeRound() {
        writeHeld(ROUND_NANOS);
        writeScheduled.set(false);
        if (!held.isEmpty()) {
            scheduleWrite();
        }
    }

    /**
     * Writes the held proofs to the shared record, in a random order: a master still away fails its users' writes (one
     * try per user and round: a user's proofs share a master), and the others' go on, in this round or, once it has
     * run {@code budgetNanos} with a failure among them, in the next.
     */
    private void writeHeld(long budgetNanos) {
        List<Map.Entry<String, Held>> proofs = new ArrayList<>(held.entrySet());
        Collections.shuffle(proofs);
        Set<String> failedSubjects = new HashSet<>();
        long started = System.nanoTime();
        int written = 0;
        for (Map.Entry<String, Held> entry : proofs) {
            Held proof = entry.getValue();
            long left = proof.expiry() - clock.millis();
            if (left > 0) {
                if (failedSubjects.contains(proof.subject())) {
                    continue;
                }
                if (!failedSubjects.isEmpty() && System.nanoTime() - started > budgetNanos) {
                    break;
                }
                try {
                    writeShared(proof, Duration.ofMillis(left));
                } catch (RuntimeException e) { // that user's master still does not answer
                    failedSubjects.add(proof.subject());
                    continue;
                }
                written++;
            }
            held.remove(entry.getKey(), proof);
        }
        if (written > 0) {
            LOG.info("Wrote {} DPoP proof(s) that passed unrecorded during the outage to the shared record", written);
        }
    }

    private void writeShared(Held proof, Duration left) {
        // Under the id of the request that passed it: the record is that request's, as if written at the time.
        RequestDeadline.Scope scope = ProofRecordId.of(proof.recordId()).open();
        try {
            shared.firstUse(proof.subject(), proof.keyThumbprint(), proof.proofId(), left);
        } finally {
            scope.close();
        }
    }

    /** Proofs held, not yet written to the shared record (expired ones included until swept): for tests. */
    public int heldCount() {
        return held.size();
    }

    @Override
    public String probeRefusal() {
        return shared.probeRefusal();
    }

    /**
     * Stops the writer (its thread ended when this returns, unless a Redis call outlasts {@value #CLOSE_WAIT_MILLIS}
     * ms), tries once more to write what is held, and says how many proofs it could not: those may be replayed on
     * every instance until their {@code iat} is too old.
     */
    @Override
    public void close() {
        writer.shutdownNow();
        try {
            writer.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            for (Thread thread : writerThreads) {
                thread.join(CLOSE_WAIT_MILLIS); // an executor terminates just before its thread has ended
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!held.isEmpty()) {
            writeHeld(CLOSE_ROUND_NANOS);
            held.values().removeIf(proof -> proof.expiry() <= clock.millis());
            if (!held.isEmpty()) {
                LOG.warn("{} DPoP proof(s) that passed unrecorded during the outage could not be written to the shared"
                        + " record before this stop: each may be replayed on any instance until its iat is too old",
                        held.size());
            }
            held.clear();
        }
        shared.close();
    }
}
