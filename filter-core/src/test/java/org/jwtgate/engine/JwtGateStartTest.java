package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.revocation.MemoryRevocationStore;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.testkit.tokens.TestTokens;

/** {@link JwtGate#start}: every accepted setting starts, and a start that fails leaves nothing open. */
class JwtGateStartTest {

    private static JwtGateConfig config(int cacheSize) {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.TOKEN_CACHE_SIZE, Integer.toString(cacheSize));
        return JwtGateConfig.of(settings);
    }

    @ParameterizedTest(name = "token.cache-size={0}")
    @ValueSource(ints = {1, 2, 3})
    void whenTheCacheSizeIsTheSmallestAcceptedThenTheGateStartsAndCaches(int cacheSize) {
        // The documented range starts at 0; 1 used to fail with an IllegalArgumentException naming no setting.
        try (JwtGate gate = JwtGate.start(config(cacheSize))) {
            String token = TestTokens.hs256("alice");
            assertEquals("alice", gate.verify(token).getName());
            assertEquals("alice", gate.verify(token).getName());
            assertEquals(1, GateMetrics.of(gate).cacheHits(), "the second check is a cache hit");
        }
    }

    @Test
    void whenBuildingTheGateFailsAfterTheStoreWasBuiltThenTheStoreIsClosed() {
        AtomicBoolean closed = new AtomicBoolean();
        IllegalStateException broken = new IllegalStateException("broken store");
        RevocationStore store = (RevocationStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RevocationStore.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> closed.set(true);
                        case "nearCacheStats" -> throw broken;
                        default -> throw new AssertionError("not expected: " + method);
                    }
                    return null;
                });
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> JwtGate.start(config(10), store, Clock.systemUTC()));
        assertSame(broken, thrown);
        assertTrue(closed.get(), "the store the failed start was given is closed, as a started gate would close it");
    }

    @Test
    void whenAStoreIsGivenWhileRevocationStoreIsNoneThenTheStartFailsNamingTheSetting() {
        // With none, the given store was asked only for tokens that carried jti and sub, while health said "none".
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.REVOCATION_STORE, "none");
        AtomicBoolean closed = new AtomicBoolean();
        RevocationStore memory = new MemoryRevocationStore();
        RevocationStore store = (RevocationStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RevocationStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        closed.set(true);
                    }
                    return method.invoke(memory, args);
                });
        ConfigurationException thrown = assertThrows(ConfigurationException.class,
                () -> JwtGate.start(JwtGateConfig.of(settings), store, Clock.systemUTC()));
        assertTrue(thrown.getMessage().startsWith("Invalid setting [revocation.store]: [none], but a RevocationStore"),
                thrown.getMessage());
        assertTrue(closed.get(), "the store given to the failed start is closed");
    }
}
