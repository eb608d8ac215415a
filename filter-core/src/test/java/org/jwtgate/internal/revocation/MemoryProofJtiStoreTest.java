package org.jwtgate.internal.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testing.ManualClock;

class MemoryProofJtiStoreTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** Closed, the emptied record took every proof for a first use: a replay too. */
    @Test
    void whenClosedThenAProofIsNotRecordedButUnavailable() {
        MemoryProofJtiStore store = new MemoryProofJtiStore(clock);
        assertTrue(store.firstUse("alice", "jkt", "p1", Duration.ofMinutes(1)));

        store.close();

        assertThrows(RevocationUnavailableException.class, () -> store.firstUse("alice", "jkt", "p1", Duration.ofMinutes(1)));
        assertThrows(RevocationUnavailableException.class,
                () -> store.firstTokenRequestUse("jkt", "p2", Duration.ofMinutes(1)));
    }

    @Test
    void whenProofUsedTwiceWithinItsWindowThenTheSecondUseIsRefused() {
        MemoryProofJtiStore store = new MemoryProofJtiStore(clock);
        assertTrue(store.firstUse("alice", "jkt", "jti-1", Duration.ofSeconds(60)));
        assertFalse(store.firstUse("alice", "jkt", "jti-1", Duration.ofSeconds(60)));
    }

    /**
     * The same request asking again (its public page's record, then its dispatch into a protected path) is the same
     * first use, as with the Redis record; another request with that proof is its replay.
     */
    @Test
    void whenTheSameRequestAsksAgainThenItIsTheSameFirstUse() {
        MemoryProofJtiStore store = new MemoryProofJtiStore(clock);
        RequestDeadline.Scope first = ProofRecordId.fresh().open();
        try {
            assertTrue(store.firstUse("alice", "jkt", "jti-1", Duration.ofSeconds(60)));
            assertTrue(store.firstUse("alice", "jkt", "jti-1", Duration.ofSeconds(60)));
        } finally {
            first.close();
        }
        RequestDeadline.Scope replay = ProofRecordId.fresh().open();
        try {
            assertFalse(store.firstUse("alice", "jkt", "jti-1", Duration.ofSeconds(60)));
        } finally {
            replay.close();
        }
    }

    @Test
    void whenAnotherUserKeyOrJtiThenItIsAnotherRecord() {
        MemoryProofJtiStore store = new MemoryProofJtiStore(clock);
        assertTrue(store.firstUse("alice", "jkt", "jti-1", Duration.ofSeconds(60)));
        assertTrue(store.firstUse("bob", "jkt", "jti-1", Duration.ofSeconds(60)));
        assertTrue(store.firstUse("alice", "jkt-2", "jti-1", Duration.ofSeconds(60)));
        assertTrue(store.firstUse("alice", "jkt", "jti-2", Duration.ofSeconds(60)));
    }

    @Test
    void whenTheWindowHasPassedThenTheRecordIsGone() {
        MemoryProofJtiStore store = new MemoryProofJtiStore(clock);
        assertTrue(store.firstUse("alice", "jkt", "jti-1", Duration.ofSeconds(60)));
        clock.advance(Duration.ofSeconds(60));
        assertTrue(store.firstUse("alice", "jkt", "jti-1", Duration.ofSeconds(60)));
    }

    @Test
    void whenManyRecordsExpiredThenTheyAreSwept() {
        MemoryProofJtiStore store = new MemoryProofJtiStore(clock);
        for (int i = 0; i < 1000; i++) {
            store.firstUse("alice", "jkt", "old-" + i, Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofSeconds(2));
        for (int i = 0; i < 100; i++) {
            store.firstUse("alice", "jkt", "new-" + i, Duration.ofSeconds(60));
        }
        assertTrue(store.size() <= 100, "size " + store.size());
    }

    /**
     * The jti is the sender's: 256 characters of '%' (each encoded as three) and one outside Latin-1 made a key of 819
     * characters, which the memory store's bound and Redis's memory counted as nine records of a UUID's.
     */
    @Test
    void whenTheJtiIsLongOrEncodedThenTheRecordsKeyIsAsLongAsAUuidsAndStillItsOwn() {
        RevocationKeys keys = new RevocationKeys("jwtgate:");
        String uuid = "6f1e0c52-3a5b-4c1d-9e8f-0a1b2c3d4e5f";
        String hostile = "000001" + "%".repeat(249) + "\u4e00";
        assertEquals(keys.tokenRequestProofKey("jkt", uuid).length(), keys.tokenRequestProofKey("jkt", hostile).length());
        assertEquals(keys.proofKey("alice", "jkt", uuid).length(), keys.proofKey("alice", "jkt", hostile).length());
        assertEquals(43, RevocationKeys.proofIdDigest(hostile).length());
        assertFalse(keys.proofKey("alice", "jkt", hostile).equals(keys.proofKey("alice", "jkt", "000002" + hostile.substring(6))));
        // Two lone surrogates are two jtis: the digest is of the key encoding, which keeps them apart (UTF-8 made both '?').
        assertFalse(RevocationKeys.proofIdDigest("p\ud800").equals(RevocationKeys.proofIdDigest("p\ud801")));
    }

    @Test
    void whenKeyComponentsHoldSeparatorsThenTheyCannotForgeAnotherRecord() {
        RevocationKeys keys = new RevocationKeys("p:");
        String jti = RevocationKeys.proofIdDigest("jti");
        assertEquals("p:dpop:{alice}:jkt:" + jti, keys.proofKey("alice", "jkt", "jti"));
        assertFalse(keys.proofKey("alice", "a:b", "c").equals(keys.proofKey("alice", "a", "b:c")));
        assertEquals("p:dpop:{a%7d%7bb}:k:" + RevocationKeys.proofIdDigest("j"), keys.proofKey("a}{b", "k", "j"));
        assertEquals("p:dpop:token:{jkt}:" + jti, keys.tokenRequestProofKey("jkt", "jti"));
        assertFalse(keys.tokenRequestProofKey("a}:b", "c").equals(keys.tokenRequestProofKey("a", "b:c")));
        assertFalse(keys.tokenRequestProofKey("jkt", "jti").equals(keys.proofKey("token", "jkt", "jti")),
                "no user's record is a token request's record");
    }

    @Test
    void whenATokenRequestProofIsRecordedThenItIsUsedOnceWhateverTheUser() {
        MemoryProofJtiStore store = new MemoryProofJtiStore(new ManualClock(java.time.Instant.parse("2026-12-02T10:00:00Z")));
        assertTrue(store.firstTokenRequestUse("jkt", "jti-1", Duration.ofSeconds(60)));
        assertFalse(store.firstTokenRequestUse("jkt", "jti-1", Duration.ofSeconds(60)));
        assertTrue(store.firstTokenRequestUse("jkt-2", "jti-1", Duration.ofSeconds(60)), "another key's proof");
        assertTrue(store.firstUse("alice", "jkt", "jti-1", Duration.ofSeconds(60)), "a separate record space");
    }

    /**
     * Anyone holding a key mints proofs at will (at a token endpoint even without an account): one RS256 proof with
     * a 256-character jti is checked in ~0.2 ms and leaves ~480 bytes here for two minutes, so an unbounded record
     * grew by hundreds of megabytes per core under a flood, and the JVM ran out of memory.
     */
    @Test
    void whenProofsFloodFasterThanTheyExpireThenTheRecordStopsGrowingAndRefusesAsUnavailable() {
        MemoryProofJtiStore store = new MemoryProofJtiStore(clock);
        ProofRecordFullException full = assertThrows(ProofRecordFullException.class, () -> {
            for (int i = 0; i < 300_000; i++) {
                store.firstTokenRequestUse("jkt", "flood-" + i, Duration.ofSeconds(121));
            }
        });
        assertTrue(store.size() <= MemoryProofJtiStore.DEFAULT_CAPACITY, "size " + store.size());
        assertTrue(full.getMessage().contains("full"), full.getMessage());
    }

    @Test
    void whenFullOfExpiredRecordsThenTheyAreSweptAndANewProofIsRecorded() {
        MemoryProofJtiStore store = new MemoryProofJtiStore(clock, 10);
        for (int i = 0; i < 10; i++) {
            assertTrue(store.firstUse("alice", "jkt", "old-" + i, Duration.ofSeconds(1)));
        }
        assertThrows(RevocationUnavailableException.class,
                () -> store.firstUse("alice", "jkt", "new-0", Duration.ofSeconds(60)));
        assertFalse(store.firstUse("alice", "jkt", "old-0", Duration.ofSeconds(1)), "a replay is still a replay when full");
        clock.advance(Duration.ofSeconds(2));
        assertTrue(store.firstUse("alice", "jkt", "new-0", Duration.ofSeconds(60)));
        assertEquals(1, store.size());
    }
}
