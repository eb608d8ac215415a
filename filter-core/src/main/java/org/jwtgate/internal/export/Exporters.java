package org.jwtgate.internal.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.engine.Health;
import org.jwtgate.internal.jmx.JmxExporter;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.metrics.GateMetrics;

/**
 * Starts what {@code metrics.jmx} and {@code metrics.micrometer} ask for, for one filter or module
 * instance: the MBeans, and the Micrometer meters when Micrometer is on the class path (looked up
 * once, without loading any Micrometer class otherwise). Nothing here ever fails a start-up.
 */
public final class Exporters {

    private static final Log LOG = Log.of(Exporters.class);
    private static final boolean MICROMETER_PRESENT = isPresent("io.micrometer.core.instrument.MeterRegistry");

    private Exporters() {
    }

    /**
     * @param attributes the ServletContext's attributes (where an application may have put its MeterRegistry), or null
     * @param contextPath the application's context path, for the MBean names; null outside a servlet container
     * @return what to close at the end
     */
    public static AutoCloseable start(JwtGateConfig config, GateMetrics metrics, Supplier<Health> gateHealth, String name,
                                      Function<String, Object> attributes, String contextPath) {
        // As the health servlet answers it: a gauge that threw read NaN (no alert on 2 fired), an MBean an exception.
        Supplier<Health> health = () -> {
            try {
                return gateHealth.get();
            } catch (RuntimeException e) {
                return checkFailed(e);
            }
        };
        List<AutoCloseable> started = new ArrayList<>();
        if (config.metrics().jmx()) {
            try {
                started.add(JmxExporter.register(metrics, health, name, contextPath));
            } catch (RuntimeException | LinkageError e) {
                // The platform MBean server itself refused (a security manager without createMBeanServer, a broken
                // javax.management.builder.initial), or the runtime has no java.management (a jlink image; JwtGate
                // needs none of it): before, the start failed and the application did not deploy.
                LOG.warn("JwtGate MBeans of [{}] not registered: {}", name, e.toString());
            }
        }
        if (config.metrics().micrometer() && MICROMETER_PRESENT) {
            try {
                Object registry = attributes == null ? null
                        : attributes.apply(org.jwtgate.internal.micrometer.MicrometerMeters.REGISTRY_ATTRIBUTE);
                started.add(org.jwtgate.internal.micrometer.MicrometerMeters.bind(registry, metrics, health, name,
                        contextPath));
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("JwtGate meters of [{}] not registered in Micrometer: {}", name, e.toString());
            }
        }
        return () -> stop(started);
    }

    /**
     * The health of a gate whose check threw (a pool closing under it, an application's store throwing): DOWN, named by
     * the exception's class (its message may hold anything).
     */
    public static Health checkFailed(RuntimeException e) {
        return new Health(Health.Status.DOWN, Map.of("health-check", Log.className(e)));
    }

    /** Closes what {@link #start} started; null is fine. */
    public static void stop(AutoCloseable exporters) {
        if (exporters == null) {
            return;
        }
        try {
            exporters.close();
        } catch (Exception e) {
            LOG.debug("Closing JwtGate's exporters failed: {}", e.toString());
        }
    }

    private static void stop(List<AutoCloseable> started) {
        for (AutoCloseable each : started) {
            try {
                each.close();
            } catch (Exception e) {
                LOG.debug("Closing a JwtGate exporter failed: {}", e.toString());
            }
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, Exporters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
