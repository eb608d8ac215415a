package org.jwtgate.testkit.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HTTP/1.1 over a plain socket, byte for byte: for requests an HTTP client library would
 * normalize or refuse (dot segments, doubled slashes, two Authorization headers, a 5 MB
 * header). The request is written by a second thread while this one reads, so an early
 * answer (431) is seen even when the server stops reading and resets the connection.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * A parsed answer; {@code status} is -1 when the server closed without answering.
     *
     * @param status  the status code; -1 when no HTTP answer arrived (connection refused, closed or reset first)
     * @param headers the header fields by lower-case name, each name's values in the order received; empty when no
     *                answer arrived. Unmodifiable, as are its lists: a copy of what the constructor is given
     * @param body    the body as UTF-8, de-chunked; when no HTTP answer arrived, whatever bytes did (ISO-8859-1)
     * @param failure the I/O error that ended the exchange (e.g. a reset after the answer, kept with what arrived,
     *                or the 20 s read timeout), {@code "no HTTP response"} when the bytes were none; null when the
     *                server closed normally
     */
    public record Response(int status, Map<String, List<String>> headers, String body, String failure) {

        /**
         * Keeps an unmodifiable copy of {@code headers}, in its order, so a test cannot change what another reads.
         *
         * @param status  as the record's
         * @param headers as the record's; copied
         * @param body    as the record's
         * @param failure as the record's
         * @throws NullPointerException when {@code headers}, one of its lists or a value is null
         */
        public Response {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            headers = Collections.unmodifiableMap(copy);
        }

        /**
         * The first value of a header (name case-insensitive), or null.
         *
         * @param name the header's name, in any case
         * @return its first value, trimmed; null when the answer has no such header
         */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body)
                    + (failure != null ? " (" + failure + ")" : "");
        }
    }

    /**
     * {@code GET target} with the given raw header lines ({@code "Name: value"}).
     *
     * @param port        the server's port on the loopback address
     * @param target      the request target, sent verbatim (dot segments, doubled slashes, raw bytes kept)
     * @param headerLines whole header lines without their CRLF, sent in order after {@code Host} and
     *                    {@code Connection: close}
     * @return the answer; an I/O failure is in its {@code failure} ({@code status} -1 unless an answer arrived
     *         first), never thrown
     */
    public static Response get(int port, String target, String... headerLines) {
        return request(port, "GET", target, "", headerLines);
    }

    /**
     * Any method; {@code body} is sent with a Content-Length.
     *
     * @param port        the server's port on the loopback address; {@code Host} names {@code 127.0.0.1:port}
     * @param method      the method, sent verbatim
     * @param target      the request target, sent verbatim
     * @param body        sent as UTF-8 with its {@code Content-Length}; {@code ""} for none (and no
     *                    {@code Content-Length})
     * @param headerLines whole header lines without their CRLF, sent in order after {@code Host} and
     *                    {@code Connection: close}
     * @return the answer; an I/O failure is in its {@code failure} ({@code status} -1 unless an answer arrived
     *         first), never thrown
     */
    public static Response request(int port, String method, String target, String body, String... headerLines) {
        return requestNaming("127.0.0.1:" + port, port, method, target, body, headerLines);
    }

    /**
     * As {@link #request}, with the {@code Host} a client names ({@code host[:port]}): what a server that takes its
     * own origin from the request sees, though the request reaches it on the loopback {@code port}.
     *
     * <p>Each call opens a connection of its own: calls from several threads do not interfere. A line in
     * {@code headerLines} naming {@code Host} is a second {@code Host} header, not a replacement.
     *
     * @param host        the {@code Host} header's value
     * @param port        the server's port on the loopback address
     * @param method      the method, sent verbatim
     * @param target      the request target, sent verbatim
     * @param body        sent as UTF-8 with its {@code Content-Length}; {@code ""} for none
     * @param headerLines whole header lines without their CRLF, sent in order after {@code Host} and
     *                    {@code Connection: close}
     * @return the answer, read until the server closes the connection (or 20 s pass without a byte); an I/O
     *         failure is in its {@code failure} ({@code status} -1 unless an answer arrived first), never thrown
     */
    public static Response requestNaming(String host, int port, String method, String target, String body,
                                         String... headerLines) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append("\r\n");
        head.append("Connection: close\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        if (bodyBytes.length > 0) {
            head.append("Content-Length: ").append(bodyBytes.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            AtomicReference<IOException> writeFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(headBytes);
                    out.write(bodyBytes);
                    out.flush();
                } catch (IOException e) {
                    writeFailure.set(e); // the server stopped reading: expected for oversized requests
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            // Read until the server ends the connection: the answer is complete. The writer is not waited for: closing
            // the socket ends a write the server no longer reads. Tomcat 11 answers a header it refuses (400 for 5 MB)
            // and ends its output at once, but closes the socket only at its poller's next wake-up (selectorTimeout,
            // 1 s by default): the writer, still sending the rest of the header, waited that long for the reset.
            return read(socket.getInputStream());
        } catch (IOException e) {
            return new Response(-1, Map.of(), "", e.toString());
        }
    }

    private static Response read(InputStream in) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        String failure = null;
        try {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                received.write(buffer, 0, n);
            }
        } catch (IOException e) {
            failure = e.toString(); // e.g. a reset after the answer: keep what arrived
        }
        return parse(received.toByteArray(), failure);
    }

    private static Response parse(byte[] bytes, String failure) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int endOfHead = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || endOfHead < 0) {
            return new Response(-1, Map.of(), text, failure == null ? "no HTTP response" : failure);
        }
        String[] lines = text.substring(0, endOfHead).split("\r\n");
        String[] statusLine = lines[0].split(" ");
        int status;
        try {
            status = Integer.parseInt(statusLine.length > 1 ? statusLine[1] : "");
        } catch (NumberFormatException e) {
            return new Response(-1, Map.of(), text, failure == null ? "a malformed status line" : failure);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        byte[] rawBody = java.util.Arrays.copyOfRange(bytes, endOfHead + 4, bytes.length);
        List<String> encoding = headers.get("transfer-encoding");
        if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
            rawBody = dechunk(rawBody);
        }
        return new Response(status, headers, new String(rawBody, StandardCharsets.UTF_8), failure);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int position = 0;
        while (position < chunked.length) {
            int lineEnd = indexOfCrlf(chunked, position);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(chunked, position, lineEnd - position, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                break; // a malformed chunk: the body is what came before it
            }
            int start = lineEnd + 2;
            if (size <= 0 || start > chunked.length) {
                break;
            }
            out.write(chunked, start, Math.min(size, chunked.length - start));
            position = start + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
