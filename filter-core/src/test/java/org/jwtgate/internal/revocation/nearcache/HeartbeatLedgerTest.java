package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeartbeatLedgerTest {

    @Test
    void whenAnswersArriveThenEachBelongsToTheOldestWaitingHeartbeat() {
        HeartbeatLedger ledger = new HeartbeatLedger();
        ledger.sending(100);
        ledger.sending(200);
        ledger.sending(300);
        assertEquals(100, ledger.answered());
        assertEquals(200, ledger.answered());
        assertEquals(1, ledger.outstanding());
    }

    @Test
    void whenAnAnswerArrivesThatNoHeartbeatAskedForThenItIsRefused() {
        HeartbeatLedger ledger = new HeartbeatLedger();
        assertThrows(IllegalStateException.class, ledger::answered);
    }

    @Test
    void whenASendFailsThenItsRecordIsForgotten() {
        HeartbeatLedger ledger = new HeartbeatLedger();
        ledger.sending(100);
        ledger.sending(200);
        ledger.notSent();
        assertEquals(100, ledger.answered());
        assertEquals(0, ledger.outstanding());
    }

    @Test
    void whenTheNodeStopsAnsweringThenSendingStopsAtTheBound() {
        HeartbeatLedger ledger = new HeartbeatLedger();
        for (int i = 0; i < HeartbeatLedger.MAX_OUTSTANDING; i++) {
            assertTrue(ledger.sending(i));
        }
        assertFalse(ledger.sending(-1));
    }
}
