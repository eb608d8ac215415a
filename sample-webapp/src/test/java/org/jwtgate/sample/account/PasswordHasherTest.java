package org.jwtgate.sample.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jwtgate.sample.settings.SampleSettings;

class PasswordHasherTest {

    private static PasswordHasher hasher;
    private static String record;

    @BeforeAll
    static void hashOnce() {
        hasher = new PasswordHasher(SampleSettings.MIN_PBKDF2_ITERATIONS);
        record = hasher.hash("wonderland".toCharArray());
    }

    @Test
    void whenHashedThenRecordNamesSchemeIterationsSaltAndHash() {
        String[] parts = record.split("\\$");
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("600000", parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
        assertFalse(record.contains("wonderland"));
    }

    @Test
    void whenSamePasswordHashedTwiceThenSaltsDiffer() {
        assertNotEquals(record, hasher.hash("wonderland".toCharArray()));
    }

    @Test
    void whenPasswordRightThenMatchesAndWhenWrongThenNot() {
        assertTrue(hasher.matches("wonderland".toCharArray(), record));
        assertFalse(hasher.matches("Wonderland".toCharArray(), record));
        assertFalse(hasher.matches("".toCharArray(), record));
    }

    @Test
    void whenTheRecordHasFewerIterationsThanTheHasherThenItIsCheckedAtItsOwnCount() {
        PasswordHasher raised = new PasswordHasher(2 * SampleSettings.MIN_PBKDF2_ITERATIONS);
        assertTrue(raised.matches("wonderland".toCharArray(), record));
        assertFalse(raised.matches("Wonderland".toCharArray(), record));
    }

    @Test
    void whenRecordMalformedOrAbsurdThenNoMatchAndNoException() {
        assertFalse(hasher.matches("x".toCharArray(), null));
        assertFalse(hasher.matches("x".toCharArray(), "plain-text-password"));
        assertFalse(hasher.matches("x".toCharArray(), "pbkdf2-sha256$abc$AAAA$AAAA"));
        String[] parts = record.split("\\$");
        assertFalse(hasher.matches("wonderland".toCharArray(),
                "pbkdf2-sha256$2000000000$" + parts[2] + "$" + parts[3]), "an absurd iteration count is refused unrun");
    }
}
