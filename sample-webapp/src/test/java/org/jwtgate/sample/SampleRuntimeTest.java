package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.sample.settings.SampleSettings;

/** Settings the sample cannot run with stop its start, before it starts Redis or anything else. */
class SampleRuntimeTest {

    @Test
    void whenRevocationStoreIsNoneThenTheStartStopsNamingItBeforeStartingRedis() {
        // With no store the sample's logout, refresh-token reuse detection and administrator revocation cannot
        // revoke: before, the sample started and its POST /logout answered 500 (UnsupportedOperationException).
        ConfigSources sources = ConfigSources.of(Map.of("JWTGATE_REVOCATION_STORE", "none"), Map.of());
        SampleRuntime runtime = new SampleRuntime(sources, SampleSettings.from(sources));

        ConfigurationException e = assertThrows(ConfigurationException.class, runtime::start);

        assertEquals("Illegal value for setting [revocation.store]: [none]; the sample revokes tokens (logout, refresh-token"
                + " reuse, the administrator's revocation): use redis-cluster, redis or memory", e.getMessage());
    }

    @Test
    void whenRevocationModeIsAllowlistThenTheStartStopsNamingIt() {
        // Before: the sample started, every login answered 200, and every token it issued was refused (401): an
        // allowlist accepts registered tokens only, and the sample registers none.
        ConfigSources sources = ConfigSources.of(Map.of("JWTGATE_REVOCATION_MODE", "AllowList"), Map.of()); // any case
        SampleRuntime runtime = new SampleRuntime(sources, SampleSettings.from(sources));

        ConfigurationException e = assertThrows(ConfigurationException.class, runtime::start);

        assertEquals("Illegal value for setting [revocation.mode]: [allowlist]; the sample does not register the tokens it"
                + " issues, so each would be refused: use denylist", e.getMessage());
    }

    @Test
    void whenDpopIsRequiredThenTheStartStopsNamingIt() {
        // Before: a login without a proof got a bearer pair the filter then refused (401), and its holder could not
        // log out, the refresh token rotating for a day.
        ConfigSources sources = ConfigSources.of(Map.of("JWTGATE_DPOP_MODE", "Required"), Map.of()); // any case
        SampleRuntime runtime = new SampleRuntime(sources, SampleSettings.from(sources));

        ConfigurationException e = assertThrows(ConfigurationException.class, runtime::start);

        assertEquals("Illegal value for setting [dpop.mode]: [required]; the sample issues bearer tokens to a client without"
                + " a DPoP proof (curl, the walkthrough): use allowed, with which the page's tokens are bound to its key",
                e.getMessage());
    }

    @Test
    void whenTheStoreIsOneRedisWithoutNodesThenTheStartStopsNamingRedisNodes() {
        // Before: it started a local cluster of six nodes, then refused them as [redis.nodes] "takes exactly one
        // host:port, got 6 (from init-param)": a setting the user never gave, from a source they never used.
        ConfigSources sources = ConfigSources.of(Map.of("JWTGATE_REVOCATION_STORE", "Redis"), Map.of()); // any case
        SampleRuntime runtime = new SampleRuntime(sources, SampleSettings.from(sources));

        ConfigurationException e = assertThrows(ConfigurationException.class, runtime::start);

        assertEquals("Setting [redis.nodes] (JWTGATE_REDIS_NODES) is required with [revocation.store] [redis]: the sample"
                + " starts a local Redis only as a cluster (redis-cluster, the default)", e.getMessage());
    }

    @Test
    void whenNoNodeOfAnExternalClusterAnswersThenTheStartStopsNamingTheSettingAndItsValue() throws Exception {
        // Before, "JwtGate sample not started: redis.clients.jedis.exceptions.JedisClusterOperationException: Could not
        // initialize cluster slots cache.": neither the setting, nor the nodes, nor why (refused, timed out, WRONGPASS).
        String nodes = "127.0.0.1:" + org.jwtgate.testkit.process.ServerProcesses.freeLoopbackPort(); // nothing listens
        ConfigSources sources = ConfigSources.of(Map.of("JWTGATE_REDIS_NODES", nodes), Map.of());
        SampleRuntime runtime = new SampleRuntime(sources, SampleSettings.from(sources));

        ConfigurationException e = assertThrows(ConfigurationException.class, runtime::start);

        assertTrue(e.getMessage().startsWith("No node of [redis.nodes] (JWTGATE_REDIS_NODES) [" + nodes + "] answered as a"
                + " Redis Cluster (Failed to connect to " + nodes), e.getMessage());
        assertEquals(e.getMessage(), SampleApp.startFailure(new RuntimeException(e), "127.0.0.1", 8080));
    }

    @Test
    void whenTheAccessCookieIsNamedAsTheRefreshCookieThenTheStartStopsNamingItBeforeStartingRedis() {
        // Before, the sample started and set two refresh_token cookies, the access token's for Path=/ and the refresh
        // token's for Path=/refresh: a browser sends both to /refresh, which answered every refresh 400 ("Two
        // different refresh_token cookies"), and the session ended with the access token, 15 minutes after login.
        ConfigSources sources = ConfigSources.of(Map.of("JWTGATE_TOKEN_COOKIE", "refresh_token"), Map.of());
        SampleRuntime runtime = new SampleRuntime(sources, SampleSettings.from(sources));

        ConfigurationException e = assertThrows(ConfigurationException.class, runtime::start);

        assertEquals("Illegal value for setting [token.cookie]: [refresh_token]; the sample's refresh token travels in a"
                + " cookie of that name: give the access token's cookie another name", e.getMessage());
    }
}
