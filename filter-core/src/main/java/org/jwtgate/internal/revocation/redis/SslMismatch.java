package org.jwtgate.internal.revocation.redis;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.util.Collection;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.HostAndPort;
import org.jwtgate.config.ConfigKeys;

/**
 * What the start-up WARN says about TLS: whether TLS refused a node ({@link #refusedByTls}), and a hint when
 * {@code redis.ssl} looks set the wrong way for the port. A plain-text port gives a TLS client no answer at all (Redis
 * waits for a line the handshake never sends: "Read timed out"), and a port that speaks TLS only drops a plain-text
 * client ("Connection reset", or the end of the stream). Neither sign is specific (a hung
 * node, a proxy without a backend give them too), so the port is asked once more in the other protocol, bounded by
 * {@code redis.timeout-ms}, and the hint is given only when it answers so. Never sends a credential.
 */
final class SslMismatch {

    private SslMismatch() {
    }

    /** {@code "; <node> speaks TLS: is redis.ssl=false right for its port?"} or the like, else "". */
    static String hint(Throwable failure, Collection<HostAndPort> nodes, JedisClientSettings settings) {
        boolean ssl = settings.ssl();
        int timeoutMs = settings.timeoutMs();
        if (ssl ? !causedBy(failure, SocketTimeoutException.class, "Read timed out") : !droppedByPeer(failure)) {
            return "";
        }
        for (HostAndPort node : nodes) {
            if (ssl ? answersPlainText(node, timeoutMs) : speaksTls(node, timeoutMs)) {
                return "; " + node + (ssl ? " answers in plain text, not TLS" : " speaks TLS") + ": is "
                        + ConfigKeys.REDIS_SSL + "=" + ssl + " right for its port?";
            }
        }
        return "";
    }

    /**
     * Whether TLS refused the node (a CA the JVM does not trust, a certificate that does not name it): the node was
     * reached, so this is no network fault. Only with {@code redis.ssl=true}: a plain socket raises no SSLException.
     */
    static boolean refusedByTls(Throwable failure) {
        return causedBy(failure, SSLException.class, null);
    }

    private static boolean droppedByPeer(Throwable failure) {
        return causedBy(failure, SocketException.class, "Connection reset")
                || causedBy(failure, Throwable.class, "Unexpected end of stream");
    }

    /** Whether {@code failure} or a cause is a {@code type} whose message starts with {@code message} (null: any). */
    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type, String message) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t) && (message == null || String.valueOf(t.getMessage()).startsWith(message))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code node} answers a plain-text PING with a RESP reply (+PONG, or -NOAUTH, -DENIED...). */
    private static boolean answersPlainText(HostAndPort node, int timeoutMs) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(node.getHost(), node.getPort()), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            int first = in.read();
            return first == '+' || first == '-';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code node} completes a TLS handshake, or gets as far as a certificate the JVM refuses. */
    private static boolean speaksTls(HostAndPort node, int timeoutMs) {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(node.getHost(), node.getPort()), timeoutMs);
            plain.setSoTimeout(timeoutMs);
            try (SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, node.getHost(), node.getPort(), true)) {
                tls.startHandshake();
                return true;
            }
        } catch (SSLException e) {
            return causedBy(e, CertificateException.class, null); // it sent a certificate: TLS, not trusted by this JVM
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
