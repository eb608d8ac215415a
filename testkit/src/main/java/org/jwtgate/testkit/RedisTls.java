package org.jwtgate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jwtgate.testkit.process.BoundedCommands;

/**
 * A throw-away certificate authority and one node certificate it signed, for a cluster whose nodes speak TLS only
 * ({@code port 0}, {@code tls-port}, {@code tls-cluster yes}, {@code tls-replication yes}). Made with the JDK
 * alone ({@code keytool} from {@code java.home}, and the node's key written as PEM by this class): no openssl
 * needed. {@link #trustStore()} is a PKCS12 trust store holding the CA, for {@code -Djavax.net.ssl.trustStore}.
 */
public final class RedisTls {

    /** The password of every key store here, the trust store included. */
    public static final String STORE_PASSWORD = "changeit";
    /** The node certificate's names when none are given: what a cluster announcing 127.0.0.1 needs. */
    public static final List<String> DEFAULT_NAMES = List.of("ip:127.0.0.1", "dns:localhost");

    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final List<String> names;

    private RedisTls(Path dir, List<String> names) {
        this.dir = dir;
        this.names = List.copyOf(names);
    }

    /**
     * Makes the CA and a node certificate naming {@code names} (keytool's SAN syntax: {@code ip:127.0.0.1},
     * {@code dns:redis.example}) in {@code dir}.
     */
    static RedisTls create(Path dir, List<String> names) {
        RedisTls tls = new RedisTls(dir, names);
        try {
            Files.createDirectories(dir);
            tls.generate();
        } catch (IOException | GeneralSecurityException e) {
            throw new RedisClusterException("Cannot make the TLS certificates in " + dir + ": " + e, e);
        }
        return tls;
    }

    private void generate() throws IOException, GeneralSecurityException {
        keytool("-genkeypair", "-keystore", "ca.p12", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=JwtGate test CA", "-ext", "bc:c", "-validity", "2");
        keytool("-exportcert", "-keystore", "ca.p12", "-alias", "ca", "-rfc", "-file", "ca.pem");
        keytool("-genkeypair", "-keystore", "node.p12", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=redis-node", "-validity", "2");
        keytool("-certreq", "-keystore", "node.p12", "-alias", "node", "-file", "node.csr");
        keytool("-gencert", "-keystore", "ca.p12", "-alias", "ca", "-infile", "node.csr", "-outfile", "node.pem", "-rfc",
                "-validity", "2", "-ext", "SAN=" + String.join(",", names), "-ext", "EKU=serverAuth,clientAuth");
        KeyStore node = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("node.p12"))) {
            node.load(in, STORE_PASSWORD.toCharArray());
        }
        Key key = node.getKey("node", STORE_PASSWORD.toCharArray());
        Files.writeString(nodeKey(), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("jwtgate-test-ca", caCertificate());
        try (var out = Files.newOutputStream(trustStore())) {
            trust.store(out, STORE_PASSWORD.toCharArray());
        }
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD));
        BoundedCommands.Finished keytool;
        try {
            keytool = BoundedCommands.run(new ProcessBuilder(command).directory(dir.toFile()), KEYTOOL_TIMEOUT);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (IllegalStateException e) { // not its message: it names the command, store password included
            throw new IOException(Thread.currentThread().isInterrupted() ? "interrupted while keytool " + args[0] + " ran"
                    : "keytool " + args[0] + " did not finish within " + KEYTOOL_TIMEOUT);
        }
        if (keytool.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " exited with " + keytool.exitValue() + ": " + keytool.output());
        }
    }

    /**
     * The names the node certificate carries, as given.
     *
     * @return an unmodifiable list in keytool's syntax, e.g. {@code ip:127.0.0.1}, {@code dns:localhost}
     */
    public List<String> names() {
        return names;
    }

    /**
     * The CA certificate, PEM ({@code tls-ca-cert-file}).
     *
     * @return a file in the cluster's directory, deleted when the cluster closes; the CA is valid for 2 days
     */
    public Path caCertificateFile() {
        return dir.resolve("ca.pem");
    }

    /**
     * The node certificate, PEM ({@code tls-cert-file}); every node serves the same one.
     *
     * @return a file in the cluster's directory, deleted when the cluster closes
     */
    public Path nodeCertificate() {
        return dir.resolve("node.pem");
    }

    /**
     * The node certificate's private key, PKCS#8 PEM ({@code tls-key-file}), unencrypted.
     *
     * @return a file in the cluster's directory, deleted when the cluster closes
     */
    public Path nodeKey() {
        return dir.resolve("node-key.pem");
    }

    /**
     * A PKCS12 trust store holding the CA, password {@link #STORE_PASSWORD}.
     *
     * @return a file in the cluster's directory, deleted when the cluster closes: the value for
     *         {@code -Djavax.net.ssl.trustStore}
     */
    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /**
     * The CA certificate, read from {@link #caCertificateFile()} on each call.
     *
     * @return the certificate that signed the node certificate
     * @throws IOException              when the file cannot be read, e.g. once the cluster is closed
     * @throws GeneralSecurityException when the file holds no X.509 certificate
     */
    public X509Certificate caCertificate() throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(caCertificateFile())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /**
     * Sockets trusting the CA, without host name verification: for the rig's own admin connections, which
     * must reach a node whatever names its certificate carries.
     *
     * @return a new factory, read from {@link #trustStore()} on each call
     * @throws RedisClusterException when the trust store cannot be read, e.g. once the cluster is closed
     */
    public SSLSocketFactory socketFactory() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(trustStore())) {
                trust.load(in, STORE_PASSWORD.toCharArray());
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new RedisClusterException("Cannot read the trust store " + trustStore() + ": " + e, e);
        }
    }

    /** For the rig's own connections: no host name check (Jedis's default checks it), the CA still checked. */
    static SSLParameters withoutHostNameCheck() {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm(null);
        return parameters;
    }

    /** The {@code redis.conf} lines serving TLS only, on {@code port}, cluster bus and replication included. */
    String configLines(int port) {
        return String.join("\n",
                "port 0",
                "tls-port " + port,
                "tls-cluster yes",
                "tls-replication yes",
                "tls-cert-file " + quoted(nodeCertificate()),
                "tls-key-file " + quoted(nodeKey()),
                "tls-ca-cert-file " + quoted(caCertificateFile()),
                "tls-auth-clients no");
    }

    private static String quoted(Path path) {
        return "\"" + path.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public String toString() {
        return "TLS (node certificate for " + String.join(",", names) + ")";
    }
}
