package org.jwtgate.testkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RawHttpTest {

    @Test
    void whenAnAnswerIsReadThenItsHeadersCannotBeChanged() throws Exception {
        RawHttp.Response response = exchangeWithServerAnswering(
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nWWW-Authenticate: DPoP\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        assertEquals(List.of("Bearer", "DPoP"), response.headers().get("www-authenticate"), response.toString());

        assertThrows(UnsupportedOperationException.class, () -> response.headers().remove("www-authenticate"));
        assertThrows(UnsupportedOperationException.class, () -> response.headers().get("www-authenticate").clear());
        assertEquals("Bearer", response.header("WWW-Authenticate"));
    }

    /** One exchange with a loopback server that reads the request's head, writes {@code answer} and closes. */
    /** A malformed status line or chunk size threw NumberFormatException, though the javadoc says never thrown. */
    @Test
    void whenTheAnswerIsMalformedThenItIsReportedNotThrown() throws Exception {
        RawHttp.Response noStatus = exchangeWithServerAnswering("HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n");
        org.junit.jupiter.api.Assertions.assertEquals(-1, noStatus.status());
        RawHttp.Response badChunk = exchangeWithServerAnswering(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\nzz\r\nmore\r\n");
        org.junit.jupiter.api.Assertions.assertEquals(200, badChunk.status());
        org.junit.jupiter.api.Assertions.assertEquals("ok", badChunk.body());
        RawHttp.Response negative = exchangeWithServerAnswering(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nok\r\n");
        org.junit.jupiter.api.Assertions.assertEquals("", negative.body());
    }

    private static RawHttp.Response exchangeWithServerAnswering(String answer) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket connection = server.accept()) {
                    skipRequestHead(connection.getInputStream());
                    OutputStream out = connection.getOutputStream();
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            RawHttp.Response response = RawHttp.get(server.getLocalPort(), "/");
            served.get();
            return response;
        }
    }

    private static void skipRequestHead(InputStream in) throws IOException {
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int matched = 0;
        while (matched < end.length) {
            int b = in.read();
            if (b == -1) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
