package org.jwtgate.sample.token;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.VerificationSettings;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A review of the U+FFFD refusal found: the sample's SAMPLE_SIGNING_KEY file is now read as jwt.public-key's is (Latin-1), but not with
 * its bound: {@code Files.readAllBytes} reads any size and any kind of file, where the filter's
 * {@code PemKeys.readFile} goes through {@code ConfigFiles.read} (1 MiB, regular files only).
 */
class SigningKeyFileBoundTest {

    @TempDir
    Path directory;

    private VerificationSettings verification() {
        KeyPair pair = TestTokens.ecKeyPair("secp256r1");
        Map<String, String> settings = new TreeMap<>(TestTokens.settings());
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        return JwtGateConfig.of(settings).verification();
    }

    /** A (sparse) 3 GiB file named as a key: the filter refuses it as jwt.public-key, the sample dies of an Error. */
    @Test
    void aHugeKeyFileIsRefusedWithAMessageNotAnOutOfMemoryError() throws Exception {
        Path huge = directory.resolve("huge.pem");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(3L << 30);
        }
        VerificationSettings verification = verification();
        // The filter, for its public key: refused, with a message.
        Map<String, String> filter = new TreeMap<>(TestTokens.settings());
        filter.remove(ConfigKeys.JWT_SECRET);
        filter.put(ConfigKeys.JWT_PUBLIC_KEY, huge.toString());
        ConfigurationException filterRefusal = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(filter));
        assertTrue(filterRefusal.getMessage().contains("1 MiB"), filterRefusal.getMessage());
        // The sample, for its private key: expected the same kind of refusal.
        Throwable thrown = assertThrows(Throwable.class, () -> SigningKey.privateKey(huge.toString(), verification));
        assertTrue(thrown instanceof ConfigurationException,
                "SAMPLE_SIGNING_KEY=" + huge + " threw " + thrown + " (the filter said: " + filterRefusal.getMessage() + ")");
    }

    /** A FIFO (a process substitution, SAMPLE_SIGNING_KEY=<(vault read ...)) nobody writes: the start hangs. */
    @Test
    void aKeyPathThatIsAPipeIsRefusedNotWaitedOnForever() throws Exception {
        Path fifo = directory.resolve("key.pem");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo");
        VerificationSettings verification = verification();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                Throwable thrown = assertThrows(Throwable.class, () -> SigningKey.privateKey(fifo.toString(), verification));
                assertTrue(thrown instanceof ConfigurationException, String.valueOf(thrown));
            }, "SAMPLE_SIGNING_KEY naming a FIFO: still reading after 5 s (the filter's jwt.public-key refuses a"
                    + " file that is not a regular file)");
        } finally {
            // Release a reader left blocked in open(), should one be: opened read-write, a FIFO opens at once on Linux
            // (a write-only open would wait for a reader, of which there is none when the key was refused unread).
            try (RandomAccessFile release = new RandomAccessFile(fifo.toFile(), "rw")) {
                release.getFD();
            }
        }
    }
}
