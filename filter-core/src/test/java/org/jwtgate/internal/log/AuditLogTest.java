package org.jwtgate.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuditLogTest {

    @Test
    void whenValuesHoldQuotesOrNewlinesThenTheyCannotForgeAFieldOrALine() {
        String line = AuditLog.line("revocation", "sub", "alice\" actor=\"root", "reason", "first\nAUDIT forged");
        assertTrue(line.startsWith("AUDIT revocation sub=\"alice\\\" actor=\\\"root\" reason=\"first\\u000aAUDIT forged\""), line);
        assertFalse(line.contains("\n"), line);
    }

    @Test
    void whenAValueIsNullThenItsFieldIsLeftOut() {
        String line = AuditLog.line("revocation", "sub", "alice", "actor", null);
        assertTrue(line.startsWith("AUDIT revocation sub=alice instance="), line);
    }

    @Test
    void whenAValueHoldsOnlyIdOrUrlCharactersThenItIsShownAsItIs() {
        assertEquals("https://issuer.example/realm", AuditLog.shown("https://issuer.example/realm"));
        assertEquals("\"two words\"", AuditLog.shown("two words"));
        assertEquals("\"a=b\"", AuditLog.shown("a=b"));
    }

    @Test
    void whenQuotedThenBackslashesAreEscaped() {
        assertEquals("\"a\\\\b\"", AuditLog.quoted("a\\b"));
    }

    @Test
    void whenAValueHoldsBidiControlsThenTheyAreEscaped() {
        // U+202E (right-to-left override) would make a viewer show "sub=eilA" for what follows, or hide text.
        assertEquals("\"alice\\u202e \\u2066x\\u2069\"", AuditLog.quoted("alice\u202e \u2066x\u2069"));
    }

    @Test
    void whenAValueIsLongerThanTheCapThenItIsCut() {
        String reason = "r".repeat(AuditLog.MAX_VALUE_LENGTH + 10);
        assertEquals("\"" + "r".repeat(AuditLog.MAX_VALUE_LENGTH) + "…(10 more characters)\"", AuditLog.shown(reason));
    }
}
