package org.jwtgate.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * {@link Log#loadClasses()}: once it ran, lines are still formatted (tokens hidden, characters escaped) after the
 * application's class loader closed, as Jetty closes it when it stops a context with requests still inside. Without
 * it, the first line holding a token glued to other characters needed a class then ({@code AuditLog$Alignment}).
 */
class LogAfterClassLoaderClosedTest {

    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

    @Test
    void linesAreFormattedAfterTheClassLoaderClosed() throws Throwable {
        URLClassLoader application = new URLClassLoader(
                new URL[] {Log.class.getProtectionDomain().getCodeSource().getLocation()}, null);
        Class<?> log = application.loadClass(Log.class.getName());
        log.getMethod("loadClasses").invoke(null);
        application.close();
        assertThrows(ClassNotFoundException.class, () -> application.loadClass("org.jwtgate.filter.JwtAuthFilter"),
                "the closed class loader loads no class it had not loaded");

        Method format = log.getDeclaredMethod("format", String.class, Object[].class);
        format.setAccessible(true);
        String line = format(format, "Answering 503 to {} {}: {}", "GET", "/a.b/" + "x".repeat(10_000),
                "session_abc" + TOKEN + " Bearer " + TOKEN + " \u2066\r\n");
        assertFalse(line.contains("eyJzdWIi"), line);
        assertTrue(line.startsWith("Answering 503 to GET /a.b/xxx"), line);
        assertTrue(line.contains("\\u2066\\u000d\\u000a"), line);
        assertEquals("plain", format(format, "{}", "plain"));
    }

    private static String format(Method format, String pattern, Object... arguments) throws Throwable {
        try {
            return (String) format.invoke(null, pattern, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // a NoClassDefFoundError: a class formatting needed was not loaded ahead
        }
    }
}
