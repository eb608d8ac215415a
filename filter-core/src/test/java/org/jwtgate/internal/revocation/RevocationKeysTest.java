package org.jwtgate.internal.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.jwtgate.revocation.TokenRef;

class RevocationKeysTest {

    private final RevocationKeys keys = new RevocationKeys("jwtgate:");

    private static TokenRef token(String subject, String jti) {
        Instant iat = Instant.parse("2026-12-01T10:00:00Z");
        return new TokenRef("https://login.example", subject, jti, iat, iat.plusSeconds(600));
    }

    @Test
    void whenIssuerNeedsEscapingThenTokenKeyEncodesItEveryTime() {
        assertEquals("jwtgate:{alice}:jti:https%3a//login.example:j1", keys.tokenKey(token("alice", "j1")));
        assertEquals("jwtgate:{bob}:jti:https%3a//login.example:j2", keys.tokenKey(token("bob", "j2")));
        TokenRef other = new TokenRef("urn:other", "bob", "j2", null, Instant.EPOCH);
        assertEquals("jwtgate:{bob}:jti:urn%3aother:j2", keys.tokenKey(other));
        assertEquals("jwtgate:{bob}:jti:https%3a//login.example:j2", keys.tokenKey(token("bob", "j2")));
    }

    @Test
    void whenTokenCheckedAgainThenTheSameKeysAreReturnedAndTheyMatchTheSchema() {
        RevocationKeys.CheckKeys first = keys.checkKeys(token("alice", "j1"));
        assertEquals(keys.userKey("alice"), first.user());
        assertEquals(keys.tokenKey(token("alice", "j1")), first.token());
        assertSame(first, keys.checkKeys(token("alice", "j1")), "an equal TokenRef finds the remembered keys");
        assertEquals("jwtgate:{carol%7b}:user", keys.checkKeys(token("carol{", "j3")).user());
    }

    @Test
    void whenMoreTokensThanTwoGenerationsThenTheOldestAreForgottenAndRebuiltEqual() {
        RevocationKeys.CheckKeys first = keys.checkKeys(token("user-0", "j0"));
        for (int i = 1; i <= 2 * RevocationKeys.CHECK_KEYS_GENERATION; i++) {
            keys.checkKeys(token("user-" + i, "j" + i));
        }
        RevocationKeys.CheckKeys again = keys.checkKeys(token("user-0", "j0"));
        assertNotSame(first, again, "the bound dropped it");
        assertEquals(first, again);
    }
}
