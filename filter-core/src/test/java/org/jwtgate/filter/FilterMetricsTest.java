package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.internal.metrics.GateMetrics;

class FilterMetricsTest {

    private final GateMetrics counters = new GateMetrics();
    private final FilterMetrics metrics = new FilterMetrics();

    FilterMetricsTest() {
        metrics.use(counters);
    }

    @Test
    void whenRequestsEndThenOutcomesAreCountedByNameInAFixedOrder() {
        counters.outcome(GateMetrics.Outcome.AUTHENTICATED);
        counters.outcome(GateMetrics.Outcome.FAIL_OPEN);
        counters.outcome(GateMetrics.Outcome.UNAVAILABLE);
        counters.refused(GateMetrics.Reason.REVOKED);

        Map<String, Long> outcomes = metrics.requestsByOutcome();
        assertEquals(List.of("authenticated", "public", "anonymous", "refused", "unavailable", "fail-open"),
                List.copyOf(outcomes.keySet()));
        assertEquals(1L, outcomes.get("authenticated"), "fail-open passes are counted apart");
        assertEquals(2L, metrics.authenticatedCount(), "while authenticatedCount() includes them");
        assertEquals(1L, outcomes.get("refused"));
        assertEquals(1L, outcomes.get("unavailable"));
        assertEquals(1L, outcomes.get("fail-open"));
    }

    @Test
    void whenRequestsAreRefusedThenReasonsAddUpToTheRejectedCount() {
        counters.refused(GateMetrics.Reason.REVOKED);
        counters.refused(GateMetrics.Reason.REVOKED);
        counters.refused(GateMetrics.Reason.NOT_YET_VALID);

        Map<String, Long> reasons = metrics.refusalsByReason();
        assertEquals(List.of("missing", "malformed", "invalid", "expired", "not-yet-valid", "revoked",
                "insufficient-scope", "csrf", "dpop"), List.copyOf(reasons.keySet()));
        assertEquals(2L, reasons.get("revoked"));
        assertEquals(1L, reasons.get("not-yet-valid"));
        assertEquals(metrics.rejectedCount(), reasons.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void whenChecksAndCacheLookupsHappenThenTheyAreCountedByPath() {
        counters.check(GateMetrics.CheckPath.NEAR_CACHE);
        counters.check(GateMetrics.CheckPath.NEAR_CACHE);
        counters.check(GateMetrics.CheckPath.FALLBACK);
        counters.cacheHit();
        counters.cacheMiss();
        counters.cacheMiss();

        assertEquals(Map.of("near-cache", 2L, "fallback", 1L, "store", 0L), metrics.revocationChecksByPath());
        assertEquals(1, metrics.tokenCacheHits());
        assertEquals(2, metrics.tokenCacheMisses());
    }

    @Test
    void whenReadThenTheMapsCannotBeChanged() {
        assertThrows(UnsupportedOperationException.class, () -> metrics.refusalsByReason().put("revoked", 0L));
    }

    @Test
    void whenNoNearCacheRunsThenHeartbeatAgeIsMinusOneElseTheGaugesValue() {
        assertEquals(-1, metrics.nearCacheHeartbeatAgeMillis());
        counters.attachNearCache(new GateMetrics.NearCacheGauges() {
            @Override
            public boolean started() {
                return true;
            }

            @Override
            public boolean fresh() {
                return true;
            }

            @Override
            public long heartbeatAgeMillis() {
                return 42;
            }

            @Override
            public long exactEntries() {
                return 0;
            }

            @Override
            public long bloomEntries() {
                return 0;
            }
        });
        assertEquals(42, metrics.nearCacheHeartbeatAgeMillis());
    }
}
