package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The module's refusals in Jetty 12 with Jetty's own response compression on (the {@code compression-gzip}
 * module, as an operator enables it in the base) and a client that accepts gzip: each answer must be a well-formed
 * HTTP message whose body, decoded as its Content-Encoding says, is the module's JSON (security.md's table).
 */
class JettyCompressionRefusalsIT {

    static final String APP = "secured-gzip";

    /** status line + headers (lower-case names) + the body decoded as its Content-Encoding says. */
    record Answer(String head, Map<String, String> headers, int rawLength, String body) {
        @Override
        public String toString() {
            return head.replace("\r\n", " | ") + " raw=" + rawLength + " body=" + body;
        }
    }

    private static Answer get(int port, String path, String... headerLines) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\nAccept-Encoding: gzip\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            String head = text.substring(0, split);
            Map<String, String> headers = new HashMap<>();
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            byte[] body = java.util.Arrays.copyOfRange(all, split + 4, all.length);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            String decoded;
            if ("gzip".equalsIgnoreCase(headers.get("content-encoding"))) {
                try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    decoded = new String(gz.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    decoded = "<not gzip: " + e + ">" + new String(body, StandardCharsets.UTF_8);
                }
            } else {
                decoded = new String(body, StandardCharsets.UTF_8);
            }
            return new Answer(head, headers, body.length, decoded);
        }
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int eol = indexOf(chunked, at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(new String(chunked, at, eol - at, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, eol + 2, Math.min(size, chunked.length - eol - 2));
            at = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void checkLength(Answer a) {
        String length = a.headers().get("content-length");
        if (length != null) {
            assertEquals(Integer.parseInt(length), a.rawLength(), "Content-Length against the bytes sent: " + a);
        }
    }

    @Test
    void jetty() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("gzip-jetty");
        try (JettyContainer jetty = new JettyContainer(instance, "jetty-authentication", base -> {
            SecuredApps.copyLibraries(base.resolve("lib/jwtgate"), false);
            LegacyApps.variant(SecuredApps.builtWar(), base.resolve("webapps"), APP, Map.of());
            Files.writeString(base.resolve("start.d/compression-gzip.ini"), "--module=compression-gzip\n");
        })) {
            Map<String, String> env = new HashMap<>(SecuredApps.applicationSecrets());
            env.put("APP_JWT_SECRET", TestTokens.SECRET);
            env.put("JWTGATE_REVOCATION_STORE", "memory");
            jetty.start(env, "/" + APP + "/public/ping");
            int port = jetty.httpPort;
            String page = "/" + APP + "/admin/page";
            JwtClaims claims = TestTokens.claims("alice", "admin");
            claims.setIssuedAt(TestTokens.secondsFromNow(-3600));
            claims.setExpirationTime(TestTokens.secondsFromNow(-1800));
            Answer none = get(port, page);
            Answer expired = get(port, page, "Authorization: Bearer " + TestTokens.hs256(claims));
            Answer admin = get(port, page, "Authorization: Bearer " + SecuredApps.token("alice", "admin"));
            Answer authenticate = get(port, "/" + APP + "/public/page?authenticate");
            System.out.println("GZIP none " + none + "\nGZIP expired " + expired + "\nGZIP admin " + admin
                    + "\nGZIP authenticate " + authenticate);
            assertAll("jetty with compression-gzip",
                    () -> assertEquals("{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a bearer token is required\"}",
                            none.body(), none.toString()),
                    () -> checkLength(none),
                    () -> assertEquals("{\"error\":\"invalid_token\",\"error_description\":\"The access token expired\"}",
                            expired.body(), expired.toString()),
                    () -> checkLength(expired),
                    () -> assertEquals("{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a bearer token is required\"}",
                            authenticate.body(), authenticate.toString()),
                    () -> checkLength(authenticate),
                    () -> assertEquals(true, admin.body().startsWith("who user=alice"), admin.toString()));
        }
    }
}
