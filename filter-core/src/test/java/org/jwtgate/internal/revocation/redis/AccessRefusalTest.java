package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jwtgate.revocation.RevocationUnavailableException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Health's details may be public, and they carry {@link AccessRefusal}'s words: Redis's refusal, never the
 * configured user's name. Redis 7.0 says "this user"; from 7.2 on its NOPERM names the user ("NOPERM User jwtgate
 * has no permissions to run the 'mget' command", Redis's getAclErrorMessage), which must be worded as 7.0 does.
 */
class AccessRefusalTest {

    @Test
    void whenRedisNamesTheUserInItsRefusalThenTheWordsDoNot() {
        String expected = "NOPERM this user has no permissions to run the 'mget' command";
        assertEquals(expected, AccessRefusal.of(new RevocationUnavailableException("probe failed",
                new JedisAccessControlException("NOPERM User jwtgate has no permissions to run the 'mget' command"))));
        assertEquals(expected, AccessRefusal.of(new JedisAccessControlException(
                "NOPERM this user has no permissions to run the 'mget' command")), "Redis 7.0's words, unchanged");
        assertEquals("NOPERM this user has no permissions to run the 'eval' command", AccessRefusal.of(
                new JedisAccessControlException("NOPERM User svc.jwt-gate@prod has no permissions to run the 'eval' command")));
        assertEquals("WRONGPASS invalid username-password pair or user is disabled", AccessRefusal.of(
                new JedisAccessControlException("WRONGPASS invalid username-password pair or user is disabled.")));
    }

    @Test
    void whenRedisDidNotRefuseTheUserThenNoWords() {
        assertNull(AccessRefusal.of(new JedisConnectionException("Connection refused")));
        assertNull(AccessRefusal.of(null));
    }
}
