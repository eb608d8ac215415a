package org.jwtgate.testkit.tokens;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed RSA certificate with its private key, made once per JVM by the JDK's own
 * {@code keytool} (the JDK has no public API to sign a certificate). For tests that need an
 * X.509 certificate: {@code jwt.public-key} given as a certificate, or an {@code x5c} header.
 */
public final class Certificates {

    private static SelfSigned rsa;

    private Certificates() {
    }

    /**
     * A certificate and the private key that signs with its public key.
     *
     * @param privateKey  the RSA private key, e.g. to sign tokens the certificate's public key verifies
     * @param certificate the self-signed certificate of its public key ({@code CN=jwtgate-test}, valid 2 days)
     */
    public record SelfSigned(PrivateKey privateKey, X509Certificate certificate) {

        /**
         * PEM {@code CERTIFICATE} text, e.g. for {@code jwt.public-key} given as a certificate.
         *
         * @return the block, lines of 64 characters, ending with a newline
         */
        public String pem() {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der())
                    + "\n-----END CERTIFICATE-----\n";
        }

        /**
         * The value of one {@code x5c} entry: standard base64 of the DER (RFC 7515 §4.1.6).
         *
         * @return the certificate's DER, in standard base64 with padding (not base64url), on one line
         */
        public String x5c() {
            return Base64.getEncoder().encodeToString(der());
        }

        private byte[] der() {
            try {
                return certificate.getEncoded();
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The JVM's self-signed RSA 2048 certificate: the first call makes it, later calls return the same one.
     * Thread-safe; the keytool run leaves no file behind.
     *
     * @return the certificate and its private key
     * @throws IllegalStateException when keytool fails, does not finish within 60 s (it is killed), or the calling
     *                               thread is interrupted while it runs (it is killed, and the thread's interrupt
     *                               flag is kept); the next call tries again
     */
    public static synchronized SelfSigned selfSignedRsa() {
        if (rsa == null) {
            rsa = generate();
        }
        return rsa;
    }

    /** Makes a new one; package-private for a test, since {@link #selfSignedRsa()} may answer one made before. */
    static SelfSigned generate() {
        Path directory = null;
        Process process = null;
        try {
            directory = Files.createTempDirectory("jwtgate-cert");
            Path keystore = directory.resolve("test.p12");
            Path output = directory.resolve("keytool.txt");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "test", "-keyalg", "RSA",
                    "-keysize", "2048", "-dname", "CN=jwtgate-test", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            // Its output goes to a file, read after the wait: reading a pipe first would wait for keytool's end
            // whatever the bound, and see no interrupt until then.
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: "
                        + new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, "changeit".toCharArray());
            }
            return new SelfSigned((PrivateKey) store.getKey("test", "changeit".toCharArray()),
                    (X509Certificate) store.getCertificate("test"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool made a self-signed certificate", e);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a self-signed certificate", e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly(); // timed out or interrupted
            }
            deleteQuietly(directory);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
