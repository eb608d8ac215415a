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
}
