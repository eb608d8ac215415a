package org.jwtgate.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.testkit.tokens.TestTokens;

/** Review of 7cb0ae49's AuditSource: escaping of the new fields, sharing with by(), and no strong hold (passes). */
class ReviewAuditSourceTest {

    @Test
    void whenAFilterNameOrContextPathHoldsQuotesSpacesEqualsLineBreaksOrBidiThenTheyStayInsideTheirQuotedValue() {
        AuditSource source = AuditSource.of(new Object());
        source.identify("x\" instance=forged\nAUDIT revocation sub=mallory", "/c tx=\u202e\u2028é");
        String line = AuditLog.line(source, "revocation", "sub", "alice");
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("AUDIT revocation sub=alice filter=\"x\\\" instance=forged\\u000aAUDIT revocation"
                + " sub=mallory\" context=\"/c tx=\\u202e\\u2028é\" instance="), line);
    }

    @Test
    void whenTheServiceIsNamedThenItsByServicesLinesNameItAndTheMapDoesNotHoldTheServiceOnceItsGateIsGone()
            throws InterruptedException {
        WeakReference<RevocationService> service;
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(TestTokens.settings()))) {
            AuditSource.of(gate.revocation()).identify("jwtgate", "/shop");
            service = new WeakReference<>(gate.revocation());
        }
        for (int i = 0; i < 50 && service.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(service.get(), "the static map keeps a revocation service (and its store) after its gate closed");
    }
}
