package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.KeysUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A {@code file:} JWKS whose path is no regular file when a refresh reads it. */
class JwksFileFetchTest {

    /**
     * Before, once the set's path was a named pipe no one wrote to, the request whose unknown kid refreshed the set
     * waited forever (opening the pipe blocks), holding refreshLock: every later refresh and waiting request with it.
     */
    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void whenTheJwksFileBecameANamedPipeThenTheFetchRefusesItAtOnceAndThePreviousKeysAreKept(@TempDir Path directory)
            throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        Path file = directory.resolve("jwks.json");
        Files.writeString(file, JwtVerifierJwksTest.jwks(Map.of("k1", first)));
        ExecutorService requests = Executors.newSingleThreadExecutor();
        try (JwtVerifier verifier = JwtVerifierTest.verifier(JwtVerifierTest.settings(
                ConfigKeys.JWT_JWKS_URI, file.toUri().toString(), ConfigKeys.JWT_ALGORITHMS, "RS256",
                ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "1"))) {
            Files.delete(file);
            Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).start();
            assertEquals(0, mkfifo.waitFor());
            Thread.sleep(1_100); // past jwt.jwks-min-refresh-seconds=1
            String token = JwksTestServer.rs256(first, "made-up");
            Object outcome;
            try (CapturedLog log = CapturedLog.standardError()) {
                Future<Object> request = requests.submit(() -> assertThrows(KeysUnavailableException.class,
                        () -> verifier.verify(token)).getClass());
                try {
                    outcome = request.get(5, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    outcome = "still held after 5 s by the file: fetch";
                    // Let the blocked open() return: open the pipe for writing and close it at once.
                    try (OutputStream unblock = Files.newOutputStream(file)) {
                        unblock.flush();
                    }
                }
                assertEquals(KeysUnavailableException.class, outcome, "the fetch failed: 503, not 401");
                assertTrue(log.text().contains("not a regular file"), log.text());
                assertTrue(log.text().contains("keeping 1 cached keys"), log.text());
            }
            assertEquals("alice", verifier.verify(JwksTestServer.rs256(first, "k1")).getName(), "k1 kept");
        } finally {
            requests.shutdownNow();
        }
    }
}
