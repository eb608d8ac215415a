package org.jwtgate.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mockStatic;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.engine.Health;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.testkit.logs.CapturedLog;
import org.mockito.MockedStatic;

/** Exporting the figures never stops a start: what cannot be exported is a WARN. */
class ExportersTest {

    @Test
    void whenThePlatformMBeanServerIsRefusedThenTheStartGoesOnWithAWarning() throws Exception {
        // Before: a security manager without MBeanServerPermission("createMBeanServer") (or a broken
        // javax.management.builder.initial) made getPlatformMBeanServer() throw through start(): no deployment.
        JwtGateConfig config = JwtGateConfig.of(Map.of(ConfigKeys.JWT_SECRET, "0123456789abcdefghijklmnopqrstuvwxyz",
                ConfigKeys.JWT_ISSUER, "https://issuer", ConfigKeys.REVOCATION_STORE, "memory"));
        CapturedLog log;
        try (MockedStatic<ManagementFactory> refused = mockStatic(ManagementFactory.class)) {
            refused.when(ManagementFactory::getPlatformMBeanServer)
                    .thenThrow(new SecurityException("access denied (javax.management.MBeanServerPermission createMBeanServer)"));
            log = CapturedLog.during(() -> Exporters.stop(Exporters.start(config, new GateMetrics(),
                    () -> new Health(Health.Status.UP, Map.of()), "jwtgate", null, "/shop")));
        }
        assertEquals(1, log.warnings().size(), log.text());
        assertTrue(log.warnings().get(0).contains("JwtGate MBeans of [jwtgate] not registered")
                && log.warnings().get(0).contains("createMBeanServer"), log.text());
    }

    /**
     * A health check that throws (a pool closing, an application's store): the health servlet answers DOWN; before,
     * the jwtgate.health gauge read NaN (so no alert on 2 fired) and the MBean's Status threw (the operations review).
     */
    @Test
    void whenTheHealthCheckThrowsThenTheGaugeAndTheMBeanSayDownAsTheServletDoes() throws Exception {
        JwtGateConfig config = JwtGateConfig.of(Map.of(ConfigKeys.JWT_SECRET, "0123456789abcdefghijklmnopqrstuvwxyz",
                ConfigKeys.JWT_ISSUER, "https://issuer", ConfigKeys.REVOCATION_STORE, "memory"));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        java.util.function.Supplier<Health> throwing = () -> {
            throw new IllegalStateException("pool closing");
        };
        AutoCloseable exporters = Exporters.start(config, new GateMetrics(), throwing, "throwing-health",
                name -> name.equals(org.jwtgate.internal.micrometer.MicrometerMeters.REGISTRY_ATTRIBUTE) ? registry : null,
                "/health-check");
        try {
            assertEquals(2.0, registry.get("jwtgate.health").tag("filter", "throwing-health").gauge().value(),
                    "0 UP, 1 DEGRADED, 2 DOWN");
            javax.management.ObjectName name = new javax.management.ObjectName(
                    "org.jwtgate:type=Health,filter=\"throwing-health\",context=\"/health-check\"");
            assertEquals("DOWN", ManagementFactory.getPlatformMBeanServer().getAttribute(name, "Status"));
            assertEquals("DOWN (health-check=IllegalStateException)",
                    ManagementFactory.getPlatformMBeanServer().getAttribute(name, "Details"));
        } finally {
            Exporters.stop(exporters);
        }
    }

    /** An application's store throwing an exception of an anonymous class: the detail was empty ({@code ""}). */
    @Test
    void whenTheCheckThrowsAnExceptionOfAnAnonymousClassThenTheDetailNamesItsClass() {
        RuntimeException anonymous = new IllegalStateException("store gone") { };
        assertEquals("DOWN (health-check=" + anonymous.getClass().getName() + ")",
                Exporters.checkFailed(anonymous).toString());
        assertEquals("DOWN (health-check=IllegalStateException)",
                Exporters.checkFailed(new IllegalStateException("store gone")).toString());
    }

    /** A detail ending in "(" (an application's Health) lost the ", " after it: told by the last character written. */
    @Test
    void whenAHealthDetailEndsWithAnOpeningParenthesisThenTheNextIsStillSeparated() {
        Map<String, String> details = new java.util.LinkedHashMap<>();
        details.put("revocation-store", "redis-cluster down (");
        details.put("failure-mode", "closed");
        assertEquals("DOWN (revocation-store=redis-cluster down (, failure-mode=closed)",
                new Health(Health.Status.DOWN, details).toString());
        assertEquals("UP ()", new Health(Health.Status.UP, Map.of()).toString());
    }
}
