package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import java.lang.ref.WeakReference;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A closed gate lets its web application's class loader go, as an undeploy without a JVM restart needs: JwtGate's
 * classes are loaded here by a loader of their own (a web application's), a gate with a JWKS URL is started and
 * closed, and the loader must then be collected. Before, every undeploy kept one loader and one thread for good.
 */
class ClassLoaderReleaseTest {

    private HttpServer jwks;

    @BeforeEach
    void serveJwks() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
        byte[] body = ("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"sig\",\"n\":\"" + base64(key.getModulus())
                + "\",\"e\":\"" + base64(key.getPublicExponent()) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
    }

    @AfterEach
    void stopJwks() {
        jwks.stop(0);
    }

    private static String base64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void whenAGateWithAJwksUrlIsClosedThenItsApplicationsClassLoaderIsCollected() throws Exception {
        WeakReference<ClassLoader> application = startAndCloseInOwnLoader();
        for (int i = 0; i < 60 && application.get() != null; i++) {
            System.gc();
            Thread.sleep(250); // the JDK's HTTP client thread ends within ~3 s of its client being collected
        }
        assertNull(application.get(), "the application's class loader is still reachable after its gate closed");
    }

    /**
     * A container checks the application's threads right after the filter's destroy() (Tomcat warns "appears to have
     * started a thread named [HttpClient-1-Worker-0] but has failed to stop it"), and its find-leaks collects garbage
     * right away: nothing the gate started may outlive close(), nor keep the loader until the JDK's HTTP client notices,
     * seconds after a collection, that it is no longer referenced.
     */
    @Test
    void whenAGateWithAJwksUrlIsClosedThenNoThreadItStartedRemainsAndItsLoaderGoesAtOnce() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        WeakReference<ClassLoader> application = startAndCloseInOwnLoader();
        List<String> left = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            // The JVM's common pool (the JDK client completes its futures there when it has more than one thread) is
            // shared: its workers carry the system class loader and outlive every application.
            if (!before.contains(thread) && thread.isAlive()
                    && !thread.getName().startsWith("ForkJoinPool.commonPool-worker-")) {
                left.add(thread.getName() + (thread.getContextClassLoader() == application.get()
                        ? " (the application's class loader as context class loader)" : ""));
            }
        }
        assertEquals(List.of(), left, "threads the gate started, alive after its close()");
        // A few collections within half a second (one did not always suffice here, with no thread of the gate's left),
        // well before the JDK client's own check, every 3 s, of whether it is still referenced.
        for (int i = 0; i < 10 && application.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertNull(application.get(), "the application's class loader is still reachable right after its gate closed");
    }

    /** In a method of its own, so that nothing on this frame keeps the loader. */
    private WeakReference<ClassLoader> startAndCloseInOwnLoader() throws Exception {
        URLClassLoader loader = new URLClassLoader("webapp", new URL[] {location(JwtGate.class),
                location(org.jose4j.jwt.JwtClaims.class), location(org.slf4j.Logger.class),
                location(redis.clients.jedis.Jedis.class), location(org.apache.commons.pool2.ObjectPool.class)},
                ClassLoader.getPlatformClassLoader());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("jwt.jwks-uri", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
        settings.put("jwt.algorithms", "RS256");
        settings.put("jwt.issuer", "https://issuer.example");
        settings.put("revocation.store", "memory");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // as a container does while it starts an application
        try {
            Class<?> configClass = loader.loadClass("org.jwtgate.config.JwtGateConfig");
            Object config = configClass.getMethod("of", Map.class).invoke(null, settings);
            Object gate = loader.loadClass(JwtGate.class.getName()).getMethod("start", configClass).invoke(null, config);
            ((AutoCloseable) gate).close();
        } finally {
            thread.setContextClassLoader(previous);
        }
        loader.close();
        return new WeakReference<>(loader);
    }
}
