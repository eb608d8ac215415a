package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.jwtgate.revocation.RevocationUnavailableException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

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

    /**
     * Redis's answers that refuse a write while reads pass, as Jedis gives them (the leading '-' gone): Redis 7's own
     * (a script without flags adds where it failed), Redis 6's wrapped in "ERR Error running script", and the
     * runner's RevocationUnavailableException around them. Worded as health names them: the code, the first sentence.
     */
    @Test
    void whenRedisRefusesAWriteThenItsCodeAndFirstSentenceAreTheWords() {
        Map<String, String> refusals = Map.of(
                "NOREPLICAS Not enough good replicas to write.", "NOREPLICAS Not enough good replicas to write",
                "NOREPLICAS Not enough good replicas to write. script: 7c8b3a1e, on @user_script:1.",
                "NOREPLICAS Not enough good replicas to write",
                "OOM command not allowed when used memory > 'maxmemory'.",
                "OOM command not allowed when used memory > 'maxmemory'",
                "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands"
                        + " that may modify the data set are disabled, because this instance is configured to report errors"
                        + " during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the"
                        + " Redis logs for details about the RDB error.",
                "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk",
                "MISCONF Errors writing to the AOF file: No space left on device",
                "MISCONF Errors writing to the AOF file: No space left on device",
                "READONLY You can't write against a read only replica.",
                "READONLY You can't write against a read only replica",
                "READONLY Can not run script with write flag on readonly replica",
                "READONLY Can not run script with write flag on readonly replica",
                "ERR Error running script (call to f_7c8b3a1e): @user_script:1: @user_script: 1: -NOREPLICAS Not enough"
                        + " good replicas to write. ",
                "NOREPLICAS Not enough good replicas to write");
        refusals.forEach((reply, words) -> {
            assertEquals(words, AccessRefusal.ofWrite(new JedisDataException(reply)), reply);
            assertEquals(words, AccessRefusal.ofWrite(new RevocationUnavailableException(
                    "Redis DPoP proof record failed after 1 attempt in 2 ms: JedisDataException: " + reply,
                    new JedisDataException(reply))), "the runner's failure around it: " + reply);
        });
    }

    /** Outages, transient answers, ACL refusals and other errors are no refused write: health names them otherwise. */
    @Test
    void whenRedisDidNotRefuseAWriteThenNoWords() {
        assertNull(AccessRefusal.ofWrite(null));
        assertNull(AccessRefusal.ofWrite(new JedisConnectionException("Connection refused")));
        assertNull(AccessRefusal.ofWrite(new RevocationUnavailableException("Redis not asked: budget spent")));
        assertNull(AccessRefusal.ofWrite(new JedisClusterException("CLUSTERDOWN The cluster is down")));
        assertNull(AccessRefusal.ofWrite(new JedisAccessControlException(
                "NOPERM this user has no permissions to run the 'eval' command")));
        for (String reply : new String[] {"LOADING Redis is loading the dataset in memory", "TRYAGAIN Multiple keys"
                + " request during rehashing of slot", "MASTERDOWN Link with MASTER is down and replica-serve-stale-data"
                + " is set to 'no'.", "ERR unknown command 'EVAL'", "WRONGTYPE Operation against a key holding the wrong"
                + " kind of value", "NOREPLICASX not a code", "ERR value mentions OOM command not allowed",
                "READONLY"}) {
            assertNull(AccessRefusal.ofWrite(new JedisDataException(reply)), reply);
        }
    }
}
