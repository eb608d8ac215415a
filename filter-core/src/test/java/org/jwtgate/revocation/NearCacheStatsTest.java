package org.jwtgate.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** {@link NearCacheStats}'s 1.0.0 constructor still builds the record that 1.0.0 code expects. */
class NearCacheStatsTest {

    @Test
    @SuppressWarnings("deprecation") // the 1.0.0 form is the point: code compiled against 1.0.0 calls it
    void whenBuiltThe1_0_0WayThenItsComponentsAreKeptAndTheNewOnesAreZeroOrNull() {
        NearCacheStats stats = new NearCacheStats(90, 7, 3, true, 4, 1, 5, 2, 1, "sharded");

        assertEquals(new NearCacheStats(90, 7, 3, true, 4, 1, 5, 2, 1, "sharded", 0, null, null), stats);
        assertEquals(10, stats.roundTripChecks());
        assertEquals(0, stats.failedLoads());
        assertNull(stats.lastAnnouncementApplied());
        assertNull(stats.refusal());
    }
}
