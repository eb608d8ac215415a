package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HeartbeatLedgerTest {

    @Test
    void whenOwnHeartbeatReturnsThenItsSendTimeIsKnown() {
        HeartbeatLedger ledger = new HeartbeatLedger();
        String first = ledger.record(3, 1_000);
        String second = ledger.record(3, 2_000);
        assertEquals(2_000L, ledger.sentAt(second, 3));
        assertEquals(1_000L, ledger.sentAt(first, 3));
    }

    @Test
    void whenHeartbeatOfAnotherSubscriptionOrForgedThenNotBelieved() {
        HeartbeatLedger ledger = new HeartbeatLedger();
        String sent = ledger.record(3, 1_000);
        assertNull(ledger.sentAt(sent, 4), "sent on an earlier subscription");
        String[] parts = sent.split(":");
        assertNull(ledger.sentAt(parts[0] + ":" + parts[1] + ":" + Long.toHexString(Long.parseUnsignedLong(parts[2], 16) + 1), 3),
                "right sequence, wrong nonce");
        assertNull(ledger.sentAt("3:2:0", 3), "not sent yet");
        assertNull(ledger.sentAt("garbage", 3));
        assertNull(ledger.sentAt("3:x:y", 3));
    }

    @Test
    void whenHeartbeatIsLongOverwrittenThenForgotten() {
        HeartbeatLedger ledger = new HeartbeatLedger();
        String old = ledger.record(1, 1_000);
        for (int i = 0; i < 64; i++) {
            ledger.record(1, 2_000 + i);
        }
        assertNull(ledger.sentAt(old, 1));
    }
}
