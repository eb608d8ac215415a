package org.jwtgate.internal.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
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

    /**
     * Redis stores UTF-8, so a lone UTF-16 surrogate (a claim holding a JSON "\\ud800" escape) would reach it
     * as '?': the key scanned or announced back would not be the key built for the check, and "eve\\ud800"
     * would share keys with "eve?". Every key must read back from UTF-8 as itself.
     */
    @Test
    void whenAComponentHoldsALoneSurrogateThenTheKeyIsValidUnicodeAndDistinct() {
        String[] subjects = {"eve\ud800", "eve\udfff", "\udc00eve", "eve\ud800\ud800\udc00", "eve?", "eve\ud83d\ude00"};
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String subject : subjects) {
            TokenRef token = new TokenRef("https://login.example\ud800", subject, "j\udbff", null, Instant.EPOCH);
            for (String key : new String[] {keys.userKey(subject), keys.tokenKey(token), keys.liveKey(token),
                    keys.proofKey(subject, "jkt", "p\udc00")}) {
                assertEquals(key, new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
                        "reads back from UTF-8 unchanged: " + key);
            }
            assertEquals(true, seen.add(keys.userKey(subject)), "distinct: " + subject);
        }
        assertEquals("jwtgate:{eve%ed%a0%80}:user", keys.userKey("eve\ud800"));
        assertEquals("jwtgate:{eve%ed%a0%80\ud800\udc00}:user", keys.userKey("eve\ud800\ud800\udc00"));
        assertEquals("jwtgate:{eve\ud83d\ude00}:user", keys.userKey("eve\ud83d\ude00"), "a valid pair stays as it is");
        assertNotEquals(keys.userKey("eve?"), keys.userKey("eve\ud800"));
    }

    /** Redis ignores an empty hash tag: an empty subject's keys must still share one slot. */
    @Test
    void whenTheSubjectIsEmptyThenItsKeysStillShareOneSlot() {
        TokenRef token = new TokenRef("https://login.example", "", "j1", null, Instant.EPOCH);
        int slot = redis.clients.jedis.util.JedisClusterCRC16.getSlot(keys.userKey(""));
        assertEquals(slot, redis.clients.jedis.util.JedisClusterCRC16.getSlot(keys.tokenKey(token)));
        assertEquals(slot, redis.clients.jedis.util.JedisClusterCRC16.getSlot(keys.liveKey(token)));
        assertEquals(slot, redis.clients.jedis.util.JedisClusterCRC16.getSlot(keys.proofKey("", "jkt", "p1")));
        assertEquals("jwtgate:{%}:user", keys.userKey(""));
        assertNotEquals(keys.userKey(""), keys.userKey("%"), "a subject '%' is encoded, not the marker");
    }
}
