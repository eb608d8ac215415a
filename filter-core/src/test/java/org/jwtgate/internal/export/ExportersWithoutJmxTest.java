package org.jwtgate.internal.export;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Exporters never fails a start-up. On a runtime without the java.management module (a jlink image of java.base,
 * java.logging, java.net.http…: JwtGate itself needs no JMX), the JMX classes are missing: the default metrics.jmx=true must then cost the MBeans, not the filter's start, which failed with
 * NoClassDefFoundError: javax/management/StandardMBean (found by an operations probe, in a JVM run with
 * --limit-modules too).
 */
class ExportersWithoutJmxTest {

    /** JwtGate's classes of its own, the JDK's JMX packages missing, everything else from the test's class path. */
    private static final class WithoutJmx extends URLClassLoader {
        WithoutJmx(URL classes, ClassLoader parent) {
            super(new URL[] {classes}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("javax.management.") || name.startsWith("java.lang.management.")) {
                    throw new ClassNotFoundException(name + " (no java.management module)");
                }
                if (name.startsWith("org.jwtgate.") && !name.startsWith("org.jwtgate.testkit.")) {
                    Class<?> loaded = findLoadedClass(name);
                    if (loaded == null) {
                        try {
                            loaded = findClass(name);
                        } catch (ClassNotFoundException e) {
                            return super.loadClass(name, resolve);
                        }
                    }
                    return loaded;
                }
                return super.loadClass(name, resolve);
            }
        }
    }

    @Test
    void whenTheRuntimeHasNoJmxThenStartingTheExportersDoesNotThrow() throws Exception {
        URL classes = Exporters.class.getProtectionDomain().getCodeSource().getLocation();
        try (WithoutJmx loader = new WithoutJmx(classes, ExportersWithoutJmxTest.class.getClassLoader())) {
            Class<?> configClass = loader.loadClass("org.jwtgate.config.JwtGateConfig");
            Class<?> sourcesClass = loader.loadClass("org.jwtgate.config.ConfigSources");
            Class<?> metricsClass = loader.loadClass("org.jwtgate.internal.metrics.GateMetrics");
            Class<?> exportersClass = loader.loadClass("org.jwtgate.internal.export.Exporters");
            Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
            settings.put("metrics.micrometer", "off"); // metrics.jmx stays at its default, true
            Object config = configClass.getMethod("load", Map.class, sourcesClass)
                    .invoke(null, settings, sourcesClass.getMethod("none").invoke(null));
            Object metrics = metricsClass.getConstructor().newInstance();
            assertDoesNotThrow(() -> {
                try {
                    Object exporters = exportersClass.getMethod("start", configClass, metricsClass, Supplier.class,
                            String.class, Function.class, String.class)
                            .invoke(null, config, metrics, (Supplier<?>) () -> null, "jwtgate", null, "/shop");
                    ((AutoCloseable) exporters).close();
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }
    }
}
