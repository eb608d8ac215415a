package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.SslVerifyMode;

class JedisClientSettingsTest {

    @Test
    void whenSettingsGivenThenTimeoutsCredentialsAndTlsReachTheClient() {
        JedisClientConfig config = settings(750, 3, 8, "app", "s3cret", true).clientConfig();
        assertEquals(750, config.getConnectionTimeoutMillis());
        assertEquals(750, config.getSocketTimeoutMillis());
        assertEquals("app", config.getUser());
        assertEquals("s3cret", config.getPassword());
        assertNotNull(config.getSslOptions(), "TLS on");
        assertEquals(SslVerifyMode.FULL, config.getSslOptions().getSslVerifyMode(), "host name checked");
        assertEquals(JedisClientSettings.CLIENT_NAME, config.getClientName());
    }

    @Test
    void whenNoCredentialsThenNoneSent() {
        JedisClientConfig config = settings(500, 3, 16, null, null, false).clientConfig();
        assertNull(config.getUser());
        assertNull(config.getPassword());
        assertFalse(config.isSsl());
        assertNull(config.getSslOptions());
    }

    @Test
    void whenPoolBuiltThenBoundedInSizeAndWait() {
        ConnectionPoolConfig pool = settings(500, 3, 8, null, null, false).poolConfig();
        assertEquals(8, pool.getMaxTotal());
        assertTrue(pool.getBlockWhenExhausted());
        assertEquals(Duration.ofMillis(500), pool.getMaxWaitDuration(), "a dead node never parks threads for long");
        assertFalse(pool.getJmxEnabled(), "an MBean per node's pool, beside JwtGate's own, naming the nodes");
    }

    @Test
    void whenRetryBudgetThenTimeoutTimesAttemptsCapped() {
        assertEquals(Duration.ofMillis(1500), settings(500, 3, 16, null, null, false).retryBudget());
        assertEquals(JedisClientSettings.MAX_RETRY_BUDGET, settings(60_000, 10, 16, null, null, false).retryBudget());
        assertEquals(3, settings(500, 3, 16, null, null, false).maxAttempts());
    }

    @Test
    void whenNodesGivenThenHostAndPortsInOrder() {
        assertEquals(Set.of(new HostAndPort("10.0.0.1", 7000), new HostAndPort("10.0.0.2", 7001)),
                settings(500, 3, 16, null, null, false).nodes());
    }

    private static JedisClientSettings settings(int timeoutMs, int attempts, int poolSize, String user, String password,
                                                boolean ssl) {
        return new JedisClientSettings(new RedisSettings(
                List.of(new RedisNode("10.0.0.1", 7000), new RedisNode("10.0.0.2", 7001)),
                "jwtgate:", timeoutMs, attempts, poolSize, user, password, ssl));
    }
}
