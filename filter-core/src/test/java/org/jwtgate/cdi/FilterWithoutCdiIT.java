package org.jwtgate.cdi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The core must run where CDI is absent: the filter is loaded from a class loader whose
 * classpath lacks the CDI API and Weld, then serves a real request.
 */
class FilterWithoutCdiIT {

    @Test
    void whenCdiApiAbsentThenFilterStartsAndAuthenticates() throws Exception {
        try (URLClassLoader withoutCdi = new URLClassLoader(classpathWithoutCdi(), ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class,
                    () -> Class.forName("jakarta.enterprise.inject.spi.CDI", false, withoutCdi));
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(withoutCdi);
            try {
                @SuppressWarnings("unchecked")
                Callable<String> scenario = (Callable<String>) withoutCdi.loadClass(NoCdiScenario.class.getName())
                        .getDeclaredConstructor().newInstance();
                String outcome = scenario.call();
                assertTrue(outcome.startsWith("cdi=false status=200 user=alice admin=true"), outcome);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    /** The test classpath (Surefire/Failsafe publish it; java.class.path may be a manifest-only jar). */
    private static URL[] classpathWithoutCdi() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            String normalized = entry.replace('\\', '/');
            if (entry.isBlank() || normalized.contains("/jakarta/enterprise/") || normalized.contains("/org/jboss/weld/")) {
                continue;
            }
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
