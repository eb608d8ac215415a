package org.jwtgate.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Speaks HTTP to the running sample the way curl would: no cookie jar, every header explicit.
 * {@link #postFrom} sends from a chosen loopback address (127.0.0.x), so tests can show what the
 * server does with attempts from many real client addresses.
 */
final class SampleClient {

    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SampleClient(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** {@code http://127.0.0.1:port}: what a browser on this origin sends as Origin. */
    String origin() {
        return base.getScheme() + "://" + base.getHost() + ":" + base.getPort();
    }

    HttpAnswer get(String path, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).GET());
    }

    HttpAnswer postJson(String path, String json, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpAnswer postForm(String path, String form, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    HttpAnswer send(String path, String contentType, String body, String... headers)
            throws IOException, InterruptedException {
        return send(request(path, headers).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpAnswer trace(String path, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).method("TRACE", HttpRequest.BodyPublishers.noBody()));
    }

    HttpAnswer options(String path, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    /** Any method, without a body (PATCH, an extension method). */
    HttpAnswer method(String method, String path, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    HttpAnswer post(String path, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.noBody()));
    }

    HttpAnswer login(String username, String password) throws IOException, InterruptedException {
        return postJson("/login", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    /** Logs in and insists on success: returns the 200 answer. */
    HttpAnswer loggedIn(String username, String password) throws IOException, InterruptedException {
        HttpAnswer answer = login(username, password);
        if (answer.status() != 200) {
            throw new AssertionError("login of " + username + " failed: " + answer);
        }
        return answer;
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder;
    }

    private HttpAnswer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new HttpAnswer(response.statusCode(), response.headers().map(), response.body());
    }

    /** A JSON POST over a socket bound to {@code localAddress}: the server sees it as the remote address. */
    HttpAnswer postFrom(String localAddress, String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            return exchange(socket, "POST " + path + " HTTP/1.1", body, "Content-Type: application/json",
                    "Content-Length: " + body.length);
        }
    }

    /** A request written as it is (no URI or header checks of Java's client), with {@code Connection: close}. */
    HttpAnswer raw(String requestLine, String... headerLines) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            return exchange(socket, requestLine, new byte[0], headerLines);
        }
    }

    /**
     * Writes {@code requests} as they are on one keep-alive connection and reads what comes back within 3 s, ending
     * with {@code <still open>} when the server had not closed the connection by then.
     */
    String pipelined(String requests) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                    read.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException stillOpen) {
                read.writeBytes("<still open>".getBytes(StandardCharsets.US_ASCII));
            }
            return read.toString(StandardCharsets.UTF_8);
        }
    }

    /** Writes the request on {@code socket} (its line, Host, the header lines, {@code Connection: close}, the body), reads the whole answer. */
    private HttpAnswer exchange(Socket socket, String requestLine, byte[] body, String... headerLines) throws IOException {
        socket.setSoTimeout(30_000);
        StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: ").append(base.getHost()).append(':')
                .append(base.getPort()).append("\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(head.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
        return parse(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static HttpAnswer parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        String[] lines = raw.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        String body = raw.substring(end + 4);
        boolean chunked = headers.getOrDefault("Transfer-Encoding", List.of()).contains("chunked");
        return new HttpAnswer(status, headers, chunked ? dechunk(body) : body);
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
