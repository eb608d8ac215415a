package org.jwtgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jwtgate.testkit.process.BoundedCommands;

/**
 * Self-signed EC certificates with their keys, made by the JDK's {@code keytool} into PKCS12 key stores of a temporary
 * folder (no openssl): a server's (naming {@code 127.0.0.1}) and two clients', for mutual TLS and certificate-bound
 * tokens (RFC 8705). {@link #close()} deletes the folder.
 */
public final class TlsCertificates implements AutoCloseable {

    /** The password of every key store here. */
    public static final String PASSWORD = "changeit";
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;

    private TlsCertificates(Path dir) {
        this.dir = dir;
    }

    /** Makes the server's certificate ({@code SAN=ip:127.0.0.1}) and the clients' {@code client} and {@code other}. */
    public static TlsCertificates create() {
        try {
            TlsCertificates made = new TlsCertificates(Files.createTempDirectory("jwtgate-mtls"));
            made.keytool("server", "CN=127.0.0.1", "SAN=ip:127.0.0.1");
            made.keytool("client", "CN=client", "EKU=clientAuth");
            made.keytool("other", "CN=other", "EKU=clientAuth");
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void keytool(String alias, String name, String extension) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", name, "-ext",
                extension, "-validity", "2", "-storetype", "PKCS12", "-keystore", store(alias).toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        BoundedCommands.Finished finished = BoundedCommands.run(new ProcessBuilder(command), KEYTOOL_TIMEOUT);
        if (finished.exitValue() != 0) {
            throw new IOException("keytool -genkeypair " + alias + " exited with " + finished.exitValue() + ": "
                    + finished.output());
        }
    }

    /** The PKCS12 key store of {@code alias} ({@code server}, {@code client}, {@code other}), password {@link #PASSWORD}. */
    public Path store(String alias) {
        return dir.resolve(alias + ".p12");
    }

    /** The key store of {@code alias}, loaded. */
    public KeyStore keyStore(String alias) {
        try (InputStream in = Files.newInputStream(store(alias))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + store(alias), e);
        }
    }

    /** The certificate of {@code alias}. */
    public X509Certificate certificate(String alias) {
        try {
            return (X509Certificate) keyStore(alias).getCertificate(alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 8705 §3.1's {@code x5t#S256} of {@code alias}'s certificate: base64url, unpadded, SHA-256 of its DER. */
    public String thumbprint(String alias) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(certificate(alias).getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust store holding the certificates of {@code aliases}. */
    public KeyStore trustStore(String... aliases) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (String alias : aliases) {
                trust.setCertificateEntry(alias, certificate(alias));
            }
            return trust;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client's TLS context trusting the server's certificate, presenting {@code clientAlias}'s certificate, or none
     * when it is null.
     */
    public SSLContext clientContext(String clientAlias) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore("server"));
            KeyManagerFactory keys = null;
            if (clientAlias != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore(clientAlias), PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
