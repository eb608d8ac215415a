package org.jwtgate.sample.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class SampleKeysTest {

    @Test
    void whenPlainNameThenReadableKey() {
        assertEquals("sample:account:{alice}", SampleKeys.account("alice"));
    }

    @Test
    void whenNameHoldsBracesOrSeparatorsThenItCannotForgeAHashTag() {
        String key = SampleKeys.userFamilies("x}:{victim");
        assertFalse(key.contains("victim"), key);
        assertEquals(1, key.chars().filter(c -> c == '{').count());
        assertTrue(SampleKeys.addressFailures("not an address}{").matches("sample:login-failures:address:\\{[0-9a-f]{64}}"));
    }

    @Test
    void whenKeysOfOneFamilyThenOneSlot() {
        int slot = JedisClusterCRC16.getSlot(SampleKeys.family("abc"));
        assertEquals(slot, JedisClusterCRC16.getSlot(SampleKeys.familyRotated("abc")));
        assertEquals(slot, JedisClusterCRC16.getSlot(SampleKeys.familyAccessTokens("abc")));
    }
}
