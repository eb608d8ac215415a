package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
