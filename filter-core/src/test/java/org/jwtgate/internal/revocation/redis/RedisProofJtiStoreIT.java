package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.revocation.ProofJtiStore;
import org.jwtgate.internal.revocation.ProofRecordFullException;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/**
 * The DPoP proof record on a real 3+3 cluster: one use per proof, a lifetime of the window, the
 * user's slot, and a retried call (same call id) that still counts as the first use.
 */
class RedisProofJtiStoreIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static JwtGateConfig config() {
        Map<String, String> settings = new java.util.LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        settings.put(ConfigKeys.REDIS_NODES, REDIS.cluster().nodesSpec());
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        return JwtGateConfig.of(settings);
    }

    @Test
    void whenAProofIsRecordedThenASecondUseIsRefusedAndTheRecordLivesForTheWindowInTheUsersSlot() {
        try (ProofJtiStore store = RedisRevocationStores.createProofStore(config());
             RedisClusterClient redis = REDIS.cluster().newClient()) {
            assertTrue(store.firstUse("grace", "jkt-1", "proof-1", Duration.ofSeconds(121)));
            assertFalse(store.firstUse("grace", "jkt-1", "proof-1", Duration.ofSeconds(121)));
            assertTrue(store.firstUse("grace", "jkt-2", "proof-1", Duration.ofSeconds(121)), "another key's proof");
            String key = new RevocationKeys("jwtgate:").proofKey("grace", "jkt-1", "proof-1");
            long ttl = redis.pttl(key);
            assertTrue(ttl > 115_000 && ttl <= 121_000, "PTTL " + ttl);
            assertEquals(REDIS.cluster().masterForKey(new RevocationKeys("jwtgate:").userKey("grace")).port(),
                    REDIS.cluster().masterForKey(key).port(), "the record lives where the user's revocation check reads");
        }
    }

    @Test
    void whenATokenRequestProofIsRecordedThenASecondUseIsRefusedAndTheRecordIsKeyedByTheProofKey() {
        try (ProofJtiStore store = RedisRevocationStores.createProofStore(config());
             RedisClusterClient redis = REDIS.cluster().newClient()) {
            assertTrue(store.firstTokenRequestUse("jkt-9", "proof-1", Duration.ofSeconds(121)));
            assertFalse(store.firstTokenRequestUse("jkt-9", "proof-1", Duration.ofSeconds(121)));
            long ttl = redis.pttl("jwtgate:dpop:token:{jkt-9}:" + RevocationKeys.proofIdDigest("proof-1"));
            assertTrue(ttl > 115_000 && ttl <= 121_000, "PTTL " + ttl);
        }
    }

    /**
     * A master at maxmemory under noeviction (the docs' advice) refuses the record with OOM, which proofs sent in bulk
     * can bring about: the record is full, never an outage that failure-mode=open would let pass unrecorded.
     */
    @Test
    void whenTheMasterIsOutOfMemoryThenTheRecordIsFullNotMerelyUnavailable() {
        String key = new RevocationKeys("jwtgate:").proofKey("oom", "jkt-1", "proof-1");
        RedisCluster.Node master = REDIS.cluster().masterForKey(key);
        try (ProofJtiStore store = RedisRevocationStores.createProofStore(config()); Jedis node = master.connect()) {
            node.configSet("maxmemory-policy", "noeviction");
            node.configSet("maxmemory", "1");
            try {
                ProofRecordFullException full = assertThrows(ProofRecordFullException.class,
                        () -> store.firstUse("oom", "jkt-1", "proof-1", Duration.ofSeconds(121)));
                assertTrue(full.getMessage().contains("OOM"), full.getMessage());
            } finally {
                node.configSet("maxmemory", "0");
            }
            assertTrue(store.firstUse("oom", "jkt-1", "proof-1", Duration.ofSeconds(121)), "recorded once memory is free");
        }
    }

    @Test
    void whenTheSameCallIsRetriedThenItIsStillTheFirstUseButAnotherCallIsAReplay() {
        try (RedisClusterClient redis = REDIS.cluster().newClient()) {
            String key = "jwtgate:dpop:{retry}:jkt:proof";
            assertEquals(1L, redis.eval(RedisProofJtiStore.FIRST_USE_SCRIPT, List.of(key), List.of("call-a", "60000")));
            assertEquals(1L, redis.eval(RedisProofJtiStore.FIRST_USE_SCRIPT, List.of(key), List.of("call-a", "60000")),
                    "a retry of the call whose first attempt timed out after writing");
            assertEquals(0L, redis.eval(RedisProofJtiStore.FIRST_USE_SCRIPT, List.of(key), List.of("call-b", "60000")));
        }
    }
}
